"""The account page: changing the password or the email address, and staff invitations."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from cms.auth.models import Role, User
from cms.extensions import db
from tests.auth.browser import csrf_token, path_of, submit
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.mailbox import Mailbox

NEW_PASSWORD = "a much better passphrase"


def _api_login(client: FlaskClient, login: str, password: str) -> int:
    return client.post("/api/v1/auth/login", json={"login": login, "password": password}).status_code


def test_changing_the_password_keeps_this_browser_and_ends_the_others(app: Flask, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    laptop, phone = app.test_client(), app.test_client()
    assert _api_login(laptop, user.username, DEFAULT_PASSWORD) == 200
    assert _api_login(phone, user.username, DEFAULT_PASSWORD) == 200

    changed = submit(
        laptop,
        "/account",
        {"pw-current_password": DEFAULT_PASSWORD, "pw-new_password": NEW_PASSWORD,
         "pw-new_password_again": NEW_PASSWORD},
        action="/account/password",
    )  # fmt: skip
    assert changed.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/api/v1/auth/me").status_code == 401
    assert smtp.last(user.email).subject == "Your password was changed"
    assert _api_login(phone, user.username, NEW_PASSWORD) == 200


def test_changing_the_password_needs_the_current_one(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    _api_login(client, user.username, DEFAULT_PASSWORD)
    token = client.get("/api/v1/auth/csrf").json["csrf_token"]
    wrong = client.post(
        "/api/v1/auth/password/change",
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    assert wrong.status_code == 400
    assert wrong.json["errors"][0]["field"] == "current_password"
    no_header = client.post(
        "/api/v1/auth/password/change",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert no_header.status_code == 403
    right = client.post(
        "/api/v1/auth/password/change",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    assert right.status_code == 200
    # This session goes on, with a fresh CSRF token.
    assert client.get("/api/v1/auth/me").status_code == 200
    assert right.json["csrf_token"] != token
    assert smtp.last(user.email).subject == "Your password was changed"


def test_changing_the_email_address_waits_for_the_new_address_to_confirm(
    client: FlaskClient, smtp: Mailbox, login
) -> None:  # type: ignore[no-untyped-def]
    user = make_user(email="old@example.org")
    db.session.commit()
    login(client, user)
    asked = submit(
        client,
        "/account",
        {"em-new_email": "new@example.org", "em-password": DEFAULT_PASSWORD},
        action="/account/email",
    )
    assert asked.status_code == 302
    db.session.refresh(user)
    assert user.email == "old@example.org"
    link = smtp.last("new@example.org").link("/account/email/")
    followed = client.get(path_of(link))
    assert followed.status_code == 302
    db.session.refresh(user)
    assert user.email == "new@example.org"
    assert "new@example.org" in smtp.last("old@example.org").text
    assert client.get(path_of(link)).status_code == 400


def test_changing_the_email_to_a_taken_address_reveals_nothing(
    client: FlaskClient, smtp: Mailbox, login
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    make_user(email="taken@example.org")
    db.session.commit()
    login(client, user)
    token = client.get("/api/v1/auth/csrf").json["csrf_token"]
    answer = client.post(
        "/api/v1/auth/email/change",
        json={"password": DEFAULT_PASSWORD, "new_email": "taken@example.org"},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 202
    assert smtp.last("taken@example.org").subject == "This address already has an account"


def test_an_invited_editor_chooses_a_password_from_the_link(
    app: Flask, client: FlaskClient, smtp: Mailbox
) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "invite",
            "--email",
            "New.Editor@example.org",
            "--username",
            "newed",
            "--role",
            "editor",
        ]
    )
    assert result.exit_code == 0, result.output
    mail = smtp.last("new.editor@example.org")
    assert mail.subject == "You are invited to the CMS"
    link = mail.link("/invite/")
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    done = client.post(
        path_of(link),
        data={"csrf_token": csrf_token(page.text), "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert client.get("/api/v1/auth/me").status_code == 401
    assert _api_login(client, "newed", NEW_PASSWORD) == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(path_of(link)).status_code == 400


def test_set_role_makes_a_reader_staff(app: Flask) -> None:
    make_user(username="promoted")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "set-role", "PROMOTED", "author"])
    assert result.exit_code == 0, result.output
    assert "promoted is now author" in result.output
    user = db.session.scalar(select(User).where(User.username == "promoted"))
    db.session.refresh(user)
    assert user is not None and user.role is Role.AUTHOR
    missing = runner.invoke(args=["users", "set-role", "ghost", "author"])
    assert missing.exit_code != 0
    assert "no user is called" in missing.output


def test_users_create_applies_the_password_policy(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "x@example.org", "--username", "xavier", "--password-stdin"],
        input="password1234\n",
    )
    assert result.exit_code != 0
    assert "most common" in result.output
