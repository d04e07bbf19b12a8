"""Account rules: creating, registering, confirming and signing in users. Services flush; edges commit.

Nothing here tells a caller whether an account exists: registration and the forgotten-password request
behave the same either way (mail goes to the stored owner instead), and an unknown login costs the same
one hash check as a wrong password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select

from cms.auth.links import confirm_link, page_link
from cms.auth.models import Role, User
from cms.auth.passwords import burn_verification, check_password, hash_password, needs_rehash, verify_password
from cms.auth.tokens import Purpose, make_token, read_token
from cms.db import utcnow
from cms.errors import AppError, Conflict, Forbidden, InvalidToken, Unauthorized, ValidationError
from cms.extensions import db
from cms.mail.outbox import queue_mail

WRONG_CREDENTIALS = "The login or the password is wrong."
UNCONFIRMED = "Please confirm your email address first: follow the link in the email we sent you."
_USERNAME = re.compile(r"^[\w.-]{3,64}$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def valid_email(email: str, field: str = "email") -> str:
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError.field(field, "enter a valid email address") from None
    return normalise_email(result.normalized)


def valid_username(username: str) -> str:
    username = username.strip()
    if not _USERNAME.fullmatch(username):
        raise ValidationError.field("username", "use 3 to 64 letters, digits, dots, dashes or underscores")
    return username


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def user_by_login(login: str) -> User | None:
    """The account a login names: its email address or (case-insensitively) its username."""
    if "@" in login:
        found = user_by_email(login)
        if found is not None:
            return found
    return user_by_username(login)


def create_user(
    *, email: str, username: str, password: str | None, role: Role = Role.READER, confirmed: bool = False
) -> User:
    email = normalise_email(email)
    username = username.strip()
    if password is not None:
        check_password(password, username=username, email=email)
    if user_by_email(email) is not None:
        raise Conflict("An account with this email exists already.")
    if user_by_username(username) is not None:
        raise Conflict("This username is taken.")
    user = User(
        email=email,
        username=username,
        password_hash=hash_password(password) if password else None,
        role=role,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def send_confirmation(user: User) -> None:
    token = make_token(Purpose.CONFIRM, {"uid": user.id, "email": user.email})
    queue_mail(
        to=user.email,
        template="confirm_email",
        language=user.language,
        context={"user": user, "link": confirm_link(token)},
    )


def register(*, email: str, username: str, password: str, language: str | None = None) -> None:
    """Make an unconfirmed reader and mail the confirmation link, or, when the address or the username
    is taken, mail that address instead; the caller sees no difference."""
    email = valid_email(email)
    username = valid_username(username)
    check_password(password, username=username, email=email)
    # Hashed on every path, so a taken address answers no faster than a new one.
    password_hash = hash_password(password)
    owner = user_by_email(email)
    if owner is not None:
        if owner.email_confirmed_at is None:
            send_confirmation(owner)
        else:
            queue_mail(
                to=owner.email,
                template="account_exists",
                language=owner.language,
                context={
                    "user": owner,
                    "login_link": page_link("/login"),
                    "forgot_link": page_link("/password/forgot"),
                },
            )
        return
    if user_by_username(username) is not None:
        queue_mail(
            to=email,
            template="username_taken",
            language=language,
            context={"username": username, "register_link": page_link("/register")},
        )
        return
    user = User(email=email, username=username, password_hash=password_hash, role=Role.READER)
    if language:
        user.language = language
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)


def confirm_email(token: object) -> User:
    payload = read_token(Purpose.CONFIRM, token)
    user = _user_from(payload)
    if user is None or user.email != payload.get("email"):
        raise InvalidToken("This link is invalid or has already been used. Please ask for a new one.")
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
    return user


def _user_from(payload: dict[str, object]) -> User | None:
    uid = payload.get("uid")
    if not isinstance(uid, int) or isinstance(uid, bool):
        return None
    user = db.session.get(User, uid)
    return user if user is not None and user.active else None


@dataclass(frozen=True)
class LoginAttempt:
    """What a login try came to. Counters changed even when it failed, so the edge commits first and
    then raises ``error``."""

    user: User | None
    error: AppError | None = None


def attempt_login(login: str, password: str) -> LoginAttempt:
    user = user_by_login(login)
    if user is None or user.password_hash is None:
        burn_verification(password)
        return LoginAttempt(None, Unauthorized(WRONG_CREDENTIALS))
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        burn_verification(password)
        return LoginAttempt(None, Unauthorized(WRONG_CREDENTIALS))
    if not verify_password(user.password_hash, password):
        _count_failure(user)
        return LoginAttempt(None, Unauthorized(WRONG_CREDENTIALS))
    if not user.active:
        return LoginAttempt(None, Unauthorized(WRONG_CREDENTIALS))
    user.failed_logins = 0
    user.locked_until = None
    if user.email_confirmed_at is None:
        db.session.flush()
        return LoginAttempt(None, Forbidden(UNCONFIRMED))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    db.session.flush()
    return LoginAttempt(user)


def _count_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= int(current_app.config["LOCKOUT_AFTER_FAILURES"]):
        minutes = int(current_app.config["LOCKOUT_MINUTES"])
        user.locked_until = utcnow() + timedelta(minutes=minutes)
        user.failed_logins = 0
        queue_mail(
            to=user.email,
            template="account_locked",
            language=user.language,
            context={"user": user, "minutes": minutes, "forgot_link": page_link("/password/forgot")},
        )
    db.session.flush()


def set_role(username: str, role: Role) -> User:
    user = user_by_username(username)
    if user is None:
        raise ValidationError.field("username", f"no user is called {username!r}")
    user.role = role
    db.session.flush()
    return user
