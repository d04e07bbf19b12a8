"""Sending deliveries: a signed JSON POST each, claimed one at a time like mail in the outbox.

A 2xx answer delivers. 410 Gone switches the hook off for good. Anything else (another status, a
refused connection, a timeout) is retried with the backoff of ``cms.jobs.retrying``, which the mail
outbox uses too, at most ``WEBHOOK_MAX_RETRIES`` times after the first try. Redirects are not
followed: a hook that moved should be edited, and a redirect must not turn the POST into a GET elsewhere.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from cms.db import utcnow
from cms.jobs.retrying import SendReport, schedule_retry, send_due
from cms.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery
from cms.webhooks.service import give_up_on
from cms.webhooks.signing import SIGNATURE_HEADER, signature_header

log = logging.getLogger(__name__)

USER_AGENT = "CMS-Webhooks/1.0"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def deliver_pending(*, include_waiting: bool = False, limit: int | None = None) -> SendReport:
    """Send every pending delivery that is due (or, with ``include_waiting``, every pending one)."""
    unsent = (
        select(WebhookDelivery)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING, Webhook.active.is_(True))
    )
    return send_due(
        WebhookDelivery,
        unsent,
        _attempt,
        include_waiting=include_waiting,
        limit=limit if limit is not None else int(current_app.config["WEBHOOK_BATCH_SIZE"]),
    )


def _attempt(session: Session, delivery: WebhookDelivery) -> bool:
    status, error = _post(delivery)
    delivery.last_status_code = status
    if status is not None and 200 <= status < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = utcnow()
        delivery.last_error = None
        return True
    delivery.last_error = error[:500]
    hook = delivery.webhook
    if status == 410:
        delivery.status = DeliveryStatus.FAILED
        hook.active = False
        hook.disabled_reason = "The receiver answered 410 Gone"
        give_up_on(session, hook.id, "Not sent: the hook was switched off after a 410 Gone")
        log.warning("Webhook %s answered 410 Gone; switched it off", hook.id)
        return False
    if delivery.attempts > int(current_app.config["WEBHOOK_MAX_RETRIES"]):
        delivery.status = DeliveryStatus.FAILED
        log.warning(
            "Webhook delivery %s failed for good after %s tries: %s", delivery.id, delivery.attempts, error
        )
        return False
    schedule_retry(delivery)
    return False


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery; returns the HTTP status (None without an answer) and a short description."""
    body = delivery.body.encode()
    request = urllib.request.Request(  # noqa: S310 - an http(s) URL an admin registered, checked on save
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-CMS-Event": delivery.event,
            "X-CMS-Delivery": str(delivery.uuid),
            SIGNATURE_HEADER: signature_header(delivery.webhook.secret, body),
        },
    )
    timeout = float(current_app.config["WEBHOOK_TIMEOUT"])
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, f"{type(error).__name__}: {reason}"
