"""The password rules a person meets: length only (12 to 128, any Unicode), no common or personal ones."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.auth.passwords import common_passwords
from cms.extensions import db
from tests.factories import make_user
from tests.mailbox import Mailbox


def _register(client: FlaskClient, password: str, **fields: str):  # type: ignore[no-untyped-def]
    body = {"email": "walter@example.org", "username": "walter", "password": password, **fields}
    return client.post("/api/v1/auth/register", json=body)


def _refusal(client: FlaskClient, password: str, **fields: str) -> str | None:
    answer = _register(client, password, **fields)
    if answer.status_code == 202:
        return None
    assert answer.status_code == 400
    assert answer.json["errors"][0]["field"] == "password"
    return str(answer.json["errors"][0]["message"])


def test_length_counts_characters_of_any_script(client: FlaskClient, smtp: Mailbox) -> None:
    assert "at least 12" in (_refusal(client, "ünïcödé pw") or "")
    # Twelve characters, whatever their bytes: no composition rules either.
    assert _refusal(client, "пароль знаю", email="a@example.org", username="a-one") is not None  # 11
    assert _refusal(client, "пароль знаюя", email="b@example.org", username="b-two") is None
    assert _refusal(client, "雪山飞狐笑傲江湖鹿鼎记书", email="c@example.org", username="c-three") is None


def test_128_characters_are_the_most(client: FlaskClient, smtp: Mailbox) -> None:
    longest = "correct horse battery staple " * 4 + "and twelve"
    assert len(longest) == 126
    assert _refusal(client, longest + "!!", email="l@example.org", username="longest") is None
    assert "at most 128" in (
        _refusal(client, longest + "!!!", email="m@example.org", username="longer") or ""
    )


def test_long_passwords_are_not_truncated(client: FlaskClient, smtp: Mailbox) -> None:
    """Two passwords that share their first 100 characters are different passwords."""
    shared = "x" * 50 + " the same first hundred characters of a long passphrase, then " + "y" * 13
    assert 100 < len(shared) < 127
    user = make_user(password=shared + "AB")
    db.session.commit()
    login = {"login": user.username}
    assert client.post("/api/v1/auth/login", json={**login, "password": shared + "AC"}).status_code == 401
    assert client.post("/api/v1/auth/login", json={**login, "password": shared + "AB"}).status_code == 200


def test_the_common_list_is_long_and_checked_whatever_the_case(client: FlaskClient, smtp: Mailbox) -> None:
    assert len(common_passwords()) >= 10_000
    assert "password1234" in common_passwords()
    for password in ("password1234", "PASSWORD1234", "PaSsWoRd1234"):
        assert "most common" in (_refusal(client, password) or ""), password


@pytest.mark.parametrize(
    "password",
    ["my name is walter white", "WALTER forever and ever", "walter@example.org!!", "i am walter at home"],
)
def test_a_password_may_not_contain_the_username_or_email(client: FlaskClient, password: str) -> None:
    assert "username or email" in (_refusal(client, password) or "")


def test_the_minimum_length_is_configurable(
    app: Flask, client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PASSWORD_MIN_LENGTH", 16)
    assert "at least 16" in (_refusal(client, "fifteen chars!!") or "")


def test_a_new_password_is_checked_on_reset_and_change_too(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user(username="gretchen")
    db.session.commit()
    client.post("/api/v1/auth/password/forgot", json={"login": user.username})
    token = smtp.last(user.email).link("/password/reset/").rsplit("/", 1)[1]
    weak = client.post("/api/v1/auth/password/reset", json={"token": token, "password": "gretchen is great"})
    assert weak.status_code == 400
    assert weak.json["errors"][0]["field"] == "password"
    # A refused password does not use up the link.
    good = client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": "ein ganz neues kennwort"}
    )
    assert good.status_code == 200
