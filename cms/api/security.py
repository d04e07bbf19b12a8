"""Who is calling the JSON API: ``request_user(required=...)``.

Today a caller is identified by the session cookie the login endpoint set. A request authenticated by
that cookie and using an unsafe method must carry the session's CSRF token in ``X-CSRF-Token`` (from
``GET /api/v1/auth/csrf``): a cookie rides along on cross-site requests, a custom header does not.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError as WTFormsValidationError

from cms.auth.models import User
from cms.errors import Forbidden, Unauthorized

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


def request_user(*, required: bool = True) -> User | None:
    """The signed-in user, or None (or ``Unauthorized`` when ``required``).

    Raises ``Forbidden`` when a cookie-authenticated unsafe request lacks a valid CSRF token.
    """
    if not current_user.is_authenticated:
        if required:
            raise Unauthorized("Sign in first.")
        return None
    if request.method not in SAFE_METHODS:
        check_csrf_header()
    user: User = current_user._get_current_object()
    return user


def check_csrf_header() -> None:
    try:
        validate_csrf(request.headers.get(CSRF_HEADER, ""))
    except (CSRFError, WTFormsValidationError):
        raise Forbidden(f"Send the token from GET /api/v1/auth/csrf in the {CSRF_HEADER} header.") from None


def acting_user(scope: str) -> User:
    """The staff member behind a write (or draft read): a Bearer API key holding ``scope``, which acts
    as the user who made it, or else the signed-in session (CSRF-checked by ``request_user``)."""
    from flask import g

    from cms.auth.api_keys import bearer_key

    key = bearer_key(request.headers.get("Authorization"))
    if key is not None:
        if not key.allows(scope):
            raise Forbidden(f"This API key lacks the {scope} scope.")
        g.api_key = key
        return key.user
    if not current_user.is_authenticated:
        raise Unauthorized("Send an API key as Authorization: Bearer <key>, or sign in.",
                           headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
    user = request_user()
    if user is None or not user.is_staff:
        raise Forbidden("Only staff accounts can do this.")
    return user
