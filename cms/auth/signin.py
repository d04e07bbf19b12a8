"""Starting and ending sessions, shared by the account pages and the JSON API.

Login clears the session first, so nothing an attacker planted in it before (session fixation) or a
previous user left in it survives. Flask-Login's user id carries the session version, so a password
change or reset ends every other session and remember-me cookie of the account.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user, login_user, logout_user

from cms.auth.models import User
from cms.extensions import login_manager


def configure_login(app: Flask) -> None:
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(app.config["REMEMBER_COOKIE_DAYS"]))
    app.after_request(_no_store_when_signed_in)


def start_session(user: User, *, remember: bool) -> None:
    session.clear()
    login_user(user, remember=remember, fresh=True)


def renew_session(user: User) -> None:
    """Keep the current browser signed in after its own password change bumped the session version."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    start_session(user, remember=remember)


def end_session() -> None:
    logout_user()
    session.clear()


def _no_store_when_signed_in(response: Response) -> Response:
    """What a signed-in user sees is theirs: no cache may keep it or hand it to someone else."""
    user = g.get("_login_user")
    signed_in = bool(session.get("_user_id")) or bool(getattr(user, "is_authenticated", False))
    if signed_in and current_user.is_authenticated:
        response.cache_control.public = False
        response.cache_control.max_age = None
        response.cache_control.private = True
        response.cache_control.no_store = True
        response.vary.add("Cookie")
    return response


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None: never ``//host``, ``/\\host``,
    ``https:host`` or anything that does not parse."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return target
