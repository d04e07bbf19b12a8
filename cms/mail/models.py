"""The outbox: one row per message, kept until it is sent (and afterwards, as a record)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cms.db import utcnow
from cms.extensions import db


class OutboxMessage(db.Model):  # type: ignore[name-defined]
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    #: The template the message was built from, for the operator reading the table.
    template: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    #: A failed message is not retried before this time (exponential backoff).
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))

    @property
    def pending(self) -> bool:
        return self.sent_at is None

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.template} to {self.recipient}>"


Index("ix_mail_outbox_pending", OutboxMessage.sent_at, OutboxMessage.next_attempt_at)
