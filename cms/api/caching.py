"""JSON responses with strong ETags, conditional GETs and Cache-Control."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from flask import Response, current_app, request


def json_response(payload: Any, *, status: int = 200, public: bool = True) -> Response:
    """Serialise ``payload``; a public GET gets an ETag from its bytes and may be answered 304."""
    body = orjson.dumps(payload)
    response = Response(body, status=status, mimetype="application/json")
    if request.method not in ("GET", "HEAD") or status != 200:
        return response
    response.set_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = int(current_app.config["API_CACHE_SECONDS"])
    else:
        response.cache_control.private = True
        response.cache_control.no_store = True
    response.make_conditional(request)
    return response
