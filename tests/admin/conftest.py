"""Staff fixtures: a client signed in as a user of each role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier

from cms.auth.models import Role, User
from tests.factories import make_author, make_user


def _forget_cached_user(sender: Flask, **extra: Any) -> None:
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


@pytest.fixture(autouse=True)
def _each_request_loads_its_own_user(app: Flask) -> Iterator[None]:
    """Tests run inside one app context, so ``g`` outlives a request, and Flask-Login caches the user
    there, and Flask-WTF its CSRF token: without this, a second client in the same test would act as the
    first one's user."""
    request_started.connect(_forget_cached_user, app)
    yield
    request_started.disconnect(_forget_cached_user, app)


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    """Put ``user`` in the client's session, as logging in would (strong session protection included)."""
    assert client.application is not None
    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["_id"] = identifier
    return client


@pytest.fixture
def staff_client(app: Flask) -> Callable[..., tuple[FlaskClient, User]]:
    """``staff_client(Role.AUTHOR)`` -> a client signed in as a new author with a linked byline."""

    def make(role: Role = Role.EDITOR, **overrides: object) -> tuple[FlaskClient, User]:
        user = make_user(role=role, **overrides)
        make_author(name=f"{user.username} byline", user_id=user.id)
        client = app.test_client()
        return sign_in(client, user), user

    return make
