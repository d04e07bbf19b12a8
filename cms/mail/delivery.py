"""Sending what the outbox holds: over SMTP with Flask-Mail, or to the log when no server is set.

Each message is claimed in its own short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so
two senders never send the same message. A failure leaves the message in the outbox with a later
``next_attempt_at``: one minute, then doubling up to six hours, for at most ``MAIL_MAX_ATTEMPTS`` tries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_mail import Connection, Message
from sqlalchemy import select
from sqlalchemy.orm import Session

from cms.db import utcnow
from cms.extensions import db, mail
from cms.mail.models import OutboxMessage

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def deliver_pending(*, include_waiting: bool = False, limit: int | None = None) -> DeliveryReport:
    """Send every unsent message that is due (or, with ``include_waiting``, every unsent one)."""
    report = DeliveryReport()
    limit = limit if limit is not None else int(current_app.config["MAIL_BATCH_SIZE"])
    max_attempts = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    tried: list[int] = []
    with Session(db.engine) as session:
        while len(tried) < limit:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts)
                .order_by(OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if tried:
                query = query.where(OutboxMessage.id.not_in(tried))
            if not include_waiting:
                query = query.where(OutboxMessage.next_attempt_at <= utcnow())
            message = session.scalar(query)
            if message is None:
                break
            tried.append(message.id)
            _attempt(message, report)
            session.commit()
    return report


def _attempt(message: OutboxMessage, report: DeliveryReport) -> None:
    message.attempts += 1
    try:
        _send(message)
    except Exception as error:  # any failure of the transport leaves the message for a retry
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        message.next_attempt_at = utcnow() + retry_delay(message.attempts)
        report.failed.append(message.id)
        log.warning(
            "Mail %s to %s not sent (attempt %s): %s",
            message.id,
            message.recipient,
            message.attempts,
            message.last_error,
        )
        return
    message.sent_at = utcnow()
    message.last_error = None
    report.sent.append(message.id)


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        # Development without a mail server: the log is the inbox, so people can follow the links.
        log.warning(
            "No CMS_MAIL_SERVER set; mail not sent, here it is:\nTo: %s\nSubject: %s\n\n%s",
            message.recipient,
            message.subject,
            message.text_body,
        )
        return
    # The transport is built from the config at send time (not frozen at start-up) and sends even
    # under TESTING, where Flask-Mail would otherwise suppress it: tests use a real SMTP server.
    settings: dict[str, Any] = {**config, "MAIL_SUPPRESS_SEND": False}
    transport = mail.init_mail(settings)
    outgoing = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.text_body,
        html=message.html_body,
        sender=config["MAIL_DEFAULT_SENDER"],
    )
    # Flask-Mail types Connection as taking Mail, but it only reads the settings _Mail holds.
    with Connection(transport) as connection:  # type: ignore[arg-type]
        connection.send(outgoing)
