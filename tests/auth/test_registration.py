"""A reader registers, confirms the address from the email, and logs in; nobody learns who has an account."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from cms.auth.models import Role, User
from cms.extensions import db
from tests.auth.browser import path_of, same_headers, submit
from tests.factories import make_user
from tests.mailbox import Mailbox

PASSWORD = "purple elephants dance quietly"


def test_register_confirm_and_log_in_through_the_pages(client: FlaskClient, smtp: Mailbox) -> None:
    registered = submit(
        client, "/register", {"email": "Reader@Example.org", "username": "reader", "password": PASSWORD}
    )
    assert registered.status_code == 200
    assert "Check your inbox" in registered.text

    mail = smtp.last("reader@example.org")
    assert mail.subject == "Confirm your email address"
    assert "Hello reader" in mail.text
    assert mail.link("/confirm/") in mail.html

    refused = submit(client, "/login", {"login": "reader", "password": PASSWORD})
    assert refused.status_code == 403
    assert "confirm your email address" in refused.text

    confirmed = client.get(path_of(mail.link("/confirm/")))
    assert confirmed.status_code == 200
    assert "Email address confirmed" in confirmed.text

    logged_in = submit(client, "/login", {"login": "reader@example.org", "password": PASSWORD})
    assert logged_in.status_code == 302
    assert logged_in.headers["Location"] == "/account"
    account = client.get("/account")
    assert "reader@example.org" in account.text
    user = db.session.scalar(select(User).where(User.username == "reader"))
    assert user is not None and user.role is Role.READER


def test_register_confirm_and_log_in_over_json(client: FlaskClient, smtp: Mailbox) -> None:
    registered = client.post(
        "/api/v1/auth/register", json={"email": "fan@example.org", "username": "fan", "password": PASSWORD}
    )
    assert registered.status_code == 202
    token = smtp.last("fan@example.org").link("/confirm/").rsplit("/", 1)[1]

    unconfirmed = client.post("/api/v1/auth/login", json={"login": "fan", "password": PASSWORD})
    assert unconfirmed.status_code == 403

    confirmed = client.post("/api/v1/auth/confirm", json={"token": token})
    assert confirmed.status_code == 200
    assert confirmed.json["data"]["email_confirmed"] is True

    logged_in = client.post("/api/v1/auth/login", json={"login": "fan", "password": PASSWORD})
    assert logged_in.status_code == 200
    assert logged_in.json["data"]["username"] == "fan"
    assert logged_in.json["data"]["role"] == "reader"
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json["data"]["email"] == "fan@example.org"
    assert "no-store" in me.headers["Cache-Control"]
    assert "Cookie" in me.headers["Vary"]


def test_register_answers_the_same_for_a_taken_and_a_new_address(client: FlaskClient, smtp: Mailbox) -> None:
    owner = make_user(email="taken@example.org", username="owner")
    taken = client.post(
        "/api/v1/auth/register",
        json={"email": "taken@example.org", "username": "newbie", "password": PASSWORD},
    )
    fresh = client.post(
        "/api/v1/auth/register",
        json={"email": "fresh@example.org", "username": "fresher", "password": PASSWORD},
    )
    assert (taken.status_code, taken.data) == (fresh.status_code, fresh.data)
    assert same_headers(taken, fresh)
    assert taken.status_code == 202
    # The owner hears about it; no second account appears.
    assert smtp.last(owner.email).subject == "Someone tried to register with your address"
    assert db.session.scalar(select(User).where(User.username == "newbie")) is None
    assert smtp.last("fresh@example.org").subject == "Confirm your email address"


def test_register_with_a_taken_username_tells_the_new_address_without_creating_an_account(
    client: FlaskClient, smtp: Mailbox
) -> None:
    make_user(username="popular")
    answer = client.post(
        "/api/v1/auth/register",
        json={"email": "late@example.org", "username": "Popular", "password": PASSWORD},
    )
    assert answer.status_code == 202
    assert "another username" in smtp.last("late@example.org").text
    assert db.session.scalar(select(User).where(User.email == "late@example.org")) is None


def test_register_pages_answer_the_same_for_a_taken_and_a_new_address(
    client: FlaskClient, smtp: Mailbox
) -> None:
    make_user(email="known@example.org", username="known")
    taken = submit(
        client, "/register", {"email": "known@example.org", "username": "other", "password": PASSWORD}
    )
    fresh = submit(
        client, "/register", {"email": "new@example.org", "username": "newer", "password": PASSWORD}
    )
    assert (taken.status_code, taken.data) == (fresh.status_code, fresh.data)
    assert same_headers(taken, fresh)


def test_register_refuses_weak_passwords_naming_the_field(client: FlaskClient, smtp: Mailbox) -> None:
    for password, reason in [
        ("short", "at least 12 characters"),
        ("Password1234", "most common"),
        ("my name is walter white", "username"),
    ]:
        answer = client.post(
            "/api/v1/auth/register",
            json={"email": "w@example.org", "username": "walter", "password": password},
        )
        assert answer.status_code == 400
        assert answer.json["errors"][0]["field"] == "password"
        assert reason in answer.json["errors"][0]["message"]
    assert smtp.messages == []
    page = submit(client, "/register", {"email": "w@example.org", "username": "walter", "password": "short"})
    assert "At least 12 characters" in page.text or "at least 12 characters" in page.text


def test_register_refuses_a_body_that_is_not_json_or_not_strings(client: FlaskClient) -> None:
    as_form = client.post("/api/v1/auth/register", data={"email": "a@example.org"})
    assert as_form.status_code == 415
    numbers = client.post("/api/v1/auth/register", json={"email": 1, "username": "abc", "password": PASSWORD})
    assert numbers.status_code == 400
    assert numbers.json["errors"][0]["field"] == "email"
    extra = client.post(
        "/api/v1/auth/register",
        json={"email": "a@example.org", "username": "abc", "password": PASSWORD, "role": "admin"},
    )
    assert extra.status_code == 400


def test_a_confirmation_link_stops_working_when_the_address_changes(
    client: FlaskClient, smtp: Mailbox
) -> None:
    client.post(
        "/api/v1/auth/register", json={"email": "a@example.org", "username": "alpha", "password": PASSWORD}
    )
    token = smtp.last("a@example.org").link("/confirm/").rsplit("/", 1)[1]
    user = db.session.scalar(select(User).where(User.username == "alpha"))
    assert user is not None
    user.email = "b@example.org"
    db.session.commit()
    answer = client.post("/api/v1/auth/confirm", json={"token": token})
    assert answer.status_code == 400
    assert answer.json["type"].endswith("/invalid-token")


def test_the_confirmation_mail_speaks_the_browser_s_language(client: FlaskClient, smtp: Mailbox) -> None:
    body = {"email": "leser@example.org", "username": "leser", "password": PASSWORD}
    assert (
        client.post(
            "/api/v1/auth/register", json=body, headers={"Accept-Language": "de-AT, en;q=0.5"}
        ).status_code
        == 202
    )
    mail = smtp.last("leser@example.org")
    assert mail.subject == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert mail.link("/confirm/") in mail.html
    user = db.session.scalar(select(User).where(User.username == "leser"))
    assert user is not None and user.language == "de"
    # Without the header, English.
    page = submit(
        client, "/register", {"email": "reader@example.org", "username": "reader", "password": PASSWORD}
    )
    assert page.status_code == 200
    assert smtp.last("reader@example.org").subject == "Confirm your email address"
