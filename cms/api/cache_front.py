"""Cached public reads of the Content API, answered in front of Flask.

A response cache hit needs the content token, the request's key and the entry, and none of what Flask
does for a request: routing, the session, extensions' hooks, a response object. This WSGI middleware
answers such hits, and the 304s they allow, with the same status, headers and body the view behind it
would give (tests compare them), and hands every other request to Flask with the token it read, so
that no request reads it twice.

It answers only from entries whose route is guarded by nothing but the content key check, which it
runs itself (cms/api/access.py); it never answers a request that would bypass the cache (a session,
``Authorization``). Everything else goes to Flask: the Ghost API, whose keys live in the database;
misses; writes; any request when the cache is off.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request

from cms.api import api, response_cache
from cms.api.access import holds_content_key
from cms.api.caching import public_headers
from cms.api.cors import cors_headers

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

#: (status line, headers, body); the body is left out of the answer to a HEAD.
Reply = tuple[str, list[tuple[str, str]], bytes]


class CacheFront:
    """``app.wsgi_app = CacheFront(app, app.wsgi_app)``."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.prefix = f"{api.url_prefix}/"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and environ.get("PATH_INFO", "").startswith(
            self.prefix
        ):
            reply = self._cached_reply(Request(environ))
            if reply is not None:
                status, headers, body = reply
                start_response(status, headers)
                return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self.wsgi_app(environ, start_response)

    def _cached_reply(self, incoming: Request) -> Reply | None:
        config = self.app.config
        if (
            not response_cache.cache_enabled(config)
            or response_cache.bypasses_cache(incoming, config)
            or not holds_content_key(incoming, config)
        ):
            return None
        with self.app.app_context():
            try:
                token = response_cache.request_token(incoming.environ)
            except SQLAlchemyError:
                return None  # Flask reads it again and, if the database is gone, says so properly
            key = response_cache.request_key(incoming, config)
            entry = response_cache.response_store(self.app).get(token.text, key)
        if entry is None or not entry.front:
            return None
        etag = response_cache.etag_for(token.text, key)
        cors = cors_headers(incoming.headers.get("Origin"), config["CORS_ORIGINS"])
        if incoming.if_none_match.contains_weak(etag):
            return "304 NOT MODIFIED", public_headers(etag, config) + cors, b""
        headers = public_headers(etag, config, entry.link)
        headers.append(("Content-Type", get_content_type(entry.mimetype or "application/json", "utf-8")))
        headers.append(("Content-Length", str(len(entry.body))))
        return "200 OK", headers + cors, entry.body


def init_cache_front(app: Flask) -> None:
    app.wsgi_app = CacheFront(app, app.wsgi_app)  # type: ignore[method-assign]
