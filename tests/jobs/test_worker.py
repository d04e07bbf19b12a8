"""``cms worker`` sends retries whose backoff is over without anyone saving a change or running cron."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from cms.db import utcnow
from cms.extensions import db
from cms.mail.models import OutboxMessage
from cms.mail.outbox import queue_mail
from cms.webhooks import EVENTS
from cms.webhooks.models import DeliveryStatus, WebhookDelivery
from cms.webhooks.service import create_webhook
from tests.conftest import TEST_SECRET
from tests.factories import make_article, make_user
from tests.mailbox import Mailbox, free_port
from tests.webhooks.conftest import Receiver

PROJECT = Path(__file__).resolve().parents[2]
#: Generous: the subprocess imports the whole app before its first pass.
SUBPROCESS_TIMEOUT = 60


def _queue_password_changed(email: str) -> None:
    queue_mail(
        to=email, template="password_changed", language="en", context={"user": None, "forgot_link": "x"}
    )


def _webhook_whose_first_delivery_failed(receiver: Receiver) -> WebhookDelivery:
    """A hook whose receiver answered 500 to the first try; the retry waits out its backoff."""
    receiver.statuses = [500, 204]
    create_webhook(name="Site rebuild", url=receiver.url, events=EVENTS, secret="a-secret-of-sixteen-or-more")
    db.session.commit()
    make_article(title="Chips hoarded")
    db.session.commit()
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at > utcnow()
    return delivery


def _backoff_over(row: OutboxMessage | WebhookDelivery) -> None:
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_once_sends_the_mail_whose_backoff_is_over_and_leaves_the_rest(
    app: Flask, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    due_user, waiting_user = make_user(), make_user()
    db.session.commit()
    working_port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # the SMTP server is down
    _queue_password_changed(due_user.email)
    _queue_password_changed(waiting_user.email)
    db.session.commit()
    assert smtp.messages == []
    monkeypatch.setitem(app.config, "MAIL_PORT", working_port)  # and back
    due, waiting = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    _backoff_over(due)

    result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "mail: 1 sent, 0 failed" in result.output
    assert smtp.last(due_user.email).subject == "Your password was changed"
    assert smtp.to(waiting_user.email) == [], "a message still in its backoff waits for a later pass"
    db.session.expire_all()
    assert due.sent_at is not None and due.attempts == 2
    assert waiting.sent_at is None and waiting.attempts == 1


def test_once_delivers_the_webhook_whose_retry_is_due(app: Flask, receiver: Receiver) -> None:
    delivery = _webhook_whose_first_delivery_failed(receiver)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "webhooks: 0 sent" in result.output, "not due yet"
    assert len(receiver.received) == 1

    _backoff_over(delivery)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "webhooks: 1 sent, 0 failed" in result.output
    assert receiver.events() == ["article.published", "article.published"]
    assert receiver.received[0].body == receiver.received[1].body
    db.session.expire_all()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_an_interval_of_zero_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--interval", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--interval'" in result.output


def _worker_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    env.update(
        CMS_SECRET_KEY=TEST_SECRET,
        CMS_SQLALCHEMY_DATABASE_URI=database_url,
        CMS_INSTANCE_PATH=str(tmp_path / "instance"),
        CMS_PUBLIC_URL="http://cms.test",
    )
    return env


def _cms(*args: str) -> list[str]:
    return [sys.executable, "-c", "from cms.cli import main; main()", *args]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_worker_keeps_sending_until_a_signal_stops_it(
    app: Flask, receiver: Receiver, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    delivery = _webhook_whose_first_delivery_failed(receiver)
    _backoff_over(delivery)
    log = tmp_path / "worker.log"
    env = _worker_env(str(app.config["SQLALCHEMY_DATABASE_URI"]), tmp_path)
    with log.open("wb") as output:
        worker = subprocess.Popen(
            _cms("worker", "--interval", "0.2"), cwd=PROJECT, env=env, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + SUBPROCESS_TIMEOUT
        while len(receiver.received) < 2 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(receiver.received) == 2, f"the worker sent no retry:\n{log.read_text()}"
        worker.send_signal(stop_signal)
        assert worker.wait(timeout=SUBPROCESS_TIMEOUT) == 0, log.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert "stopped" in log.read_text()
    db.session.expire_all()
    assert delivery.status is DeliveryStatus.DELIVERED, "the pass under way finished before the exit"


def test_once_fails_loudly_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    unreachable = f"sqlite:///{tmp_path / 'no such folder' / 'cms.sqlite3'}"
    done = subprocess.run(
        _cms("worker", "--once"),
        cwd=PROJECT,
        env=_worker_env(unreachable, tmp_path),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "mail: could not run" in done.stdout
    assert "webhooks: could not run" in done.stdout
    assert "unable to open database file" in done.stderr
