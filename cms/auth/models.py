"""Users and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from cms.db import utcnow
from cms.extensions import db


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    AUTHOR = "author"
    CONTRIBUTOR = "contributor"
    READER = "reader"

    @property
    def is_staff(self) -> bool:
        return self is not Role.READER


class User(db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    username: Mapped[str] = mapped_column(String(64))
    #: argon2id hash; None for an invited user who has not chosen a password yet.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        db.Enum(Role, native_enum=False, length=20, values_callable=lambda roles: [r.value for r in roles]),
        default=Role.READER,
    )
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: Bumped by a password reset or change: every session and remember-me cookie carrying an
    #: older value stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    #: BCP 47 tag of the language mail is written in.
    language: Mapped[str] = mapped_column(String(35), default="en")
    #: IANA zone in which the staff UI shows times.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    notify_comments: Mapped[bool] = mapped_column(default=True)

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role.value})>"


# Usernames keep the case their owner chose, but two may not differ by case alone.
Index("uq_users_username_lower", func.lower(User.username), unique=True)
