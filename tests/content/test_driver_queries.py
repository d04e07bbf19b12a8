"""The hottest public reads run on the DB-API cursor (cms/content/driver_queries.py): the same rows as
SQLAlchemy's ``execute`` gives, the same errors, and still seen by the engine's listeners."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Column, Integer, MetaData, Select, Table, bindparam, event, func, literal, select, text
from sqlalchemy.exc import DBAPIError

from cms.content import read_connection
from cms.content.driver_queries import DriverQuery
from cms.content.models import Article
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article

_articles = Article.__table__


def _statement() -> Select[Any]:
    """Columns of every kind a read needs converted: text, datetime, boolean, integers, NULLs; plus
    constants of the statement's own, its LIMIT among them."""
    return (
        select(
            _articles.c.id,
            _articles.c.uuid,
            _articles.c.title,
            _articles.c.published_at,
            _articles.c.featured,
            _articles.c.excerpt,
            func.substr(_articles.c.title, 1, 7).label("head"),
        )
        .where(_articles.c.published_at <= bindparam("now", type_=_articles.c.published_at.type))
        .order_by(_articles.c.id)
        .limit(2)
    )


def test_rows_are_what_sqlalchemy_gives(app: Flask) -> None:
    make_article(title="Featured one", featured=True, excerpt="Short.")
    make_article(title="Plain two", featured=False, excerpt=None)
    make_article(title="Beyond the limit")
    make_article(title="Not yet", published_at=utcnow() + timedelta(days=1))
    db.session.commit()
    statement = _statement()
    params = {"now": utcnow()}
    expected = read_connection.execute(statement, params).all()
    rows = DriverQuery(statement).all(params)
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    assert [(row.title, row.featured, row.head) for row in rows] == [
        ("Featured one", True, "Feature"),
        ("Plain two", False, "Plain t"),
    ]
    assert rows[0].published_at.utcoffset() == timedelta(0)
    assert DriverQuery(statement).first({"now": utcnow() - timedelta(days=365)}) is None


def test_only_the_callers_values_are_sent(app: Flask) -> None:
    sent: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        DriverQuery(_statement()).all({"now": utcnow()})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    ((sql, parameters),) = sent
    assert "substr(articles.title, 1, 7)" in sql and "LIMIT 2" in sql
    values = list(parameters.values() if isinstance(parameters, dict) else parameters)
    # ``now`` is sent; the substring's bounds are in the text (SQLite's compiler adds an OFFSET 0).
    assert 1 not in values and 7 not in values
    assert len([value for value in values if value != 0]) == 1


def test_a_list_parameter_is_refused(app: Flask) -> None:
    statement = select(_articles.c.id).where(_articles.c.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="one bound parameter per value"):
        DriverQuery(statement).all({"ids": [1, 2]})


def test_a_database_error_is_sqlalchemys(app: Flask) -> None:
    missing = Table("no_such_table", MetaData(), Column("id", Integer))
    with pytest.raises(DBAPIError) as raised:
        DriverQuery(select(missing.c.id)).all()
    assert not raised.value.connection_invalidated
    assert DriverQuery(select(literal(3).label("three"))).first().three == 3  # the connection goes on


def test_a_connection_the_server_cut_is_replaced(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a SQLite file cannot be disconnected; the PostgreSQL pass of CI runs this")
    make_article(title="Still here")
    db.session.commit()
    query = DriverQuery(select(_articles.c.title))
    assert [row.title for row in query.all()] == ["Still here"]
    backend = read_connection.read_connection().execute(text("SELECT pg_backend_pid()")).scalar_one()
    with db.engine.connect() as other:
        assert other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar_one()
    assert [row.title for row in query.all()] == ["Still here"]
    assert read_connection.read_connection().execute(text("SELECT pg_backend_pid()")).scalar_one() != backend
