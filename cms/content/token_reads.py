"""Reading the content token on every cached request, cheaply.

The response cache reads the token (cms/content/versioning.py) on every public read, hits and 304s
included, so this read is most of what a cached answer costs. It skips what a one-row lookup does not
need: the pool checkout with its pre-ping, statement compilation and result processing. It runs one
plain statement, the same query as ``versioning.read_content_token`` builds (the tests compare them),
on a DBAPI connection in autocommit mode (every read sees the latest commit) taken from a small list of
its own, at most one per thread reading at the same moment. Any database error closes that connection
and the read goes through an ordinary pooled one.

On SQLite even that query is mostly skipped: ``PRAGMA data_version`` tells a connection whether any
other connection has committed since it last looked, so while nothing was written (and no scheduled
article has gone live) the token its last read found is still the token.
"""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event

from cms.content.queries import PUBLIC_STATUSES
from cms.content.versioning import ContentToken, read_content_token
from cms.db import utcnow

_STATUSES = ", ".join(f"'{status.value}'" for status in PUBLIC_STATUSES)
_SQL = (
    "SELECT (SELECT value FROM content_version WHERE id = 1), "
    "(SELECT published_at FROM articles WHERE status IN ({statuses}) AND published_at > {now} "
    "AND deleted_at IS NULL ORDER BY published_at LIMIT 1)"
)
#: The statement in each driver's parameter style; other databases take the ordinary path.
STATEMENTS = {
    "sqlite": _SQL.format(statuses=_STATUSES, now="?"),
    "postgresql": _SQL.format(statuses=_STATUSES, now="%s"),
}


#: Idle connections kept per engine; more than this (a burst of threads) are closed when returned.
MAX_IDLE = 8


class _RawPool:
    """Open DBAPI connections for token reads, shared by the threads of one process. Not thread-local:
    a server that starts a thread per request (``flask run``) would otherwise open one per request."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.idle: list[Any] = []
        #: SQLite: per connection, the ``data_version`` and time of its last token read, and the token.
        self.last_read: dict[Any, tuple[int, datetime, ContentToken]] = {}


_lock = threading.Lock()
_pools: dict[int, _RawPool] = {}


def _sqlite_time(now: datetime) -> str:
    """SQLite keeps UTC as text in SQLAlchemy's format (cms.db.UTCDateTime): compare like with like."""
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _as_utc(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value.astimezone(UTC) if value is not None else None
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _close(connection: Any) -> None:
    with contextlib.suppress(Exception):  # closing one that is already gone is fine
        connection.close()


def _close_all(engine: Engine) -> None:
    with _lock:
        pool = _pools.pop(id(engine), None)
    for connection in pool.idle if pool is not None else []:
        _close(connection)


def _open(engine: Engine) -> Any:
    # detach(): the connection leaves SQLAlchemy's pool for good, after the pool's connect hooks (the
    # SQLite pragmas) have run on it.
    fairy = engine.raw_connection()
    fairy.detach()
    connection: Any = fairy.dbapi_connection
    if engine.dialect.name == "sqlite":
        connection.isolation_level = None
    else:
        connection.autocommit = True
    return connection


def _acquire(engine: Engine) -> tuple[_RawPool, Any]:
    with _lock:
        pool = _pools.get(id(engine))
        if pool is None or pool.pid != os.getpid():
            # After a fork the parent's connections are left alone (closing an inherited socket would
            # end the parent's session too); this process opens its own.
            if pool is None:
                event.listen(engine, "engine_disposed", _close_all)
            pool = _pools[id(engine)] = _RawPool()
        if pool.idle:
            return pool, pool.idle.pop()
    return pool, _open(engine)


def _release(engine: Engine, pool: _RawPool, connection: Any) -> None:
    with _lock:
        if _pools.get(id(engine)) is pool and len(pool.idle) < MAX_IDLE:
            pool.idle.append(connection)
            return
        pool.last_read.pop(connection, None)
    _close(connection)


def read_token_fast(engine: Engine, now: datetime | None = None) -> ContentToken:
    now = now or utcnow()
    statement = STATEMENTS.get(engine.dialect.name)
    if statement is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        with engine.connect() as pooled:
            return read_content_token(pooled, now)
    sqlite = engine.dialect.name == "sqlite"
    connection: Any = None
    try:
        pool, connection = _acquire(engine)
        cursor = connection.cursor()
        try:
            version, token = _since_last_read(pool, cursor, connection, now) if sqlite else (0, None)
            if token is None:
                cursor.execute(statement, (_sqlite_time(now) if sqlite else now,))
                value, upcoming = cursor.fetchone()
                token = ContentToken(value or 0, _as_utc(upcoming))
                if sqlite:
                    pool.last_read[connection] = (version, now, token)
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error:
        if connection is not None:
            pool.last_read.pop(connection, None)
            _close(connection)
        with engine.connect() as pooled:
            return read_content_token(pooled, now)
    _release(engine, pool, connection)
    return token


def _since_last_read(
    pool: _RawPool, cursor: Any, connection: Any, now: datetime
) -> tuple[int, ContentToken | None]:
    """SQLite only: ``(data_version, token)``, the token being the one this connection read last if
    nothing was committed since (``PRAGMA data_version`` moves whenever another connection commits;
    this one never writes) and no scheduled article has gone live meanwhile; otherwise None, and the
    caller reads it again. A ``now`` before the last read's (a clock set back) reads again too: an
    article scheduled in between would otherwise be missed."""
    cursor.execute("PRAGMA data_version")
    version: int = cursor.fetchone()[0]
    last = pool.last_read.get(connection)
    if last is None or last[0] != version or now < last[1] or not last[2].still_current(now):
        return version, None
    return version, last[2]
