"""Brute force meets 429 with Retry-After on every account flow, per client address and per account."""

from __future__ import annotations

from flask.testing import FlaskClient

from cms.auth.tokens import Purpose, make_token
from cms.extensions import db
from tests.auth.browser import csrf_token
from tests.factories import make_user
from tests.mailbox import Mailbox

PASSWORD = "purple elephants dance quietly"


def test_registering_again_and_again_from_one_address_gets_429(client: FlaskClient, smtp: Mailbox) -> None:
    answers = [
        client.post(
            "/api/v1/auth/register",
            json={"email": f"bulk{n}@example.org", "username": f"bulk{n}", "password": PASSWORD},
        )
        for n in range(21)
    ]
    assert [answer.status_code for answer in answers[:20]] == [202] * 20
    assert answers[20].status_code == 429
    assert int(answers[20].headers["Retry-After"]) > 0
    assert answers[20].mimetype == "application/problem+json"


def test_the_forgot_page_says_when_to_try_again(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user()
    db.session.commit()
    page = client.get("/password/forgot")
    token = csrf_token(page.text)
    statuses = [
        client.post("/password/forgot", data={"csrf_token": token, "login": user.username}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 200]
    refused = client.post("/password/forgot", data={"csrf_token": token, "login": user.username})
    assert refused.status_code == 429
    assert refused.mimetype == "text/html"
    assert int(refused.headers["Retry-After"]) > 0
    assert len(smtp.to(user.email)) == 3


def test_guessing_confirmation_tokens_for_one_account_from_many_addresses_gets_429(
    client: FlaskClient,
) -> None:
    user = make_user(email_confirmed_at=None)
    db.session.commit()
    forged = make_token(Purpose.CONFIRM, {"uid": user.id, "email": "someone-else@example.org"})
    statuses = [
        client.post(
            "/api/v1/auth/confirm", json={"token": forged}, environ_base={"REMOTE_ADDR": f"10.1.0.{n}"}
        ).status_code
        for n in range(16)
    ]
    assert statuses[:15] == [400] * 15
    assert statuses[15] == 429


def test_guessing_reset_passwords_for_one_account_from_many_addresses_gets_429(client: FlaskClient) -> None:
    user = make_user()
    db.session.commit()
    forged = make_token(Purpose.RESET, {"uid": user.id, "pw": "not the fingerprint"})
    statuses = [
        client.post(
            "/api/v1/auth/password/reset",
            json={"token": forged, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": f"10.2.0.{n}"},
        ).status_code
        for n in range(16)
    ]
    assert statuses[:15] == [400] * 15
    assert statuses[15] == 429
