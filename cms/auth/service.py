"""Account rules: creating users. Services flush; the edge commits."""

from __future__ import annotations

from sqlalchemy import func, select

from cms.auth.models import Role, User
from cms.auth.passwords import hash_password
from cms.db import utcnow
from cms.errors import Conflict
from cms.extensions import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    *, email: str, username: str, password: str | None, role: Role = Role.READER, confirmed: bool = False
) -> User:
    email = normalise_email(email)
    username = username.strip()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with this email exists already.")
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
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
