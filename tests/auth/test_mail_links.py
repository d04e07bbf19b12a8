"""Every link in every account email points at CMS_PUBLIC_URL, whatever Host header the request named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from cms.auth.models import Role
from cms.extensions import db
from cms.mail.models import OutboxMessage
from tests.auth.browser import csrf_token
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.mailbox import Mailbox

EVIL = "http://evil.example"
PASSWORD = "purple elephants dance quietly"
#: Templates of other features (comments), sent by flows outside this test.
NOT_ACCOUNT_MAIL = {"comment_pending"}


def _post(client: FlaskClient, path: str, body: dict[str, object], **headers: str) -> int:
    return client.post(path, json=body, base_url=EVIL, headers=headers).status_code


def test_no_account_email_carries_the_request_s_host(
    app: Flask, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if the host check were off (a proxy that rewrites Host, say): mail must still not use it.
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)
    monkeypatch.setitem(app.config, "RATELIMIT_AUTH_PER_IP", "1000 per minute")
    admin = make_user(role=Role.ADMIN, username="boss")
    owner = make_user(email="owner@example.org", username="owner")
    victim = make_user(username="victim")
    db.session.commit()
    visitor, browser = app.test_client(), app.test_client()

    register = "/api/v1/auth/register"
    assert (
        _post(visitor, register, {"email": "new@example.org", "username": "newbie", "password": PASSWORD})
        == 202
    )
    assert (
        _post(visitor, register, {"email": owner.email, "username": "copycat", "password": PASSWORD}) == 202
    )
    assert (
        _post(visitor, register, {"email": "late@example.org", "username": "owner", "password": PASSWORD})
        == 202
    )
    assert _post(visitor, "/api/v1/auth/password/forgot", {"login": owner.username}) == 202
    token = smtp.last(owner.email).link("/password/reset/").rsplit("/", 1)[1]
    assert _post(visitor, "/api/v1/auth/password/reset", {"token": token, "password": PASSWORD}) == 200
    for _ in range(10):
        _post(visitor, "/api/v1/auth/login", {"login": victim.username, "password": "wrong guess, again"})

    login = browser.post("/api/v1/auth/login", json={"login": "owner", "password": PASSWORD}, base_url=EVIL)
    csrf = login.json["csrf_token"]
    change = "/api/v1/auth/email/change"
    assert (
        _post(browser, change, {"password": PASSWORD, "new_email": victim.email}, **{"X-CSRF-Token": csrf})
        == 202
    )
    assert (
        _post(
            browser,
            change,
            {"password": PASSWORD, "new_email": "moved@example.org"},
            **{"X-CSRF-Token": csrf},
        )
        == 202
    )
    token = smtp.last("moved@example.org").link("/account/email/").rsplit("/", 1)[1]
    assert _post(browser, "/api/v1/auth/email/confirm", {"token": token}) == 200

    staff = app.test_client()
    staff.post(
        "/api/v1/auth/login", json={"login": admin.username, "password": DEFAULT_PASSWORD}, base_url=EVIL
    )
    page = staff.get("/admin/users", base_url=EVIL)
    invited = staff.post(
        "/admin/users/invite",
        data={
            "csrf_token": csrf_token(page.text),
            "email": "hire@example.org",
            "username": "hire",
            "role": "editor",
        },
        base_url=EVIL,
    )
    assert invited.status_code == 302

    sent = {message.template for message in db.session.scalars(select(OutboxMessage))}
    templates = {path.name.split(".")[0] for path in (Path(app.template_folder or "") / "mail").glob("*.txt")}
    assert sent == templates - NOT_ACCOUNT_MAIL, "every kind of account mail was sent once in this test"
    assert len(smtp.messages) >= len(sent)
    for mail in smtp.messages:
        assert "evil.example" not in mail.text, mail.subject
        assert "evil.example" not in mail.html, mail.subject
        for link in mail.links() + re.findall(r'href="([^"]+)"', mail.html):
            assert link.startswith("http://cms.test/"), (mail.subject, link)
