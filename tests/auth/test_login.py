"""Logging in and out: one message for every wrong answer, lockout, rate limits, safe redirects, sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from cms.auth.models import Role
from cms.db import utcnow
from cms.extensions import db
from tests.auth.browser import csrf_token, submit
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.mailbox import Mailbox


def _api_login(client: FlaskClient, login: object, password: object, **extra: object):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/login", json={"login": login, "password": password, **extra})


def test_wrong_password_and_unknown_login_get_the_same_answer(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    wrong_password = _api_login(client, user.username, "not the password at all")
    unknown = _api_login(client, "nobody-at-all", DEFAULT_PASSWORD)
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.json["detail"] == unknown.json["detail"] == "The login or the password is wrong."
    page = submit(client, "/login", {"login": "nobody-at-all", "password": "whatever it is"})
    assert page.status_code == 401
    assert "The login or the password is wrong." in page.text


def test_login_refuses_values_that_are_not_strings(client: FlaskClient) -> None:
    assert _api_login(client, {"$ne": ""}, DEFAULT_PASSWORD).status_code == 400
    assert _api_login(client, "someone", 12345678901234).status_code == 400


def test_ten_failures_lock_the_account_and_tell_its_owner(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    for _ in range(10):
        assert _api_login(client, user.username, "a wrong guess of a password").status_code == 401
    assert smtp.last(user.email).subject == "Your account is locked for 15 minutes"
    # Even the right password is refused while the lock lasts, with the same message.
    locked = _api_login(client, user.username, DEFAULT_PASSWORD)
    assert locked.status_code == 401
    assert locked.json["detail"] == "The login or the password is wrong."

    user.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
    db.session.commit()
    assert _api_login(client, user.username, DEFAULT_PASSWORD).status_code == 200
    db.session.refresh(user)
    assert user.failed_logins == 0


def test_a_password_reset_lifts_a_lockout(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user(locked_until=utcnow() + timedelta(minutes=15), failed_logins=3)
    db.session.commit()
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    token = smtp.last(user.email).link("/password/reset/").rsplit("/", 1)[1]
    new = "an entirely fresh passphrase"
    assert (
        client.post("/api/v1/auth/password/reset", json={"token": token, "password": new}).status_code == 200
    )
    assert _api_login(client, user.username, new).status_code == 200


def test_too_many_tries_from_one_address_get_429_with_retry_after(app: Flask, client: FlaskClient) -> None:
    for attempt in range(20):
        answer = _api_login(client, f"someone{attempt}", "wrong password here")
        assert answer.status_code == 401
    blocked = _api_login(client, "someone-else", "wrong password here")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert blocked.mimetype == "application/problem+json"
    page = submit(client, "/login", {"login": "x", "password": "y"})
    assert page.status_code == 429
    assert "Retry-After" in page.headers


def test_too_many_tries_on_one_account_get_429(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    answers = [
        client.post(
            "/api/v1/auth/login",
            json={"login": user.username, "password": "guess"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        ).status_code
        for n in range(16)
    ]
    assert answers[:15] == [401] * 15
    assert answers[15] == 429


def test_forgot_is_limited_per_account(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    answers = [
        client.post("/api/v1/auth/password/forgot", json={"login": user.email}).status_code for _ in range(4)
    ]
    assert answers == [202, 202, 202, 429]
    assert len(smtp.to(user.email)) == 3


def test_reset_and_confirm_are_rate_limited(client: FlaskClient) -> None:
    answers = {
        client.post("/api/v1/auth/password/reset", json={"token": "x.y.z", "password": "p" * 12}).status_code
        for _ in range(21)
    }
    assert 429 in answers
    answers = {client.get("/confirm/some.bad.token").status_code for _ in range(21)}
    assert 429 in answers


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example",
        "https:evil.example",
        "https://evil.example/",
        "//[",
        "\\\\x",
        "/\t/evil.example",
    ],
)
def test_login_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    user = make_user()
    db.session.commit()
    page = client.get("/login", query_string={"next": target})
    assert page.status_code == 200
    answer = client.post(
        "/login",
        data={
            "csrf_token": csrf_token(page.text),
            "login": user.username,
            "password": DEFAULT_PASSWORD,
            "next": target,
        },
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/account"


def test_login_follows_a_local_next(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    page = client.get("/login?next=/account%3Ftab%3Demail")
    answer = client.post(
        "/login",
        data={"csrf_token": csrf_token(page.text), "login": user.email, "password": DEFAULT_PASSWORD,
              "next": "/account?tab=email"},
    )  # fmt: skip
    assert answer.headers["Location"] == "/account?tab=email"


def test_login_starts_a_fresh_session(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    assert _api_login(client, user.username, DEFAULT_PASSWORD).status_code == 200
    with client.session_transaction() as session:
        assert "planted" not in session


def test_remember_me_lasts_thirty_days(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    answer = _api_login(client, user.username, DEFAULT_PASSWORD, remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only
    assert cookie.expires is not None
    lifetime = cookie.expires - utcnow()
    assert timedelta(days=29) < lifetime <= timedelta(days=30)
    assert answer.status_code == 200


def test_the_remember_cookie_alone_signs_in_until_the_password_changes(app: Flask, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    browser = app.test_client()
    _api_login(browser, user.username, DEFAULT_PASSWORD, remember=True)
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    closed_and_reopened = app.test_client()
    closed_and_reopened.set_cookie("remember_token", remember.value)
    assert closed_and_reopened.get("/api/v1/auth/me").status_code == 200

    user.session_version += 1  # what a password change does
    db.session.commit()
    reopened_later = app.test_client()
    reopened_later.set_cookie("remember_token", remember.value)
    assert reopened_later.get("/api/v1/auth/me").status_code == 401


def test_signed_in_pages_are_not_cached(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    _api_login(client, user.username, DEFAULT_PASSWORD)
    for path in ("/account", "/api/v1/auth/me", "/"):
        answer = client.get(path)
        assert "no-store" in answer.headers["Cache-Control"], path
        assert "Cookie" in answer.headers["Vary"], path


def test_logout_needs_the_form_token_and_ends_the_session(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    _api_login(client, user.username, DEFAULT_PASSWORD)
    client.post("/logout")  # no CSRF token: a cross-site form cannot log people out
    assert client.get("/api/v1/auth/me").status_code == 200
    account = client.get("/account")
    answer = client.post("/logout", data={"csrf_token": csrf_token(account.text)})
    assert answer.status_code == 302
    assert client.get("/api/v1/auth/me").status_code == 401


def test_api_logout_needs_the_csrf_header(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    _api_login(client, user.username, DEFAULT_PASSWORD)
    assert client.post("/api/v1/auth/logout").status_code == 403
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "made-up"}).status_code == 403
    token = client.get("/api/v1/auth/csrf").json["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401
    # The token in the login answer works as well. (Tokens are signed with a timestamp, so the two
    # strings differ from one second to the next; both carry the same session secret.)
    logged_in = _api_login(client, user.username, DEFAULT_PASSWORD)
    headers = {"X-CSRF-Token": logged_in.json["csrf_token"]}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401


def test_an_old_hash_is_upgraded_at_login(client: FlaskClient) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(DEFAULT_PASSWORD)
    user = make_user(password_hash=weak)
    db.session.commit()
    assert _api_login(client, user.username, DEFAULT_PASSWORD).status_code == 200
    db.session.refresh(user)
    assert user.password_hash != weak
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_readers_never_reach_the_staff_area(client: FlaskClient) -> None:
    reader = make_user(role=Role.READER)
    db.session.commit()
    anonymous = client.get("/admin/")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=")
    _api_login(client, reader.username, DEFAULT_PASSWORD)
    assert client.get("/admin/").status_code == 403


def test_staff_land_in_the_staff_area_after_login(client: FlaskClient) -> None:
    editor = make_user(role=Role.EDITOR)
    db.session.commit()
    answer = submit(client, "/login", {"login": editor.username, "password": DEFAULT_PASSWORD})
    assert answer.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_login_fixture_signs_a_client_in(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    db.session.commit()
    login(client, user)
    assert client.get("/api/v1/auth/me").json["data"]["username"] == user.username
