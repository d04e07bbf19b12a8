"""Registering webhooks and queueing deliveries. Services flush; the edge that called them commits."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cms.db import rfc3339, utcnow
from cms.errors import ValidationError
from cms.extensions import db
from cms.webhooks import EVENTS
from cms.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery

#: How many deliveries the log shows for one hook.
LOG_SIZE = 50


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _checked(name: str, url: str, events: Iterable[str]) -> tuple[str, str, str]:
    """The name, URL and space-separated events, or ``ValidationError`` naming the bad field."""
    wanted = sorted(set(events))
    name = name.strip()
    if not name:
        raise ValidationError.field("name", "give the webhook a name")
    if len(name) > 100:
        raise ValidationError.field("name", "use at most 100 characters")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError.field("url", "use an absolute http:// or https:// URL")
    if len(url) > 2000:
        raise ValidationError.field("url", "use at most 2000 characters")
    if not wanted:
        raise ValidationError.field("events", "choose at least one event")
    unknown = [e for e in wanted if e not in EVENTS]
    if unknown:
        raise ValidationError.field("events", f"unknown event {unknown[0]!r}")
    return name, url, " ".join(wanted)


def create_webhook(*, name: str, url: str, events: Iterable[str], secret: str | None = None) -> Webhook:
    name, url, event_names = _checked(name, url, events)
    secret = (secret or "").strip() or new_secret()
    if len(secret) < 16:
        raise ValidationError.field(
            "secret", "use at least 16 characters, or leave it empty for a random one"
        )
    if len(secret) > 200:
        raise ValidationError.field("secret", "use at most 200 characters")
    hook = Webhook(name=name, url=url, events=event_names, secret=secret)
    db.session.add(hook)
    db.session.flush()
    return hook


def update_webhook(hook: Webhook, *, name: str, url: str, events: Iterable[str]) -> Webhook:
    """Change where a hook points and what it hears; deliveries still waiting go to the new URL."""
    hook.name, hook.url, hook.events = _checked(name, url, events)
    db.session.flush()
    return hook


def set_active(hook: Webhook, active: bool, reason: str | None = None) -> None:
    hook.active = active
    hook.disabled_reason = None if active else (reason or "Switched off by hand")
    db.session.flush()


def delete_webhook(hook: Webhook) -> None:
    db.session.delete(hook)
    db.session.flush()


def webhooks() -> list[Webhook]:
    return list(db.session.scalars(select(Webhook).order_by(Webhook.created_at.desc(), Webhook.id.desc())))


def delivery_log(hook: Webhook) -> list[WebhookDelivery]:
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == hook.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(LOG_SIZE)
    )
    return list(db.session.scalars(query))


def queue_deliveries(session: Session, events: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """One delivery per (event, subscribed active hook), written in ``session``'s transaction."""
    hooks = list(session.scalars(select(Webhook).where(Webhook.active.is_(True))))
    count = 0
    for event, data in events:
        for hook in hooks:
            if hook.wants(event):
                delivery = WebhookDelivery(webhook_id=hook.id, event=event, body="")
                delivery.body = _body(delivery, event, data)
                session.add(delivery)
                count += 1
    return count


def _body(delivery: WebhookDelivery, event: str, data: dict[str, Any]) -> str:
    # The uuid is set here rather than left to the column default, because the body quotes it.
    delivery.uuid = uuid.uuid4()
    envelope = {"id": str(delivery.uuid), "event": event, "created_at": rfc3339(utcnow()), "data": data}
    return orjson.dumps(envelope).decode()


def give_up_on(session: Session, hook_id: int, reason: str) -> None:
    """Mark the hook's waiting deliveries failed: after a 410 nobody is listening for them."""
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == hook_id, WebhookDelivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.FAILED, last_error=reason)
    )
