"""The account flows over JSON, for headless frontends: /api/v1/auth/*.

Sign-in sets the same session cookie the account pages use. Unsafe requests that the cookie
authenticates need ``X-CSRF-Token`` (see ``cms.api.security``); the token changes at sign-in, so the
login and password-change answers carry the new one.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_wtf.csrf import generate_csrf
from pydantic import Field

from cms.api import api
from cms.api.caching import json_response
from cms.api.params import BodyModel
from cms.api.routing import endpoint
from cms.api.security import request_user
from cms.auth import credentials, service
from cms.auth.limits import (
    confirm_per_account,
    login_per_account,
    mail_per_account,
    per_ip,
    reset_per_account,
)
from cms.auth.models import User
from cms.auth.signin import end_session, renew_session, start_session
from cms.auth.timing import even_timing
from cms.db import rfc3339
from cms.extensions import db
from cms.mail.building import preferred_language

TAG = "Accounts"
ACCEPTED = "If the details can be used, we have sent an email. Please check your inbox."
Password = Field(min_length=1, max_length=1024)
#: Any string: a wrong one, however long or empty, is an "invalid-token" problem from the token check.
Token = Field(description="The token from the emailed link.")


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "role": user.role.value,
        "email_confirmed": user.email_confirmed_at is not None,
        "language": user.language,
        "timezone": user.timezone,
        "created_at": rfc3339(user.created_at),
    }


def _accepted() -> Response:
    return json_response({"detail": ACCEPTED}, status=202, public=False)


class RegisterBody(BodyModel):
    email: str = Field(max_length=254)
    username: str = Field(max_length=64)
    password: str = Password
    language: str | None = Field(None, max_length=35)


class TokenBody(BodyModel):
    token: str = Token


class LoginBody(BodyModel):
    login: str = Field(min_length=1, max_length=254, description="Username or email address.")
    password: str = Password
    remember: bool = False


class ForgotBody(BodyModel):
    login: str = Field(min_length=1, max_length=254, description="Username or email address.")


class ResetBody(BodyModel):
    token: str = Token
    password: str = Password


class ChangePasswordBody(BodyModel):
    current_password: str = Password
    new_password: str = Password


class ChangeEmailBody(BodyModel):
    password: str = Password
    new_email: str = Field(max_length=254)


@endpoint(
    api,
    "/auth/register",
    methods=("POST",),
    body=RegisterBody,
    summary="Register a reader account",
    tag=TAG,
    responses={202: "A confirmation email is on its way (or a note to the address's owner)"},
)
@per_ip
@mail_per_account
@even_timing
def register(body: RegisterBody) -> Response:
    # Without a language in the body, the browser's Accept-Language picks the mail's language.
    language = body.language or preferred_language()
    service.register(email=body.email, username=body.username, password=body.password, language=language)
    db.session.commit()
    return _accepted()


@endpoint(
    api,
    "/auth/confirm",
    methods=("POST",),
    body=TokenBody,
    summary="Confirm an email address",
    tag=TAG,
    responses={200: "The address is confirmed", 400: "The token is invalid or expired"},
)
@per_ip
@confirm_per_account
def confirm(body: TokenBody) -> Response:
    user = service.confirm_email(body.token)
    db.session.commit()
    return json_response({"data": user_json(user)}, public=False)


@endpoint(
    api,
    "/auth/login",
    methods=("POST",),
    body=LoginBody,
    summary="Sign in with username or email",
    tag=TAG,
    responses={
        200: "Signed in; the session cookie is set",
        401: "Wrong login or password",
        403: "The email address is not confirmed yet",
    },
)
@per_ip
@login_per_account
def login(body: LoginBody) -> Response:
    attempt = service.attempt_login(body.login, body.password)
    db.session.commit()
    if attempt.error is not None:
        raise attempt.error
    assert attempt.user is not None
    start_session(attempt.user, remember=body.remember)
    return json_response({"data": user_json(attempt.user), "csrf_token": generate_csrf()}, public=False)


@endpoint(
    api,
    "/auth/logout",
    methods=("POST",),
    summary="Sign out",
    tag=TAG,
    auth=("session",),
    responses={204: "Signed out"},
)
def logout() -> Response:
    if request_user(required=False) is not None:
        end_session()
    return Response(status=204)


@endpoint(
    api,
    "/auth/me",
    summary="The signed-in user",
    tag=TAG,
    auth=("session",),
    responses={200: "The signed-in user", 401: "Not signed in"},
)
def me() -> Response:
    user = request_user(required=True)
    assert user is not None
    return json_response({"data": user_json(user)}, public=False)


@endpoint(
    api,
    "/auth/csrf",
    summary="The CSRF token for cookie-authenticated writes",
    tag=TAG,
    responses={200: "Send it back in the X-CSRF-Token header"},
)
def csrf_token() -> Response:
    return json_response({"csrf_token": generate_csrf()}, public=False)


@endpoint(
    api,
    "/auth/password/forgot",
    methods=("POST",),
    body=ForgotBody,
    tag=TAG,
    summary="Email a password-reset link",
    responses={202: "A link is on its way if the account exists"},
)
@per_ip
@mail_per_account
@even_timing
def forgot_password(body: ForgotBody) -> Response:
    credentials.request_password_reset(body.login)
    db.session.commit()
    return _accepted()


@endpoint(
    api,
    "/auth/password/reset",
    methods=("POST",),
    body=ResetBody,
    tag=TAG,
    summary="Set a new password with an emailed token",
    responses={200: "The password is changed; sign in with it", 400: "Invalid, expired or used token"},
)
@per_ip
@reset_per_account
def reset_password(body: ResetBody) -> Response:
    credentials.reset_password(body.token, body.password)
    db.session.commit()
    return json_response({"detail": "Your password has been changed. Please sign in."}, public=False)


@endpoint(
    api,
    "/auth/password/change",
    methods=("POST",),
    body=ChangePasswordBody,
    tag=TAG,
    auth=("session",),
    summary="Change the password (ends every other session)",
    responses={200: "Changed; the answer carries the new CSRF token"},
)
@per_ip
def change_password(body: ChangePasswordBody) -> Response:
    user = request_user(required=True)
    assert user is not None
    credentials.change_password(user, current_password=body.current_password, new_password=body.new_password)
    db.session.commit()
    renew_session(user)
    return json_response({"data": user_json(user), "csrf_token": generate_csrf()}, public=False)


@endpoint(
    api,
    "/auth/email/change",
    methods=("POST",),
    body=ChangeEmailBody,
    tag=TAG,
    auth=("session",),
    summary="Ask to change the email address",
    responses={202: "A confirmation link went to the new address"},
)
@per_ip
def change_email(body: ChangeEmailBody) -> Response:
    user = request_user(required=True)
    assert user is not None
    credentials.request_email_change(user, password=body.password, new_email=body.new_email)
    db.session.commit()
    return _accepted()


@endpoint(
    api,
    "/auth/email/confirm",
    methods=("POST",),
    body=TokenBody,
    tag=TAG,
    summary="Confirm a new email address",
    responses={200: "The address is changed"},
)
@per_ip
def confirm_email_change(body: TokenBody) -> Response:
    user = credentials.confirm_email_change(body.token)
    db.session.commit()
    return json_response({"data": user_json(user)}, public=False)


@endpoint(
    api,
    "/auth/invitation/accept",
    methods=("POST",),
    body=ResetBody,
    tag=TAG,
    summary="Choose the first password of an invited staff account",
    responses={200: "The account is ready; sign in with it", 400: "Invalid, expired or used token"},
)
@per_ip
def accept_invitation(body: ResetBody) -> Response:
    user = credentials.accept_invitation(body.token, body.password)
    db.session.commit()
    return json_response({"data": user_json(user)}, public=False)
