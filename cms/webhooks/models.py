"""Webhooks and their deliveries: one delivery row per event and hook, kept as the delivery log."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.db import utcnow
from cms.extensions import db


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Webhook(db.Model):  # type: ignore[name-defined]
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2000))
    #: The HMAC key deliveries are signed with. Kept in clear: signing needs it.
    secret: Mapped[str] = mapped_column(String(200))
    #: Space-separated event names.
    events: Mapped[str] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Why the hook was switched off (by a 410 answer, or by hand); None while active.
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="webhook", cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    def wants(self, event: str) -> bool:
        return self.active and event in self.event_list

    def __repr__(self) -> str:
        return f"<Webhook {self.id} {self.url}>"


class WebhookDelivery(db.Model):  # type: ignore[name-defined]
    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Sent as X-CMS-Delivery and in the body, so receivers can drop a delivery they already handled.
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    #: The exact JSON bytes sent (and signed) on every attempt.
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        db.Enum(DeliveryStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=DeliveryStatus.PENDING,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    #: A failed delivery is not retried before this time (exponential backoff).
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    #: The HTTP status of the last answer; None when there was no answer (refused, timed out).
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))

    webhook: Mapped[Webhook] = relationship(back_populates="deliveries", lazy="joined")

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.event} {self.status.value}>"


Index("ix_webhook_deliveries_due", WebhookDelivery.status, WebhookDelivery.next_attempt_at)
