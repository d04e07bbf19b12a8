"""Someone who forgot their password gets a link by email, sets a new one, and only that one works."""

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
from tests.auth.browser import csrf_token, path_of, same_headers, submit
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.mailbox import Mailbox

NEW_PASSWORD = "seven green bottles on a wall"


def _log_in(client: FlaskClient, login: str, password: str) -> int:
    return client.post("/api/v1/auth/login", json={"login": login, "password": password}).status_code


def _reset_token(smtp: Mailbox, user: User) -> str:
    return smtp.last(user.email).link("/password/reset/").rsplit("/", 1)[1]


@pytest.mark.parametrize("login_with", ["username", "email"])
def test_forgotten_password_is_replaced_through_the_emailed_link(
    app: Flask, client: FlaskClient, smtp: Mailbox, login_with: str
) -> None:
    user = make_user(username="Forgetful", email="forgetful@example.org")
    db.session.commit()
    other_browser = app.test_client()
    assert _log_in(other_browser, "forgetful", DEFAULT_PASSWORD) == 200
    assert other_browser.get("/api/v1/auth/me").status_code == 200

    asked = submit(client, "/password/forgot", {"login": getattr(user, login_with).upper()})
    assert asked.status_code == 200
    assert "Check your inbox" in asked.text
    mail = smtp.last("forgetful@example.org")
    assert mail.subject == "Reset your password"
    link = mail.link("/password/reset/")
    assert link.startswith("http://cms.test/password/reset/")

    page = client.get(path_of(link))
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    done = client.post(
        path_of(link),
        data={"csrf_token": csrf_token(page.text), "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done.headers["Location"] == "/login"
    # The reset does not sign anyone in by itself.
    assert client.get("/api/v1/auth/me").status_code == 401

    assert _log_in(client, "forgetful", DEFAULT_PASSWORD) == 401
    assert _log_in(client, "forgetful", NEW_PASSWORD) == 200
    again = client.get(path_of(link))
    assert again.status_code == 400
    assert "already been used" in again.text
    # The session in the other browser ended with the old password.
    assert other_browser.get("/api/v1/auth/me").status_code == 401
    notice = smtp.last("forgetful@example.org")
    assert notice.subject == "Your password was changed"


def test_reset_over_json_works_once(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    assert client.post("/api/v1/auth/password/forgot", json={"login": user.email}).status_code == 202
    token = _reset_token(smtp, user)
    first = client.post("/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD})
    assert first.status_code == 200
    second = client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": "yet another passphrase"}
    )
    assert second.status_code == 400
    assert second.json["type"].endswith("/invalid-token")
    assert "already been used" in second.json["detail"]
    assert _log_in(client, user.username, NEW_PASSWORD) == 200


def test_a_reset_link_dies_when_the_password_changes_another_way(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    first_token = _reset_token(smtp, user)
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    second_token = _reset_token(smtp, user)
    assert (
        client.post(
            "/api/v1/auth/password/reset", json={"token": second_token, "password": NEW_PASSWORD}
        ).status_code
        == 200
    )
    stale = client.post(
        "/api/v1/auth/password/reset", json={"token": first_token, "password": "other pass phrase"}
    )
    assert stale.status_code == 400


def test_an_expired_reset_link_is_refused_and_says_so(
    client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user()
    db.session.commit()
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    token = _reset_token(smtp, user)
    later = time.time() + 3601
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: later))
    answer = client.post("/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD})
    assert answer.status_code == 400
    assert answer.json["type"].endswith("/invalid-token")
    assert "expired" in answer.json["detail"]
    page = client.get(f"/password/reset/{token}")
    assert page.status_code == 400
    assert "expired" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_a_reset_link_just_inside_its_hour_still_works(
    client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user()
    db.session.commit()
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    token = _reset_token(smtp, user)
    later = time.time() + 3500
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: later))
    assert (
        client.post(
            "/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD}
        ).status_code
        == 200
    )


def test_a_tampered_reset_token_is_refused(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    token = _reset_token(smtp, user)
    payload, rest = token.split(".", 1)
    tampered = ("A" if payload[0] != "A" else "B") + payload[1:] + "." + rest
    answer = client.post("/api/v1/auth/password/reset", json={"token": tampered, "password": NEW_PASSWORD})
    assert answer.status_code == 400
    assert answer.json["type"].endswith("/invalid-token")
    assert _log_in(client, user.username, DEFAULT_PASSWORD) == 200


def test_a_token_made_for_another_purpose_does_not_reset(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    payload = {"uid": user.id, "pw": password_fingerprint(user.password_hash), "email": user.email}
    for purpose in (Purpose.CONFIRM, Purpose.INVITE, Purpose.CHANGE_EMAIL):
        answer = client.post(
            "/api/v1/auth/password/reset",
            json={"token": make_token(purpose, payload), "password": NEW_PASSWORD},
        )
        assert answer.status_code == 400, purpose
    confirm_token = make_token(Purpose.RESET, {"uid": user.id, "email": user.email})
    assert client.post("/api/v1/auth/confirm", json={"token": confirm_token}).status_code == 400


def test_links_signed_with_a_retired_key_still_work(app: Flask, client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    token = _reset_token(smtp, user)
    old_key = app.config["SECRET_KEY"]
    app.config.update(
        SECRET_KEY="a brand new secret key of more than 32 bytes", SECRET_KEY_FALLBACKS=[old_key]
    )
    try:
        answer = client.post("/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD})
    finally:
        app.config.update(SECRET_KEY=old_key, SECRET_KEY_FALLBACKS=[])
    assert answer.status_code == 200


def test_forgot_answers_the_same_for_known_and_unknown_accounts(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    known = client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    unknown = client.post("/api/v1/auth/password/forgot", json={"login": "nobody-here"})
    assert (known.status_code, known.data) == (unknown.status_code, unknown.data)
    assert same_headers(known, unknown)
    assert [m.recipients for m in smtp.messages] == [[user.email]]

    known_page = submit(client, "/password/forgot", {"login": user.email})
    unknown_page = submit(client, "/password/forgot", {"login": "nobody@example.org"})
    assert (known_page.status_code, known_page.data) == (unknown_page.status_code, unknown_page.data)
    assert same_headers(known_page, unknown_page)


def test_the_forgot_page_speaks_the_seed_s_words(client: FlaskClient) -> None:
    page = client.get("/password/forgot")
    assert "Lost Password" in page.text
    assert (
        "Please enter your username or email address. "
        "You will receive a link to create a new password via email." in page.text
    )
    assert 'href="/password/forgot"' in client.get("/login").text
    assert "Lost your password?" in client.get("/login").text


def test_forgot_refuses_a_login_that_is_not_a_string(client: FlaskClient, smtp: Mailbox) -> None:
    answer = client.post("/api/v1/auth/password/forgot", json={"login": ["a@example.org", "b@example.org"]})
    assert answer.status_code == 400
    assert answer.json["errors"][0]["field"] == "login"
    assert (
        client.post("/api/v1/auth/password/reset", json={"token": 5, "password": NEW_PASSWORD}).status_code
        == 400
    )
    smuggled = client.post(
        "/api/v1/auth/password/forgot", json={"login": "x", "email": "attacker@example.org"}
    )
    assert smuggled.status_code == 400
    assert smtp.messages == []


def test_emailed_links_ignore_the_host_header(
    app: Flask, client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the host check off (a misconfigured proxy, say), the Host header still must not reach mail.
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)
    user = make_user()
    db.session.commit()
    answer = client.post(
        "/api/v1/auth/password/forgot", json={"login": user.username}, headers={"Host": "evil.example"}
    )
    assert answer.status_code == 202
    mail = smtp.last(user.email)
    assert "evil.example" not in mail.text
    assert "evil.example" not in mail.html
    assert mail.link("/password/reset/").startswith("http://cms.test/")


def test_a_frontend_can_take_over_the_reset_link(app: Flask, client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    app.config["PASSWORD_RESET_URL"] = "https://www.example.org/reset?token={token}"
    try:
        client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    finally:
        app.config["PASSWORD_RESET_URL"] = None
    link = smtp.last(user.email).link("example.org/reset")
    token = link.split("token=", 1)[1]
    assert (
        client.post(
            "/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD}
        ).status_code
        == 200
    )


def test_a_reset_ends_remember_me_cookies_and_signs_nobody_in(
    app: Flask, client: FlaskClient, smtp: Mailbox
) -> None:
    user = make_user()
    db.session.commit()
    phone = app.test_client()
    signed_in = phone.post(
        "/api/v1/auth/login", json={"login": user.username, "password": DEFAULT_PASSWORD, "remember": True}
    )
    assert signed_in.status_code == 200
    remember = phone.get_cookie("remember_token")
    assert remember is not None

    client.post("/api/v1/auth/password/forgot", json={"login": user.email})
    reset = client.post(
        "/api/v1/auth/password/reset", json={"token": _reset_token(smtp, user), "password": NEW_PASSWORD}
    )
    assert reset.status_code == 200
    assert client.get_cookie("remember_token") is None
    assert client.get("/api/v1/auth/me").status_code == 401

    assert phone.get("/api/v1/auth/me").status_code == 401
    reopened = app.test_client()  # the phone's browser restarted: only the remember-me cookie is left
    reopened.set_cookie("remember_token", remember.value)
    assert reopened.get("/api/v1/auth/me").status_code == 401
    db.session.refresh(user)
    assert user.failed_logins == 0


def test_the_reset_page_explains_a_refused_password_and_keeps_the_link_alive(
    client: FlaskClient, smtp: Mailbox
) -> None:
    user = make_user(username="hopeful")
    db.session.commit()
    submit(client, "/password/forgot", {"login": user.username})
    link = path_of(smtp.last(user.email).link("/password/reset/"))
    for password, again, message in [
        ("too short", "too short", "at least 12 characters"),
        ("password1234", "password1234", "most common"),
        ("hopeful and happy", "hopeful and happy", "must not contain your username"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The passwords differ."),
    ]:
        refused = submit(client, link, {"password": password, "password_again": again})
        assert refused.status_code == 400, message
        assert message in refused.text, message
        assert refused.headers["Referrer-Policy"] == "no-referrer"
    done = submit(client, link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302
    assert _log_in(client, user.username, NEW_PASSWORD) == 200


def test_a_login_form_without_its_csrf_token_is_refused(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    answer = client.post("/login", data={"login": user.username, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 400
    assert client.get("/api/v1/auth/me").status_code == 401
