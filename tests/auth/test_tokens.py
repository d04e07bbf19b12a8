"""Emailed tokens: each works only for its own purpose, only until it expires, and only unaltered."""

from __future__ import annotations

import time
from types import SimpleNamespace

import itsdangerous.timed
import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.auth.models import User
from cms.auth.tokens import Purpose, make_token, password_fingerprint
from cms.extensions import db
from tests.factories import make_user
from tests.mailbox import Mailbox

PASSWORD = "purple elephants dance quietly"

#: Where each kind of token is spent over JSON.
ENDPOINTS = {
    Purpose.CONFIRM: "/api/v1/auth/confirm",
    Purpose.RESET: "/api/v1/auth/password/reset",
    Purpose.INVITE: "/api/v1/auth/invitation/accept",
    Purpose.CHANGE_EMAIL: "/api/v1/auth/email/confirm",
}


def _all_purpose_payload(user: User) -> dict[str, object]:
    """A payload that passes every purpose's checks for ``user``: only the salt can tell them apart."""
    return {
        "uid": user.id,
        "email": user.email,
        "pw": password_fingerprint(user.password_hash),
        "old": user.email,
        "new": f"new-{user.id}@example.org",
    }


@pytest.mark.parametrize("spent_at", list(Purpose), ids=lambda purpose: purpose.value)
def test_a_token_works_only_for_its_own_purpose(
    client: FlaskClient, smtp: Mailbox, spent_at: Purpose
) -> None:
    # An invited user: no password yet and an unconfirmed address, so every flow could apply.
    user = make_user(password_hash=None, email_confirmed_at=None)
    db.session.commit()
    payload = _all_purpose_payload(user)
    body = {"password": PASSWORD} if spent_at in (Purpose.RESET, Purpose.INVITE) else {}
    for made_for in Purpose:
        if made_for is spent_at:
            continue
        answer = client.post(ENDPOINTS[spent_at], json={"token": make_token(made_for, payload), **body})
        assert answer.status_code == 400, made_for
        assert answer.json["type"].endswith("/invalid-token"), made_for
    own = client.post(ENDPOINTS[spent_at], json={"token": make_token(spent_at, payload), **body})
    assert own.status_code == 200, own.json


def _later(monkeypatch: pytest.MonkeyPatch, seconds: int) -> None:
    """Move itsdangerous's clock ``seconds`` into the future."""
    now = time.time() + seconds
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: now))


def _confirm_token(client: FlaskClient, smtp: Mailbox, email: str, username: str) -> str:
    client.post("/api/v1/auth/register", json={"email": email, "username": username, "password": PASSWORD})
    return smtp.last(email).link("/confirm/").rsplit("/", 1)[1]


def test_a_confirmation_link_works_for_a_day(
    client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _confirm_token(client, smtp, "slow@example.org", "slowpoke")
    _later(monkeypatch, 86400 - 60)
    assert client.post("/api/v1/auth/confirm", json={"token": token}).status_code == 200


def test_an_expired_confirmation_link_says_so(
    client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _confirm_token(client, smtp, "late@example.org", "latecomer")
    _later(monkeypatch, 86400 + 1)
    answer = client.post("/api/v1/auth/confirm", json={"token": token})
    assert answer.status_code == 400
    assert answer.json["type"].endswith("/invalid-token")
    assert "expired" in answer.json["detail"]
    page = client.get(f"/confirm/{token}")
    assert page.status_code == 400
    assert "expired" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]


def test_the_expiry_comes_from_the_configuration(
    app: Flask, client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "EMAIL_CONFIRM_MAX_AGE", 600)
    token = _confirm_token(client, smtp, "brief@example.org", "brief")
    _later(monkeypatch, 601)
    assert "expired" in client.post("/api/v1/auth/confirm", json={"token": token}).json["detail"]


def test_a_tampered_confirmation_token_is_refused(client: FlaskClient, smtp: Mailbox) -> None:
    token = _confirm_token(client, smtp, "t@example.org", "tamper")
    payload, signature = token.rsplit(".", 1)
    # The first character: the last one of base64 may hold only padding bits, which decode the same.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    for bad in (f"{payload}.{flipped}", token[:-4], token + "x", "not-a-token", "a" * 2000):
        answer = client.post("/api/v1/auth/confirm", json={"token": bad})
        assert answer.status_code == 400, bad
        assert answer.json["type"].endswith("/invalid-token"), bad
    assert client.get(f"/confirm/{payload}.{flipped}").status_code == 400


def test_a_token_signed_with_an_unknown_key_is_refused(app: Flask, client: FlaskClient) -> None:
    user = make_user(email_confirmed_at=None)
    db.session.commit()
    real_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "an attacker's guess at the key, long enough"
    try:
        forged = make_token(Purpose.CONFIRM, {"uid": user.id, "email": user.email})
    finally:
        app.config["SECRET_KEY"] = real_key
    assert client.post("/api/v1/auth/confirm", json={"token": forged}).status_code == 400


def test_a_frontend_can_take_over_the_confirmation_link(
    app: Flask, client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "EMAIL_CONFIRM_URL", "https://www.example.org/welcome?token={token}")
    client.post(
        "/api/v1/auth/register", json={"email": "f@example.org", "username": "frontfan", "password": PASSWORD}
    )
    mail = smtp.last("f@example.org")
    link = mail.link("www.example.org/welcome")
    assert link in mail.html
    token = link.split("token=", 1)[1]
    assert client.post("/api/v1/auth/confirm", json={"token": token}).status_code == 200
