"""Mail leaves through the outbox: written with the event, sent after commit, retried when SMTP was down."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from cms.db import utcnow
from cms.extensions import db
from cms.mail.delivery import deliver_pending
from cms.mail.models import OutboxMessage
from cms.mail.outbox import queue_mail
from cms.mail.transactions import after_commit
from tests.factories import make_user
from tests.mailbox import Mailbox, free_port


def test_a_reset_asked_for_while_smtp_is_down_arrives_once_it_is_back(
    app: Flask, client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user()
    db.session.commit()
    working_port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    answer = client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    assert answer.status_code == 202
    assert smtp.messages == []
    waiting = db.session.scalars(select(OutboxMessage)).one()
    assert waiting.sent_at is None
    assert waiting.attempts == 1
    assert waiting.last_error
    assert waiting.next_attempt_at > utcnow()

    monkeypatch.setitem(app.config, "MAIL_PORT", working_port)
    # Still waiting out its backoff: a plain run leaves it alone.
    assert "Sent 0" in app.test_cli_runner().invoke(args=["mail", "send"]).output
    result = app.test_cli_runner().invoke(args=["mail", "send", "--all"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, failed 0, 0 unsent" in result.output
    mail = smtp.last(user.email)
    assert mail.subject == "Reset your password"
    token = mail.link("/password/reset/").rsplit("/", 1)[1]
    reset = client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": "back online passphrase"}
    )
    assert reset.status_code == 200


def test_a_message_due_for_retry_goes_out_with_the_next_send(app: Flask, smtp: Mailbox) -> None:
    user = make_user()
    queue_mail(
        to=user.email, template="password_changed", language="en", context={"user": user, "forgot_link": "x"}
    )
    db.session.flush()
    message = db.session.scalars(select(OutboxMessage)).one()
    message.attempts, message.next_attempt_at = 3, utcnow()
    db.session.commit()
    assert smtp.last(user.email).subject == "Your password was changed"
    db.session.refresh(message)
    assert message.sent_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    queue_mail(
        to=user.email, template="password_changed", language="en", context={"user": user, "forgot_link": "x"}
    )
    db.session.rollback()
    db.session.commit()
    assert smtp.messages == []
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_mail_speaks_the_user_s_language(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user(language="de-AT")
    db.session.commit()
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    mail = smtp.last(user.email)
    assert mail.subject == "Passwort zurücksetzen"
    assert "Neues Passwort wählen" in mail.html
    assert "Der Link funktioniert einmal" in mail.text


def test_every_template_exists_in_both_languages(app: Flask) -> None:
    from pathlib import Path

    folder = Path(app.template_folder or "") / "mail"
    names = {path.name.split(".")[0] for path in folder.glob("*.txt")}
    for name in names:
        for language in ("en", "de"):
            text = (folder / f"{name}.{language}.txt").read_text(encoding="utf-8")
            assert text.startswith("Subject: "), (name, language)


def test_without_a_mail_server_messages_go_to_the_log(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    assert not app.config["MAIL_SERVER"]
    user = make_user()
    queue_mail(
        to=user.email, template="password_changed", language="en", context={"user": user, "forgot_link": "x"}
    )
    with caplog.at_level(logging.WARNING, logger="cms.mail.delivery"):
        db.session.commit()
    assert "Your password was changed" in caplog.text
    assert user.email in caplog.text
    assert db.session.scalars(select(OutboxMessage)).one().sent_at is not None


def test_after_commit_callbacks_run_once_and_only_after_commit() -> None:
    ran: list[str] = []
    after_commit(lambda: ran.append("rolled back"))
    db.session.rollback()
    db.session.commit()
    callback = lambda: ran.append("committed")  # noqa: E731 - the same callable twice
    after_commit(callback)
    after_commit(callback)
    assert ran == []
    db.session.commit()
    assert ran == ["committed"]


def test_deliver_pending_reports_what_it_sent(smtp: Mailbox) -> None:
    assert deliver_pending().sent == []


@pytest.fixture
def silent_smtp_port() -> Iterator[int]:
    """A server that accepts connections and never says a word (a hung mail server). It hangs up after
    30 s, so that a sender without a timeout fails with a different error instead of waiting for ever."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not done.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
        for connection in accepted:
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    threading.Timer(30, done.set).start()
    yield listener.getsockname()[1]
    done.set()
    thread.join()
    listener.close()


def test_a_mail_server_that_never_answers_times_out_and_the_message_waits(
    app: Flask, silent_smtp_port: int
) -> None:
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent_smtp_port, MAIL_TIMEOUT=0.5)
    try:
        user = make_user()
        queue_mail(to=user.email, template="password_changed", language="en",
                   context={"user": user, "forgot_link": "x"})  # fmt: skip
        db.session.commit()
    finally:
        app.config.update(saved)
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error is not None and "timed out" in message.last_error
    assert message.next_attempt_at is not None and message.next_attempt_at > utcnow()
