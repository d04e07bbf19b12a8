"""The error family, and the one place where errors become responses.

Under ``/api/`` every error is ``application/problem+json`` (RFC 9457); elsewhere it is an HTML page.
Nothing ever shows a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from flask import Flask, Response, current_app, render_template, request
from flask.globals import request_ctx
from markupsafe import escape
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class AppError(Exception):
    """Base of every error the CMS raises on purpose. ``slug`` names the problem type."""

    status = 500
    slug = "internal-error"
    title = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra or {}


class BadRequest(AppError):
    status, slug, title = 400, "bad-request", "Bad request"


class ValidationError(BadRequest):
    """Input that is well-formed but wrong; ``errors`` names each offending field."""

    slug, title = "validation-error", "Invalid input"

    @classmethod
    def field(cls, field: str, message: str) -> ValidationError:
        return cls(f"{field}: {message}", errors=[{"field": field, "message": message}])


class InvalidToken(BadRequest):
    slug, title = "invalid-token", "Invalid token"


class Unauthorized(AppError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(AppError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(AppError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(AppError):
    status, slug, title = 412, "precondition-failed", "The resource has changed"


class UnsupportedMediaType(AppError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class TooManyRequests(AppError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


def wants_problem_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def problem_type(slug: str) -> str:
    return f"{current_app.config['PUBLIC_URL']}/problems/{slug}"


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": problem_type(slug) if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    response = Response(orjson.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def html_error(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    if request_ctx.url_adapter is None:
        # The request could not even be routed (an untrusted Host, say): no url_for, so no template.
        body = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(detail)}</p>"
    else:
        body = render_template("errors/error.html", status=status, title=title, detail=detail)
    response = Response(body, status=status, mimetype="text/html")
    response.headers.update(headers or {})
    return response


def _handle_app_error(error: AppError) -> Response:
    if wants_problem_json():
        return problem_response(
            error.status,
            error.title,
            error.detail,
            slug=error.slug,
            errors=error.errors,
            headers=error.headers,
            extra=error.extra,
        )
    return html_error(error.status, error.title, error.detail, error.headers)


def _handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    title = error.name
    detail = error.description or title
    headers = dict(error.get_headers()) if status == 405 else {}
    headers.pop("Content-Type", None)
    if status == 429:
        detail = "Too many requests. Please wait a moment and try again."
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            headers["Retry-After"] = str(retry_after)
    if wants_problem_json():
        return problem_response(status, title, detail, headers=headers)
    return html_error(status, title, detail, headers)


def _handle_unexpected(error: Exception) -> Response:
    log.exception("Unhandled error on %s %s", request.method, request.path)
    title, detail = "Internal error", "Something went wrong on our side. It has been logged."
    if wants_problem_json():
        return problem_response(500, title, detail)
    return html_error(500, title, detail)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(AppError, _handle_app_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)
