"""The JSON account endpoints answer with exactly the statuses a frontend is promised."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from cms.auth.models import Role
from cms.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user

JSON_POSTS = [
    "/api/v1/auth/register",
    "/api/v1/auth/confirm",
    "/api/v1/auth/login",
    "/api/v1/auth/password/forgot",
    "/api/v1/auth/password/reset",
    "/api/v1/auth/invitation/accept",
    "/api/v1/auth/email/confirm",
]


@pytest.mark.parametrize("path", JSON_POSTS)
def test_a_body_that_is_not_json_gets_415(client: FlaskClient, path: str) -> None:
    for body, content_type in [
        ("login=a&password=b", "application/x-www-form-urlencoded"),
        ('{"login": "a"}', "text/plain"),
    ]:
        answer = client.post(path, data=body, content_type=content_type)
        assert answer.status_code == 415, content_type
        assert answer.mimetype == "application/problem+json"


@pytest.mark.parametrize("path", JSON_POSTS)
def test_values_that_are_not_strings_get_400_naming_the_field(client: FlaskClient, path: str) -> None:
    body = {
        "email": "a@example.org",
        "username": "someone",
        "login": "someone",
        "token": "x",
        "password": "p" * 12,
    }
    fields = {
        "/api/v1/auth/register": ["email", "username", "password"],
        "/api/v1/auth/login": ["login", "password"],
        "/api/v1/auth/password/forgot": ["login"],
        "/api/v1/auth/password/reset": ["token", "password"],
        "/api/v1/auth/invitation/accept": ["token", "password"],
    }.get(path, ["token"])
    for field in fields:
        for wrong in (None, 5, ["a"], {"$ne": ""}):
            answer = client.post(path, json={name: body[name] for name in fields} | {field: wrong})
            assert answer.status_code == 400, (field, wrong)
            assert answer.json["errors"][0]["field"] == field


def test_login_me_logout_statuses(client: FlaskClient) -> None:
    user = make_user()
    unconfirmed = make_user(email_confirmed_at=None)
    db.session.commit()
    assert client.get("/api/v1/auth/me").status_code == 401
    assert (
        client.post(
            "/api/v1/auth/login", json={"login": user.email, "password": "wrong one here"}
        ).status_code
        == 401
    )
    # The unconfirmed account hears about it only after giving the right password.
    wrong = client.post(
        "/api/v1/auth/login", json={"login": unconfirmed.username, "password": "wrong one here"}
    )
    assert wrong.status_code == 401
    right = client.post(
        "/api/v1/auth/login", json={"login": unconfirmed.username, "password": DEFAULT_PASSWORD}
    )
    assert right.status_code == 403
    assert right.mimetype == "application/problem+json"
    assert "confirm" in right.json["detail"]
    assert client.get("/api/v1/auth/me").status_code == 401

    signed_in = client.post("/api/v1/auth/login", json={"login": user.email, "password": DEFAULT_PASSWORD})
    assert signed_in.status_code == 200
    assert signed_in.mimetype == "application/json"
    assert signed_in.json["data"]["username"] == user.username
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    csrf = client.get("/api/v1/auth/csrf").json["csrf_token"]
    out = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    assert out.data == b""


@pytest.mark.parametrize("path", ["/admin/", "/admin/users", "/admin/articles"])
def test_a_signed_in_reader_never_reaches_the_staff_pages(client: FlaskClient, login, path: str) -> None:  # type: ignore[no-untyped-def]
    reader = make_user(role=Role.READER)
    db.session.commit()
    login(client, reader)
    assert client.get(path).status_code == 403
