"""The connection public reads run on: one per thread, kept open, in autocommit mode.

Public reads write nothing, so they need no transaction. Without one, PostgreSQL is spared a BEGIN
and a ROLLBACK per request (two round trips), and psycopg keeps its prepared statements: it forgets
them all on every ROLLBACK, so with a transaction per request the same few statements were planned
afresh each time. Each statement sees the latest commit.

The connection is not handed back to the pool after each request: that would cost a checkout and,
on PostgreSQL, the pool's pre-ping (a round trip) every time. Each thread keeps its own instead
(one per sync worker, one per thread of a threaded one), taken once from the app's engine. If the
database went away meanwhile (a restart), the statement fails as disconnected; ``execute`` then
drops that connection and runs the statement once more on a new one.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from sqlalchemy import Connection, Engine, Executable, Result, event
from sqlalchemy.exc import DBAPIError

from cms.extensions import db

_local = threading.local()


def _open(engine: Engine) -> Connection:
    connection = engine.connect()
    if connection.dialect.name != "sqlite":
        # Python's sqlite3 begins a transaction only before a write, so SQLite reads are in
        # autocommit already; asking for it there would cost a PRAGMA on every return to the pool.
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


def _connections() -> dict[int, tuple[int, Connection]]:
    """This thread's connections, by engine (tests run apps on several databases)."""
    kept: dict[int, tuple[int, Connection]] | None = getattr(_local, "connections", None)
    if kept is None:
        kept = _local.connections = {}
    return kept


def read_connection() -> Connection:
    """This thread's read connection for the app's engine, opened on first use."""
    engine = db.engine
    kept = _connections()
    found = kept.get(id(engine))
    # After a fork the parent's connection is left alone: the child opens its own. The engine is
    # compared too, as an id can be reused once an engine is gone.
    if found is not None and found[0] == os.getpid() and found[1].engine is engine and not found[1].closed:
        return found[1]
    if not _watched(engine):
        event.listen(engine, "engine_disposed", _forget)
    connection = _open(engine)
    kept[id(engine)] = (os.getpid(), connection)
    return connection


def execute(statement: Executable, params: dict[str, Any] | None = None) -> Result[Any]:
    """Run ``statement`` on the read connection; once more on a fresh one if the old one was cut off."""
    try:
        return read_connection().execute(statement, params)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        _drop(db.engine)
        return read_connection().execute(statement, params)


def _drop(engine: Engine) -> None:
    found = _connections().pop(id(engine), None)
    if found is not None and found[0] == os.getpid():
        # Invalidated, not returned: its pool may be the one just disposed, which would keep it open.
        found[1].invalidate()
        found[1].close()


def _watched(engine: Engine) -> bool:
    return event.contains(engine, "engine_disposed", _forget)


def _forget(engine: Engine) -> None:
    """``engine.dispose()`` (tests, a shutdown): this thread's connection goes with the pool."""
    _drop(engine)
