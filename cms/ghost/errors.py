"""Errors in Ghost's shape: ``{"errors": [{"message", "type", ...}]}`` with Ghost's status codes.

Views raise the CMS's own error family; this module translates at the edge, so the rest of the code
never knows which dialect the caller speaks.
"""

from __future__ import annotations

import uuid

import orjson
from flask import Response
from werkzeug.exceptions import HTTPException

from cms.errors import AppError, ValidationError

#: Ghost's error type for each status it answers with.
GHOST_TYPES = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "NoPermissionError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    422: "ValidationError",
    429: "TooManyRequestsError",
}


class GhostError(AppError):
    """An error whose message and context are worded as Ghost words them."""

    def __init__(self, message: str, *, status: int, context: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.context = context


def ghost_error_response(status: int, message: str, context: str | None = None) -> Response:
    body = {
        "errors": [
            {
                "message": message,
                "context": context,
                "type": GHOST_TYPES.get(status, "InternalServerError"),
                "details": None,
                "property": None,
                "help": None,
                "code": None,
                "id": str(uuid.uuid4()),
                "ghostErrorCode": None,
            }
        ]
    }
    response = Response(orjson.dumps(body), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache, private, no-store, must-revalidate"
    return response


def handle_app_error(error: AppError) -> Response:
    if isinstance(error, GhostError):
        return ghost_error_response(error.status, error.detail, error.context)
    if isinstance(error, ValidationError):
        # Ghost answers a bad parameter with 422, not 400.
        return ghost_error_response(422, error.detail)
    if error.status >= 500:
        return ghost_error_response(500, "Internal server error")
    return ghost_error_response(error.status, error.detail)


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    return ghost_error_response(status, error.description or error.name)
