"""Audit log lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.db import utcnow
from cms.extensions import db


class AuditEntry(db.Model):  # type: ignore[name-defined]
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: None when the actor's account was deleted later, or for actions run from the shell.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Dotted name of what happened, e.g. ``article.publish`` or ``user.role``.
    action: Mapped[str] = mapped_column(String(64), index=True)
    #: What it happened to, e.g. ``article:<uuid>`` or ``user:42``.
    subject: Mapped[str] = mapped_column(String(255))
    #: A human-readable line for the log page.
    summary: Mapped[str] = mapped_column(String(500))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor = relationship("User", lazy="joined")
