"""JSON responses with strong ETags, conditional GETs and Cache-Control."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from flask import Response, current_app, request

#: Where the response cache (cms/api/response_cache.py) leaves the ETag it derived from the content
#: token, so the body need not be hashed. In the WSGI environ: it belongs to this one request.
PRECOMPUTED_ETAG = "cms.etag"


def public_headers(etag: str, config: dict[str, Any], link: str | None = None) -> list[tuple[str, str]]:
    """The ETag and Cache-Control of a public answer, rendered or from the response cache."""
    max_age = int(config["API_CACHE_SECONDS"])
    headers = [("ETag", f'"{etag}"'), ("Cache-Control", f"public, max-age={max_age}")]
    if link:
        headers.append(("Link", link))
    return headers


def json_response(payload: Any, *, status: int = 200, public: bool = True) -> Response:
    """Serialise ``payload``; a public GET gets an ETag and may be answered 304."""
    body = orjson.dumps(payload)
    if request.method not in ("GET", "HEAD") or status != 200:
        return Response(body, status=status, mimetype="application/json")
    precomputed = request.environ.get(PRECOMPUTED_ETAG) if public else None
    if precomputed:
        # The response cache has already answered a matching If-None-Match with a 304.
        return Response(
            body, headers=public_headers(precomputed, current_app.config), mimetype="application/json"
        )
    response = Response(body, mimetype="application/json")
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    if public:
        response.headers.extend(public_headers(etag, current_app.config))
    else:
        response.set_etag(etag)
        response.cache_control.private = True
        response.cache_control.no_store = True
    response.make_conditional(request)
    return response
