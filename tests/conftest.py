"""Fixtures shared by every test: the app on a real database, clients, factories and a live SMTP server.

The database is SQLite in a temporary folder unless ``CMS_SQLALCHEMY_DATABASE_URI`` points elsewhere
(CI points it at PostgreSQL). The schema is created once per run; every test starts with empty tables.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from cms import create_app
from cms.api.response_cache import clear_response_cache
from cms.auth.models import User
from cms.content.counts import ListingCount
from cms.extensions import db, limiter, login_manager
from tests.mailbox import Mailbox, SmtpServer

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
            # Deleting the articles above updated the counters again (cms/content/counts.py).
            connection.execute(ListingCount.__table__.delete())
        # The content version restarts with the emptied tables: cached responses go with them.
        clear_response_cache(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app served over real HTTP on a loopback port (a thread, for the whole run), on the test
    database: a test writes rows, commits, and a browser or another program sees them."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(app: Flask, smtp_server: SmtpServer) -> Iterator[Mailbox]:
    """The app sends mail to a real SMTP server; the test reads what arrived (an empty box at first)."""
    smtp_server.mailbox.clear()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    yield smtp_server.mailbox
    app.config.update(saved)


def _forget_cached_user(sender: Flask, **extra: object) -> None:
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


@pytest.fixture(autouse=True)
def _each_request_loads_its_own_user(app: Flask) -> Iterator[None]:
    """Tests run inside one app context, so ``g`` outlives a request, and Flask-Login caches the user
    there (Flask-WTF its CSRF token too): without this a second client (a second browser) would act as
    the first one's user."""
    request_started.connect(_forget_cached_user, app)
    yield
    request_started.disconnect(_forget_cached_user, app)


@pytest.fixture
def login() -> Callable[[FlaskClient, User], FlaskClient]:
    """``login(client, user)`` signs ``client`` in as ``user`` the way a successful login does
    (including the identifier strong session protection checks), without spending a password hash."""

    def sign_in(client: FlaskClient, user: User) -> FlaskClient:
        with client.application.test_request_context(environ_base=client.environ_base):
            identifier = login_manager._session_identifier_generator()
        with client.session_transaction() as session:
            session.clear()
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["_id"] = identifier
        return client

    return sign_in
