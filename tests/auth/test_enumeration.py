"""Nobody learns who has an account: not from the answer, its headers or cookies, nor from its timing."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Literal

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from cms.auth import passwords, timing
from cms.db import utcnow
from cms.extensions import db
from tests.auth.browser import submit
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.mailbox import Mailbox

PASSWORD = "purple elephants dance quietly"


class SteppedClock:
    """The real monotonic clock, plus every sleep the app asks for (which then returns at once)."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return time.monotonic() + sum(self.slept)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def clock(app: Flask, monkeypatch: pytest.MonkeyPatch) -> SteppedClock:
    stepped = SteppedClock()
    monkeypatch.setattr(timing, "monotonic", stepped.monotonic)
    monkeypatch.setattr(timing, "sleep", stepped.sleep)
    monkeypatch.setitem(app.config, "AUTH_RESPONSE_FLOOR", 0.5)
    return stepped


def _timed(clock: SteppedClock, ask: Callable[[], TestResponse]) -> tuple[TestResponse, float]:
    started = clock.monotonic()
    answer = ask()
    return answer, clock.monotonic() - started


def test_forgot_takes_the_floor_time_for_known_and_unknown_accounts(
    client: FlaskClient, smtp: Mailbox, clock: SteppedClock
) -> None:
    user = make_user()
    db.session.commit()
    known, known_took = _timed(
        clock, lambda: client.post("/api/v1/auth/password/forgot", json={"login": user.email})
    )
    unknown, unknown_took = _timed(
        clock, lambda: client.post("/api/v1/auth/password/forgot", json={"login": "nobody@example.org"})
    )
    assert known.status_code == unknown.status_code == 202
    # Sending the mail is real work the unknown account does not need; both wait out the floor.
    assert known_took >= 0.5 and unknown_took >= 0.5
    assert len(smtp.to(user.email)) == 1


def test_register_takes_the_floor_time_whether_the_address_is_taken_or_not(
    client: FlaskClient, smtp: Mailbox, clock: SteppedClock
) -> None:
    make_user(email="taken@example.org")
    db.session.commit()
    taken, taken_took = _timed(
        clock,
        lambda: submit(
            client, "/register", {"email": "taken@example.org", "username": "other", "password": PASSWORD}
        ),
    )
    fresh, fresh_took = _timed(
        clock,
        lambda: submit(
            client, "/register", {"email": "fresh@example.org", "username": "fresh", "password": PASSWORD}
        ),
    )
    assert taken.status_code == fresh.status_code == 200
    assert taken_took >= 0.5 and fresh_took >= 0.5
    # Opening the form is not held back.
    slept = len(clock.slept)
    assert client.get("/register").status_code == 200
    assert client.get("/password/forgot").status_code == 200
    assert len(clock.slept) == slept


class CountingHasher(PasswordHasher):
    """argon2id with the app's parameters, counting every (real) verification."""

    __slots__ = ("checks",)

    def __init__(self) -> None:
        super().__init__(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        self.checks = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.checks += 1
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", counting)
    return counting


def test_every_login_costs_exactly_one_hash_check(client: FlaskClient, hasher: CountingHasher) -> None:
    known = make_user()
    locked = make_user(locked_until=utcnow() + timedelta(minutes=10))
    invited = make_user(password_hash=None, email_confirmed_at=None)
    db.session.commit()
    cases = {
        "right password": (known.username, DEFAULT_PASSWORD, 200),
        "wrong password": (known.username, "not the right one at all", 401),
        "unknown login": ("nobody-at-all", DEFAULT_PASSWORD, 401),
        "unknown email": ("nobody@example.org", DEFAULT_PASSWORD, 401),
        "locked account": (locked.username, DEFAULT_PASSWORD, 401),
        "invited, no password yet": (invited.username, DEFAULT_PASSWORD, 401),
    }
    for case, (login, password, status) in cases.items():
        before = hasher.checks
        answer = client.post("/api/v1/auth/login", json={"login": login, "password": password})
        assert answer.status_code == status, case
        assert hasher.checks - before == 1, case


def _cookie_shapes(answer: TestResponse) -> list[str]:
    """Set-Cookie headers without their values: names and attributes only."""
    return [
        header.split("=", 1)[0] + ";" + header.split(";", 1)[1] if ";" in header else header.split("=", 1)[0]
        for header in answer.headers.getlist("Set-Cookie")
    ]


def test_identical_answers_set_the_same_cookies(client: FlaskClient, smtp: Mailbox) -> None:
    user = make_user(email="known@example.org", username="known")
    db.session.commit()
    for page, known_fields, unknown_fields in [
        ("/password/forgot", {"login": "known"}, {"login": "unknown"}),
        (
            "/register",
            {"email": "known@example.org", "username": "someone", "password": PASSWORD},
            {"email": "unknown@example.org", "username": "someone2", "password": PASSWORD},
        ),
    ]:
        known = submit(client, page, known_fields)
        unknown = submit(client, page, unknown_fields)
        assert (known.status_code, known.data) == (unknown.status_code, unknown.data), page
        assert _cookie_shapes(known) == _cookie_shapes(unknown), page
    assert smtp.to(user.email)


def test_a_foreign_host_header_is_refused_by_default(app: Flask) -> None:
    """TRUSTED_HOSTS comes from CMS_PUBLIC_URL, so a request naming another host gets no further."""
    assert "cms.test" in app.config["TRUSTED_HOSTS"]
    answer = app.test_client().post(
        "/api/v1/auth/password/forgot", json={"login": "anyone"}, base_url="http://evil.example"
    )
    assert answer.status_code == 400
