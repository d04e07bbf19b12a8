"""The response cache for public reads of the Content API (/api/v1 and the Ghost API), never stale.

An entry is keyed by the request (path and query) and by the content token (cms/content/versioning.py),
which is read from the database on every request. A write through any worker bumps the token, and a
scheduled article going live moves it too, so the next request on every worker computes a new key and
misses: nothing is ever served from before a change. The ETag is made from the same key, so a
conditional GET is answered 304 after that one small query, without rendering anything. Under
/api/v1, hits and those 304s are answered before Flask even sees the request (cms/api/cache_front.py).

Entries live in each worker (an LRU bounded in bytes) unless ``CACHE_REDIS_URL`` names a Redis that all
workers share. ``API_CACHE=off`` keeps no bodies: every 200 is rendered from the database. Its ETag still
comes from the token, which is a validator, not a cache: a 304 then costs the token's query, as always.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, request
from werkzeug.wrappers import Request

from cms.api.access import require_content_key
from cms.api.cache_stores import CachedResponse, CacheStore, MemoryStore, RedisStore, code_fingerprint
from cms.api.caching import PRECOMPUTED_ETAG, public_headers
from cms.content.token_reads import read_token_fast
from cms.content.versioning import ContentToken
from cms.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

_STATE = "cms.response_cache"
_OFF = frozenset({"off", "0", "false", "no"})
#: In a request's WSGI environ: the content token read for it (see ``request_token``).
ENVIRON_KEY = "cms.content_token"
#: Settings that change what a response says without a write: part of every key and ETag.
_RENDERING_SETTINGS = (
    "PUBLIC_URL", "ARTICLE_URL_TEMPLATE", "GHOST_AUTHOR_URL_TEMPLATE", "GHOST_TAG_URL_TEMPLATE",
    "SITE_TITLE", "SITE_DESCRIPTION",
)  # fmt: skip


def cache_enabled(config: dict[str, Any]) -> bool:
    value = config.get("API_CACHE", "on")
    return value is not False and str(value).strip().lower() not in _OFF


def response_store(app: Flask) -> CacheStore:
    """The app's store, made on first use (and made again if its settings changed)."""
    config = app.config
    url = config.get("CACHE_REDIS_URL") or None
    settings = (url, config["CACHE_REDIS_PREFIX"], config["CACHE_REDIS_TTL"], config["API_CACHE_MAX_BYTES"])
    state: tuple[tuple[Any, ...], CacheStore] | None = app.extensions.get(_STATE)
    if state is None or state[0] != settings:
        store: CacheStore
        if url:
            store = RedisStore(url, prefix=settings[1], ttl=int(settings[2]))
        else:
            store = MemoryStore(max_bytes=int(settings[3]))
        state = (settings, store)
        app.extensions[_STATE] = state
    return state[1]


def clear_response_cache(app: Flask) -> None:
    """Drop every entry of this app's store (tests; an operator who wants the memory back)."""
    response_store(app).clear()


def bypasses_cache(incoming: Request, config: dict[str, Any], private_params: tuple[str, ...] = ()) -> bool:
    """Anything that may make the answer differ from the public one is never cached nor served from
    cache: a signed-in session, an API key (drafts), or a parameter such as ``status`` or ``preview``."""
    if incoming.method not in ("GET", "HEAD") or "Authorization" in incoming.headers:
        return True
    cookies = incoming.cookies
    if cookies and (
        config["SESSION_COOKIE_NAME"] in cookies
        or config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies
    ):
        return True
    args = incoming.args
    return any(name in args for name in private_params)


def request_key(incoming: Request, config: dict[str, Any]) -> str:
    """HEAD and GET share an entry (the same representation). The query's parts are sorted as sent:
    two spellings of one value make two entries, which costs a render, never a wrong answer."""
    settings = "\x1f".join(str(config.get(name)) for name in _RENDERING_SETTINGS)
    query = b"&".join(sorted(incoming.query_string.split(b"&"))).decode("latin-1")
    return f"{code_fingerprint()}\x1e{settings}\x1eGET {incoming.path}?{query}"


def request_token(environ: dict[str, Any]) -> ContentToken:
    """The content token, read once per request (within an app context) and kept in its environ, so
    that the view behind ``cms.api.cache_front`` uses the token the front read."""
    token: ContentToken | None = environ.get(ENVIRON_KEY)
    if token is None:
        token = environ[ENVIRON_KEY] = read_token_fast(db.engine)
    return token


def etag_for(token: str, key: str) -> str:
    return hashlib.blake2b(f"{token}\x1e{key}".encode(), digest_size=16).hexdigest()


def _not_modified(etag: str) -> Response:
    response = Response(status=304, headers=public_headers(etag, current_app.config))
    del response.headers["Content-Type"]
    return response


def _from_cache(entry: CachedResponse, etag: str) -> Response:
    headers = public_headers(etag, current_app.config, entry.link)
    return Response(entry.body, headers=headers, mimetype=entry.mimetype)


def public_response(
    *, private_params: tuple[str, ...] = (), guard: Callable[[], None] | None = None
) -> Callable[[F], F]:
    """Cache a public read. ``guard`` runs before a cached answer is given (a content-key check);
    requests with any of ``private_params`` go straight to the view, uncached. Entries of reads whose
    only guard is the content key check may be answered in front of Flask (cms/api/cache_front.py),
    which runs that check itself."""
    front = guard is require_content_key

    def decorator(view: F) -> F:
        @wraps(view)
        def cached_view(**kwargs: Any) -> Any:
            config = current_app.config
            if bypasses_cache(request, config, private_params):
                return view(**kwargs)
            if guard is not None:
                guard()
            # The token is read before anything is rendered: a write committed meanwhile can only make
            # the stored body newer than its key, never older.
            token = request_token(request.environ)
            key = request_key(request, config)
            etag = etag_for(token.text, key)
            if "HTTP_IF_NONE_MATCH" in request.environ and request.if_none_match.contains_weak(etag):
                return _not_modified(etag)
            request.environ[PRECOMPUTED_ETAG] = etag
            if not cache_enabled(config):
                return view(**kwargs)
            store = response_store(current_app)
            entry = store.get(token.text, key)
            if entry is not None:
                return _from_cache(entry, etag)
            response = view(**kwargs)
            if (
                isinstance(response, Response)
                and response.status_code == 200
                and response.cache_control.public
                and token.still_current()
            ):
                body = response.get_data()
                link = response.headers.get("Link")
                store.put(token.text, key, CachedResponse(body, response.mimetype, link, front=front))
            return response

        return cast(F, cached_view)

    return decorator
