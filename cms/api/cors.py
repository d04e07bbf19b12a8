"""CORS for the API: answered preflights, and the headers a browser needs to read ours."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from cms.errors import wants_problem_json

ALLOWED_METHODS = "GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, If-Match, If-None-Match, X-Content-Key, X-CSRF-Token"
EXPOSED_HEADERS = "ETag, Link, Location, Retry-After"


def _allowed_origin(origin: str | None, origins: list[str]) -> str | None:
    if not origin:
        return None
    if "*" in origins:
        return "*"
    return origin if origin in origins else None


def _preflight() -> Response | None:
    if (
        wants_problem_json()
        and request.method == "OPTIONS"
        and "Access-Control-Request-Method" in request.headers
    ):
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    return None


def cors_headers(origin: str | None, origins: list[str]) -> list[tuple[str, str]]:
    """What an API response says to a browser on the page at ``origin``, given the allowed ones."""
    headers = []
    allowed = _allowed_origin(origin, origins)
    if allowed:
        headers.append(("Access-Control-Allow-Origin", allowed))
        headers.append(("Access-Control-Expose-Headers", EXPOSED_HEADERS))
        if allowed != "*":
            # A named origin may send cookies; "*" never may.
            headers.append(("Access-Control-Allow-Credentials", "true"))
    if "*" not in origins:
        headers.append(("Vary", "Origin"))
    return headers


def _cors_headers(response: Response) -> Response:
    if not wants_problem_json():
        return response
    for name, value in cors_headers(request.headers.get("Origin"), current_app.config["CORS_ORIGINS"]):
        if name == "Vary":
            response.vary.add(value)
        else:
            response.headers[name] = value
    return response


def init_cors(app: Flask) -> None:
    """App-wide rather than per blueprint, so that unknown /api routes get CORS headers too."""
    app.before_request(_preflight)
    app.after_request(_cors_headers)
