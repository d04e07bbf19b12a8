"""Comment fixtures: a published article open for comments, and signed-in clients of any role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.auth.models import Role, User
from cms.content.models import Article
from cms.extensions import db, login_manager
from tests.comments.calls import csrf_token
from tests.factories import make_article, make_user

#: A client signed in as a user, and the headers its unsafe API requests carry.
SignedIn = tuple[FlaskClient, User, dict[str, str]]


@pytest.fixture(autouse=True)
def _generous_rate_limits(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stories post several comments a second; the rate limit tests put the real limits back."""
    for key in ("COMMENTS_RATE_LIMIT", "COMMENTS_EMAIL_RATE_LIMIT", "COMMENTS_VOTE_RATE_LIMIT"):
        monkeypatch.setitem(app.config, key, "1000 per minute")


@pytest.fixture
def article() -> Article:
    article = make_article(title="Chinese AI company stockpiled GPUs")
    db.session.commit()
    return article


def signed_in(app: Flask, user: User) -> FlaskClient:
    """A client whose session is that of a fresh login, strong session protection's identifier included."""
    client = app.test_client()
    with app.test_request_context(environ_base=client.environ_base):
        identifier = login_manager._session_identifier_generator()
    with client.session_transaction() as session:
        session.update({"_user_id": user.get_id(), "_fresh": True, "_id": identifier})
    return client


@pytest.fixture
def sign_in(app: Flask) -> Callable[..., SignedIn]:
    """``sign_in(Role.EDITOR)`` -> a new user of that role, signed in, with a CSRF header ready."""

    def make(role: Role = Role.READER, **overrides: Any) -> SignedIn:
        user = make_user(role=role, **overrides)
        db.session.commit()
        client = signed_in(app, user)
        return client, user, {"X-CSRF-Token": csrf_token(client)}

    return make
