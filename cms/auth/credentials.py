"""Changing credentials: password reset and change, email change, staff invitations.

A reset token carries a fingerprint of the password hash it was issued for, so it works once and dies
when the password changes by any path. Every new password ends the account's other sessions and
remember-me cookies (the user row's ``session_version``) and lifts a lockout.
"""

from __future__ import annotations

from sqlalchemy import select

from cms.auth.links import change_email_link, invite_link, page_link, reset_link
from cms.auth.models import Role, User
from cms.auth.passwords import check_password, hash_password, verify_password
from cms.auth.permissions import require
from cms.auth.service import create_user, user_by_login, valid_email, valid_username
from cms.auth.tokens import USED_OR_INVALID, Purpose, make_token, password_fingerprint, read_token
from cms.db import utcnow
from cms.errors import InvalidToken, ValidationError
from cms.extensions import db
from cms.mail.outbox import queue_mail


def request_password_reset(login: str) -> None:
    """Mail a reset link to the account's stored address; do nothing, visibly the same, without one."""
    user = user_by_login(login.strip())
    if user is None or not user.active:
        return
    token = make_token(Purpose.RESET, {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    queue_mail(
        to=user.email,
        template="password_reset",
        language=user.language,
        context={"user": user, "link": reset_link(token), "forgot_link": page_link("/password/forgot")},
    )


def _token_user(purpose: Purpose, token: object) -> User:
    """The user a reset or invitation token was issued to, if their password is unchanged since."""
    payload = read_token(purpose, token)
    uid = payload.get("uid")
    user = db.session.get(User, uid) if isinstance(uid, int) and not isinstance(uid, bool) else None
    if user is None or not user.active or payload.get("pw") != password_fingerprint(user.password_hash):
        raise InvalidToken(USED_OR_INVALID)
    return user


def check_reset_token(token: object) -> User:
    return _token_user(Purpose.RESET, token)


def reset_password(token: object, password: str) -> User:
    """Set a new password from an emailed link. The caller must not sign the user in."""
    user = _token_user(Purpose.RESET, token)
    _set_password(user, password)
    # Following the emailed link proves the address.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.flush()
    return user


def change_password(user: User, *, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise ValidationError.field("current_password", "this is not your current password")
    _set_password(user, new_password)
    db.session.flush()


def _set_password(user: User, password: str, *, notify: bool = True) -> None:
    check_password(password, username=user.username, email=user.email)
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    if notify:
        queue_mail(
            to=user.email,
            template="password_changed",
            language=user.language,
            context={"user": user, "forgot_link": page_link("/password/forgot")},
        )


def request_email_change(user: User, *, password: str, new_email: str) -> None:
    """Mail a confirmation link to the new address; the change happens when it is followed.

    A new address that belongs to another account gets a note instead, so this cannot probe addresses.
    """
    if not verify_password(user.password_hash, password):
        raise ValidationError.field("password", "this is not your current password")
    new_email = valid_email(new_email, field="new_email")
    if new_email == user.email:
        raise ValidationError.field("new_email", "this is your current address already")
    if db.session.scalar(select(User.id).where(User.email == new_email)) is not None:
        queue_mail(to=new_email, template="email_in_use", language=user.language, context={"user": user})
        return
    token = make_token(Purpose.CHANGE_EMAIL, {"uid": user.id, "old": user.email, "new": new_email})
    queue_mail(
        to=new_email,
        template="email_change",
        language=user.language,
        context={"user": user, "new_email": new_email, "link": change_email_link(token)},
    )


def confirm_email_change(token: object) -> User:
    payload = read_token(Purpose.CHANGE_EMAIL, token)
    uid, old, new = payload.get("uid"), payload.get("old"), payload.get("new")
    user = db.session.get(User, uid) if isinstance(uid, int) and not isinstance(uid, bool) else None
    if user is None or not user.active or user.email != old or not isinstance(new, str):
        raise InvalidToken(USED_OR_INVALID)
    if db.session.scalar(select(User.id).where(User.email == new)) is not None:
        raise InvalidToken("Another account uses this address now.")
    user.email = new
    user.email_confirmed_at = utcnow()
    queue_mail(
        to=str(old),
        template="email_changed",
        language=user.language,
        context={"user": user, "new_email": new, "forgot_link": page_link("/password/forgot")},
    )
    db.session.flush()
    return user


def invite_user(*, email: str, username: str, role: Role, by: User | None) -> User:
    """Create a staff account without a password and mail its owner a link to choose one.

    ``by`` is the admin inviting; None means the shell.
    """
    if by is not None:
        require(by, "manage_users")
    user = create_user(email=valid_email(email), username=valid_username(username), password=None, role=role)
    send_invitation(user, by=by)
    return user


def send_invitation(user: User, *, by: User | None) -> None:
    token = make_token(Purpose.INVITE, {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    queue_mail(
        to=user.email,
        template="invitation",
        language=user.language,
        context={"user": user, "inviter": by, "link": invite_link(token)},
    )


def check_invitation(token: object) -> User:
    user = _token_user(Purpose.INVITE, token)
    if user.password_hash is not None:
        raise InvalidToken(USED_OR_INVALID)
    return user


def accept_invitation(token: object, password: str) -> User:
    """Set the invited user's first password; the link then stops working."""
    user = check_invitation(token)
    _set_password(user, password, notify=False)
    user.email_confirmed_at = utcnow()
    db.session.flush()
    return user
