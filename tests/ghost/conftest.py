"""A content key for the Ghost-compatible API, and a shortcut for calling it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from cms.auth.models import Role
from cms.extensions import db
from cms.ghost.keys import create_content_key
from tests.admin.conftest import sign_in
from tests.factories import make_user

GhostGet = Callable[..., TestResponse]


@pytest.fixture
def content_key() -> str:
    _, key = create_content_key("Test frontend")
    db.session.commit()
    return key


@pytest.fixture
def ghost_get(client: FlaskClient, content_key: str) -> GhostGet:
    """``ghost_get("posts/", include="tags")`` -> GET /ghost/api/content/posts/?key=...&include=tags."""

    def get(path: str, **query: Any) -> TestResponse:
        return client.get(
            f"/ghost/api/content/{path}",
            query_string={"key": content_key, **query},
            headers={"Accept-Version": "v6.0"},
        )

    return get


@pytest.fixture
def signed_in(app: Flask) -> Callable[[Role], FlaskClient]:
    """``signed_in(Role.ADMIN)`` -> a client of its own, signed in as a new user with that role."""

    def make(role: Role) -> FlaskClient:
        user = make_user(role=role)
        db.session.commit()
        return sign_in(app.test_client(), user)

    return make
