"""The connection public reads run on: one per request, in autocommit mode.

Public reads write nothing, so they need no transaction of their own. Without one, PostgreSQL is
spared a BEGIN and a ROLLBACK per request (two round trips), and psycopg keeps its prepared
statements: it forgets them all on every ROLLBACK, so inside a transaction per request the same few
statements were planned afresh each time. Each statement sees the latest commit. The connection comes
from the ordinary pool (pre-ping included) and goes back to it when the request ends.
"""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy import Connection

from cms.extensions import db

_KEY = "cms_read_connection"


def read_connection() -> Connection:
    """This request's autocommit connection, opened on first use."""
    connection: Connection | None = g.get(_KEY)
    if connection is None:
        connection = db.engine.connect()
        if connection.dialect.name != "sqlite":
            # Python's sqlite3 begins a transaction only before a write, so SQLite reads are in
            # autocommit already; asking for it there would cost a PRAGMA on every return to the pool.
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        setattr(g, _KEY, connection)
    return connection


def _close(exception: BaseException | None = None) -> None:
    connection: Connection | None = g.pop(_KEY, None)
    if connection is not None:
        connection.close()


def init_read_connection(app: Flask) -> None:
    # At the end of each request (tests run many inside one app context), and of the app context
    # for reads made outside a request (a CLI command, a test calling the functions directly).
    app.teardown_request(_close)
    app.teardown_appcontext(_close)
