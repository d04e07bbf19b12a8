"""Content API keys: 26 lower-case hex characters, the format Ghost's clients check for.

A content key only ever unlocks published content, and frontends ship it to browsers, so it is a
name tag more than a secret. It is still stored as a SHA-256 hash: a database dump should not hand
out working keys, and the admin shows a key once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from cms.db import utcnow
from cms.errors import ValidationError
from cms.extensions import db

KEY_HEX_LENGTH = 26


class ContentKey(db.Model):  # type: ignore[name-defined]
    __tablename__ = "content_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    #: The first six characters of the key, so people can tell their keys apart.
    prefix: Mapped[str] = mapped_column(String(6))
    #: Hex SHA-256 of the whole key.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ContentKey {self.name} {self.prefix}…>"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_content_key(name: str) -> tuple[ContentKey, str]:
    """Make a key; returns the row and the key itself, which is not stored."""
    name = name.strip()
    if not name:
        raise ValidationError.field("name", "give the key a name, such as the site that will use it")
    if len(name) > 100:
        raise ValidationError.field("name", "use at most 100 characters")
    key = secrets.token_hex(KEY_HEX_LENGTH // 2)
    row = ContentKey(name=name, prefix=key[:6], key_hash=_digest(key))
    db.session.add(row)
    db.session.flush()
    return row, key


def find_content_key(key: str) -> ContentKey | None:
    if len(key) != KEY_HEX_LENGTH:
        return None
    digest = _digest(key)
    row = db.session.scalar(select(ContentKey).where(ContentKey.key_hash == digest))
    # The lookup is by hash, so a timing difference reveals nothing; compare anyway for clarity.
    if row is None or not hmac.compare_digest(row.key_hash, digest):
        return None
    return row


def content_keys() -> list[ContentKey]:
    return list(db.session.scalars(select(ContentKey).order_by(ContentKey.created_at.desc())))


def delete_content_key(row: ContentKey) -> None:
    db.session.delete(row)
    db.session.flush()
