"""Reading the content token on every cached request, cheaply.

The response cache reads the token (cms/content/versioning.py) on every public read, hits and 304s
included, so this read is most of what a cached answer costs. It skips what a one-row lookup does not
need: statement compilation and result processing. It runs one plain statement, the same query as
``versioning.read_content_token`` builds (the tests compare them), on the DB-API connection beneath
the request's read connection (cms/content/read_connection.py: kept open between requests, every
read sees the latest commit), which the view's own reads then use too. Any database error drops that
connection and the read goes through an ordinary pooled one.

On SQLite even that query is mostly skipped: ``PRAGMA data_version`` tells a connection whether any
other connection has committed since it last looked, so while nothing was written (and no scheduled
article has gone live) the token its last read found is still the token.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from cms.content import read_connection
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
#: SQLite: in a connection's ``info``, its last read: ``data_version``, time and token.
_LAST_READ = "cms_last_token_read"


def _sqlite_time(now: datetime) -> str:
    """SQLite keeps UTC as text in SQLAlchemy's format (cms.db.UTCDateTime): compare like with like."""
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _as_utc(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value.astimezone(UTC) if value is not None else None
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def read_token_fast(engine: Engine, now: datetime | None = None) -> ContentToken:
    """The token, read on the request's read connection (within an app context)."""
    now = now or utcnow()
    statement = STATEMENTS.get(engine.dialect.name)
    if statement is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        with engine.connect() as pooled:
            return read_content_token(pooled, now)
    try:
        return _read(read_connection.read_connection(), statement, now)
    except engine.dialect.loaded_dbapi.Error:
        read_connection.discard()
        with engine.connect() as pooled:
            return read_content_token(pooled, now)


def _read(connection: Connection, statement: str, now: datetime) -> ContentToken:
    sqlite = connection.dialect.name == "sqlite"
    dbapi: Any = connection.connection.dbapi_connection
    cursor = dbapi.cursor()
    try:
        version, token = _since_last_read(cursor, connection, now) if sqlite else (0, None)
        if token is None:
            cursor.execute(statement, (_sqlite_time(now) if sqlite else now,))
            value, upcoming = cursor.fetchone()
            token = ContentToken(value or 0, _as_utc(upcoming))
            if sqlite:
                connection.info[_LAST_READ] = (version, now, token)
        return token
    finally:
        cursor.close()


def _since_last_read(cursor: Any, connection: Connection, now: datetime) -> tuple[int, ContentToken | None]:
    """SQLite only: ``(data_version, token)``, the token being the one this connection read last if
    nothing was committed since (``PRAGMA data_version`` moves whenever another connection commits;
    this one never writes) and no scheduled article has gone live meanwhile; otherwise None, and the
    caller reads it again. A ``now`` before the last read's (a clock set back) reads again too: an
    article scheduled in between would otherwise be missed."""
    cursor.execute("PRAGMA data_version")
    version: int = cursor.fetchone()[0]
    last: tuple[int, datetime, ContentToken] | None = connection.info.get(_LAST_READ)
    if last is None or last[0] != version or now < last[1] or not last[2].still_current(now):
        return version, None
    return version, last[2]
