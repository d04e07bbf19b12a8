"""JSON responses with strong ETags, conditional GETs and Cache-Control."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from flask import Response, current_app, request

#: Where the response cache (cms/api/response_cache.py) leaves the ETag it derived from the content
#: token, so the body need not be hashed. In the WSGI environ: it belongs to this one request.
PRECOMPUTED_ETAG = "cms.etag"


def set_public_headers(response: Response, etag: str) -> None:
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["API_CACHE_SECONDS"])


def json_response(payload: Any, *, status: int = 200, public: bool = True) -> Response:
    """Serialise ``payload``; a public GET gets an ETag and may be answered 304."""
    body = orjson.dumps(payload)
    response = Response(body, status=status, mimetype="application/json")
    if request.method not in ("GET", "HEAD") or status != 200:
        return response
    if public:
        etag = request.environ.get(PRECOMPUTED_ETAG) or hashlib.blake2b(body, digest_size=16).hexdigest()
        set_public_headers(response, etag)
    else:
        response.set_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
        response.cache_control.private = True
        response.cache_control.no_store = True
    response.make_conditional(request)
    return response
