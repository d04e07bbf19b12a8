"""What the mail outbox and webhook deliveries share: the backoff, and claiming one row at a time."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import select

from cms.extensions import db
from cms.jobs.retrying import SendReport, retry_delay
from cms.mail.delivery import deliver_pending
from cms.mail.models import OutboxMessage
from tests.mailbox import Mailbox


def test_backoff_doubles_and_is_capped() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert retry_delay(30).total_seconds() == 6 * 3600


def _waiting_mail(recipient: str) -> OutboxMessage:
    """A row in the outbox, written without ``queue_mail`` so that no send follows the commit."""
    message = OutboxMessage(
        recipient=recipient, subject=f"For {recipient}", text_body="Hello", html_body=None, template="test"
    )
    db.session.add(message)
    return message


def test_a_message_another_sender_holds_is_skipped_and_sent_once_released(app: Flask, smtp: Mailbox) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite ignores FOR UPDATE and takes one writer at a time")
    held, free = _waiting_mail("held@example.org"), _waiting_mail("free@example.org")
    db.session.commit()
    held_id, free_id = held.id, free.id
    reports: list[SendReport] = []

    def send() -> None:
        with app.app_context():
            reports.append(deliver_pending())

    with db.engine.connect() as other_sender:
        # Another sender has claimed the first message and is still talking to the SMTP server.
        other_sender.execute(select(OutboxMessage.id).where(OutboxMessage.id == held_id).with_for_update())
        thread = threading.Thread(target=send)
        thread.start()
        thread.join(timeout=60)
        blocked = thread.is_alive()
        other_sender.rollback()
    thread.join(timeout=60)
    assert not blocked, "the sender waited for the held message instead of skipping it"
    assert reports[0].sent == [free_id]
    assert [m.recipients for m in smtp.messages] == [["free@example.org"]]

    assert deliver_pending().sent == [held_id]
    assert [m.recipients for m in smtp.messages] == [["free@example.org"], ["held@example.org"]]
