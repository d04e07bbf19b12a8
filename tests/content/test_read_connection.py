"""Public reads run on connections the process keeps between requests (cms/content/read_connection.py)."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

from cms.content import read_connection
from cms.extensions import db
from tests.factories import make_article


def test_requests_reuse_a_kept_connection_without_a_pool_checkout(client: FlaskClient) -> None:
    make_article(title="Kept")
    db.session.commit()
    client.get("/api/v1/articles")
    kept = list(read_connection._kept[id(db.engine)].idle)
    assert kept
    checkouts: list[object] = []

    def count(*args: object) -> None:
        checkouts.append(args)

    event.listen(db.engine, "checkout", count)
    try:
        for _ in range(3):
            assert client.get("/api/v1/articles?include=tags").get_json()["data"][0]["title"] == "Kept"
    finally:
        event.remove(db.engine, "checkout", count)
    assert read_connection._kept[id(db.engine)].idle == kept
    assert checkouts == []


def test_a_disposed_engine_takes_the_kept_connections_with_it(client: FlaskClient) -> None:
    client.get("/api/v1/articles")
    (kept,) = read_connection._kept[id(db.engine)].idle
    db.engine.dispose()
    assert kept.closed
    assert client.get("/api/v1/articles").status_code == 200
    assert read_connection.read_connection() is not kept


def test_a_connection_the_server_cut_is_replaced_and_the_read_answers(client: FlaskClient) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a SQLite file cannot be disconnected; the PostgreSQL pass of CI runs this")
    make_article(title="Still here")
    db.session.commit()
    client.get("/api/v1/articles")
    backend = read_connection.read_connection().execute(text("SELECT pg_backend_pid()")).scalar_one()
    with db.engine.connect() as other:
        assert other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar_one()
    response = client.get("/api/v1/articles")
    assert response.status_code == 200
    assert response.get_json()["data"][0]["title"] == "Still here"


def test_a_finished_threads_connection_goes_back_to_the_pool(app: Flask) -> None:
    """A server that starts a thread per request (``cms run``) must not hold a connection per request."""

    def read() -> None:
        with app.app_context():
            read_connection.execute(text("SELECT 1")).all()

    for _ in range(20):
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    assert db.engine.pool.checkedout() <= 1  # at most this thread's own


def test_postgresql_plans_a_repeated_public_read_once(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("plan caching is PostgreSQL's; the PostgreSQL pass of CI runs this")
    monkeypatch.setitem(app.config, "API_CACHE", "off")  # every request renders
    make_article(title="Planned", tags=["News"])
    db.session.commit()
    for _ in range(8):  # psycopg prepares a statement on its fifth run
        assert client.get("/api/v1/articles?include=tags&limit=5").status_code == 200
    plans = read_connection.read_connection().execute(
        text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%listing_counts%' AND statement LIKE '%LIMIT 5 OFFSET 0%'"
        )
    )
    (generic, custom), *others = plans.all()
    assert others == []
    assert generic >= 1 and custom == 0
    untouched = db.session.execute(text("SHOW plan_cache_mode")).scalar_one()
    assert untouched == "auto"  # the pool's connections, for staff and writes, keep the default
