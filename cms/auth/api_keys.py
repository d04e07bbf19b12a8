"""API keys: long random secrets shown once, stored as a SHA-256 hash, acting as the user who made them.

A key looks like ``cms_<prefix>_<secret>``. The prefix finds the row; the hash of the whole key must
match. SHA-256 suffices (unlike for passwords) because the secret has 256 bits of entropy.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.auth.models import User
from cms.auth.permissions import can
from cms.db import utcnow
from cms.errors import Forbidden, ValidationError
from cms.extensions import db

SCOPES = ("content:read", "content:write", "admin")
#: A scope also grants the ones it lists here.
_IMPLIED = {"admin": {"content:read", "content:write"}, "content:write": {"content:read"}}
#: last_used_at is written at most this often, so reads through a key do not each cost a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKey(db.Model):  # type: ignore[name-defined]
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: The public part of the key, shown in lists so people can tell their keys apart.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    #: Hex SHA-256 of the whole key.
    key_hash: Mapped[str] = mapped_column(String(64))
    #: Space-separated scopes.
    scopes: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: str) -> bool:
        return scope_granted(self.scope_list, scope)


def scope_granted(granted: Iterable[str], scope: str) -> bool:
    return any(scope == held or scope in _IMPLIED.get(held, ()) for held in granted)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(
    user: User, *, name: str, scopes: Iterable[str], by: User | None = None
) -> tuple[ApiKey, str]:
    """Make a key for ``user``; returns the row and the key itself, which is never stored or shown again.

    ``by`` is the staff member asking (the user themself, or an admin); None means the shell.
    """
    wanted = sorted(set(scopes))
    name = name.strip()
    if not name:
        raise ValidationError.field("name", "give the key a name")
    if not wanted:
        raise ValidationError.field("scopes", "choose at least one scope")
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise ValidationError.field(
            "scopes", f"unknown scope {unknown[0]!r}; choose from {', '.join(SCOPES)}"
        )
    if not user.is_staff:
        raise ValidationError.field("user", "only staff accounts can hold API keys")
    if "admin" in wanted and not can(user, "create_admin_api_key"):
        raise Forbidden("Only an admin's key can carry the admin scope.")
    if by is not None and by.id != user.id and not can(by, "manage_users"):
        raise Forbidden("Only admins create keys for other people.")
    prefix = secrets.token_hex(4)
    key = f"cms_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(user_id=user.id, name=name, prefix=prefix, key_hash=_digest(key), scopes=" ".join(wanted))
    row.user = user
    db.session.add(row)
    db.session.flush()
    return row, key


def authenticate_api_key(key: str) -> ApiKey | None:
    """The live key matching ``key``, or None. Marks it used."""
    brand, _, rest = key.partition("_")
    prefix, _, secret = rest.partition("_")
    if brand != "cms" or not prefix or not secret:
        return None
    row = db.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or not hmac.compare_digest(row.key_hash, _digest(key)):
        return None
    if row.revoked or not row.user.active or not row.user.is_staff:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        row.last_used_at = now
    return row


def revoke_api_key(row: ApiKey) -> None:
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db.session.flush()


def keys_visible_to(user: User) -> list[ApiKey]:
    """Admins see every key; other staff see their own."""
    query = select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())
    if not can(user, "manage_users"):
        query = query.where(ApiKey.user_id == user.id)
    return list(db.session.scalars(query))


def may_revoke(user: User, row: ApiKey) -> bool:
    return row.user_id == user.id or can(user, "manage_users")


def bearer_key(authorization: str | None) -> ApiKey | None:
    """The key in an ``Authorization: Bearer`` header. A header that names a dead key is refused,
    rather than ignored, so a script with a revoked key learns why."""
    from cms.errors import Unauthorized

    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    row = authenticate_api_key(token.strip())
    if row is None:
        raise Unauthorized(
            "This API key is unknown or revoked.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return row
