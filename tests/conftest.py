"""Fixtures shared by every test: the app on a real database, clients, factories and a live SMTP server.

The database is SQLite in a temporary folder unless ``CMS_SQLALCHEMY_DATABASE_URI`` points elsewhere
(CI points it at PostgreSQL). The schema is created once per run; every test starts with empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from cms import create_app
from cms.extensions import db, limiter

TEST_SECRET = "test-secret-key-that-is-long-enough-for-the-checks"


def database_url(tmp: Path) -> str:
    return os.environ.get("CMS_SQLALCHEMY_DATABASE_URI") or f"sqlite:///{tmp / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("cms")
    os.environ["CMS_INSTANCE_PATH"] = str(tmp / "instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": database_url(tmp),
            "PUBLIC_URL": "http://cms.test",
            "TRUSTED_HOSTS": None,
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        _empty_schema()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_schema() -> None:
    """Start from nothing, whatever an earlier run (of this or another checkout) left behind."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()


@pytest.fixture(autouse=True)
def _clean_state(app: Flask) -> Iterator[None]:
    """Each test runs in its own app context and leaves no rows and no rate-limit counts behind."""
    with app.app_context():
        limiter.reset()
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
