"""The connection public reads run on: kept open between requests, in autocommit mode.

Public reads write nothing, so they need no transaction. Without one, PostgreSQL is spared a BEGIN
and a ROLLBACK per request (two round trips), and psycopg keeps its prepared statements: it forgets
them all on every ROLLBACK, so with a transaction per request the same few statements were planned
afresh each time. Each statement sees the latest commit.

A request takes a connection from a short list this process keeps (not from the pool, which would
cost a checkout and, on PostgreSQL, the pool's pre-ping round trip) and puts it back when it ends.
The list is shared by the process's threads, so a server that starts a thread per request (``cms
run``) reuses a few connections instead of holding one per thread. If the database went away
meanwhile (a restart), a statement fails as disconnected; ``execute`` then drops that connection and
runs the statement once more on a new one.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, g
from psycopg.types.string import TextLoader
from sqlalchemy import Connection, Engine, Executable, Result, event
from sqlalchemy.exc import DBAPIError

from cms.extensions import db

T = TypeVar("T")

_KEY = "cms_read_connection"
#: Idle connections kept per engine; more (after a burst of threads) are closed when put back.
MAX_IDLE = 8


class _Kept:
    """One engine's idle read connections in this process."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.idle: list[Connection] = []


_lock = threading.Lock()
_kept: dict[int, _Kept] = {}


def _open(engine: Engine) -> Connection:
    connection = engine.connect()
    # SQLite is left as it is: Python's sqlite3 begins a transaction only before a write, so its reads
    # are in autocommit already; asking for it would cost a PRAGMA on every return to the pool.
    if connection.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        # psycopg prepares a statement once it has run five times. Left to choose, PostgreSQL then
        # plans every run afresh whenever its generic plan looks dearer than the last custom ones,
        # which the list's statement always does (it cannot tell that few articles are scheduled):
        # planning cost more than running it. The public reads are written to plan well without
        # their parameters' values (LIMIT and OFFSET are in their text), so each is planned once.
        connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
        # The read model shows UUIDs as text (cms/api/article_reads.py): taken as text, psycopg need
        # not make a ``uuid.UUID`` of each only for it to be written out again.
        driver: Any = connection.connection.dbapi_connection
        driver.adapters.register_loader("uuid", TextLoader)
    return connection


def _list_for(engine: Engine) -> _Kept:
    kept = _kept.get(id(engine))
    # After a fork the parent's connections are left alone: the child opens its own.
    if kept is None or kept.pid != os.getpid():
        if kept is None:
            event.listen(engine, "engine_disposed", _close_all)
        kept = _kept[id(engine)] = _Kept()
    return kept


def read_connection() -> Connection:
    """The connection this request (or app context) reads on, taken on first use."""
    connection: Connection | None = g.get(_KEY)
    if connection is not None:
        return connection
    engine = db.engine
    with _lock:
        kept = _list_for(engine)
        connection = kept.idle.pop() if kept.idle else None
    connection = connection or _open(engine)
    setattr(g, _KEY, connection)
    return connection


def retrying(run: Callable[[Connection], T]) -> T:
    """``run(connection)`` on the read connection; once more on a fresh one if the old one was cut off."""
    try:
        return run(read_connection())
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        discard()
        return run(read_connection())


def execute(statement: Executable, params: dict[str, Any] | None = None) -> Result[Any]:
    """Run ``statement`` on the read connection (see ``retrying``)."""
    return retrying(lambda connection: connection.execute(statement, params))


def discard() -> None:
    """Close the request's connection for good (it failed); the next read takes another."""
    _discard(g.pop(_KEY, None))


def _discard(connection: Connection | None) -> None:
    if connection is not None:
        # Invalidated, not returned: its pool may be one since disposed, which would keep it open.
        connection.invalidate()
        connection.close()


def _put_back(exception: BaseException | None = None) -> None:
    connection: Connection | None = g.pop(_KEY, None)
    if connection is None:
        return
    with _lock:
        kept = _kept.get(id(connection.engine))
        if (
            kept is not None
            and kept.pid == os.getpid()
            and len(kept.idle) < MAX_IDLE
            and not connection.invalidated
        ):
            kept.idle.append(connection)
            return
    _discard(connection)


def _close_all(engine: Engine) -> None:
    """``engine.dispose()`` (tests, a shutdown): the idle connections go with the pool."""
    with _lock:
        kept = _kept.pop(id(engine), None)
    for connection in kept.idle if kept is not None else []:
        _discard(connection)


def init_read_connection(app: Flask) -> None:
    # Put back at the end of each request (tests run many inside one app context), and of the app
    # context for reads made outside a request (a CLI command, a test calling the functions directly).
    app.teardown_request(_put_back)
    app.teardown_appcontext(_put_back)
