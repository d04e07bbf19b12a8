"""Sending what the outbox holds: over SMTP with Flask-Mail, or to the log when no server is set.

Messages are claimed one at a time by ``cms.jobs.retrying``, so two senders never send the same message.
A failure leaves the message in the outbox with a later ``next_attempt_at`` (the shared backoff: one
minute, then doubling up to six hours), for at most ``MAIL_MAX_ATTEMPTS`` tries.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from flask import current_app
from flask_mail import Connection, Message
from sqlalchemy import select
from sqlalchemy.orm import Session

from cms.db import utcnow
from cms.extensions import mail
from cms.jobs.retrying import SendReport, schedule_retry, send_due
from cms.mail.models import OutboxMessage

log = logging.getLogger(__name__)


def deliver_pending(*, include_waiting: bool = False, limit: int | None = None) -> SendReport:
    """Send every unsent message that is due (or, with ``include_waiting``, every unsent one)."""
    max_attempts = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    unsent = select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts
    )
    return send_due(
        OutboxMessage,
        unsent,
        _attempt,
        include_waiting=include_waiting,
        limit=limit if limit is not None else int(current_app.config["MAIL_BATCH_SIZE"]),
    )


def _attempt(session: Session, message: OutboxMessage) -> bool:
    try:
        _send(message)
    except Exception as error:  # any failure of the transport leaves the message for a retry
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        schedule_retry(message)
        log.warning(
            "Mail %s to %s not sent (attempt %s): %s",
            message.id,
            message.recipient,
            message.attempts,
            message.last_error,
        )
        return False
    message.sent_at = utcnow()
    message.last_error = None
    return True


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
    with _TimedConnection(transport, float(config["MAIL_TIMEOUT"])) as connection:
        connection.send(outgoing)


class _TimedConnection(Connection):
    """Flask-Mail's connection opens SMTP with no timeout: a server that accepts and then says nothing
    would hold the sender (a web worker, or ``cms worker``) for ever. This one gives up after
    ``timeout`` seconds per socket operation, and the message waits in the outbox for its retry."""

    def __init__(self, mail: Any, timeout: float) -> None:
        # ``mail`` is the settings holder ``Mail.init_mail`` returns (Flask-Mail types it as ``Mail``).
        super().__init__(mail)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        settings = self.mail
        smtp_class = smtplib.SMTP_SSL if settings.use_ssl else smtplib.SMTP
        host = smtp_class(settings.server, settings.port, timeout=self.timeout)
        host.set_debuglevel(int(settings.debug))
        if settings.use_tls:
            host.starttls()
        if settings.username and settings.password:
            host.login(settings.username, settings.password)
        return host
