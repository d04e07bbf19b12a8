"""The content version: one counter in the database that every write to public content bumps.

Response caches and ETags are keyed by it, so a publish through any worker (or any process sharing the
database) changes the key every worker computes on its next request: nothing cached is ever served stale.
The bump happens here and nowhere else, from a session listener, so no service can forget it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, event, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.session import ORMExecuteState
from sqlalchemy.sql import Executable

from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Tag
from cms.content.queries import next_visibility_change
from cms.db import UTCDateTime, utcnow
from cms.extensions import db

_ROW_ID = 1

#: Models whose rows can show up in a public response. Other features add theirs with
#: ``count_as_public_content`` (comments, for instance).
_PUBLIC_CONTENT: set[type] = {Article, ArticleAuthor, ArticleTag, Author, Tag}


class ContentVersion(db.Model):  # type: ignore[name-defined]
    """A single row; ``value`` goes up by one in every transaction that changes public content."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer, default=0)


def count_as_public_content(model: type) -> type:
    """Register ``model`` so that writing it bumps the content version (usable as a class decorator)."""
    _PUBLIC_CONTENT.add(model)
    return model


def _touches_public_content(session: Session) -> bool:
    return any(
        isinstance(obj, tuple(_PUBLIC_CONTENT))
        for obj in (*session.new, *session.deleted, *session.dirty)
        if obj not in session.dirty or session.is_modified(obj, include_collections=False)
    )


def _first_value() -> int:
    """Where a new counter starts: at random, so that a counter recreated after its row was deleted
    (tables emptied between tests, a restored dump) does not repeat values an earlier counter handed
    out, which caches may still hold entries for. Below 2**30, so it fits any integer column."""
    return secrets.randbelow(2**30) + 1


def bump_statement(dialect_name: str) -> Executable:
    """An upsert, so the counter survives tables being emptied (tests) and needs no seeding."""
    table = ContentVersion.__table__
    first = _first_value()
    if dialect_name == "postgresql":
        pg_stmt = pg_insert(table).values(id=_ROW_ID, value=first)
        return pg_stmt.on_conflict_do_update(index_elements=["id"], set_={"value": table.c.value + 1})
    if dialect_name == "sqlite":
        lite_stmt = sqlite_insert(table).values(id=_ROW_ID, value=first)
        return lite_stmt.on_conflict_do_update(index_elements=["id"], set_={"value": table.c.value + 1})
    return insert(table).values(id=_ROW_ID, value=first)  # pragma: no cover - no other databases


def _bump(session: Session) -> None:
    connection = session.connection()
    connection.execute(bump_statement(connection.dialect.name))


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: Session, flush_context: Any) -> None:
    # ``after_flush`` still sees what was flushed in ``new``/``dirty``/``deleted``; bumping once per
    # flush is enough, since the key only has to differ from every key read before the commit.
    if not session.info.get("content_version_bumped") and _touches_public_content(session):
        _bump(session)
        session.info["content_version_bumped"] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_bump(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("content_version_bumped", None)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk_write(state: ORMExecuteState) -> None:
    """``session.execute(update(Article)...)`` writes without a flush; it counts too."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in _PUBLIC_CONTENT:
        _bump(state.session)


@dataclass(frozen=True)
class ContentToken:
    """What every public response depends on: the version, and when the next scheduled article goes
    live (its going live changes public responses although nothing was written)."""

    value: int
    upcoming: datetime | None

    @property
    def text(self) -> str:
        # Microseconds: two articles going live within the same second still make two tokens.
        return f"{self.value}.{round(self.upcoming.timestamp() * 1_000_000) if self.upcoming else 0}"

    def still_current(self, now: datetime | None = None) -> bool:
        """False once the next scheduled article has gone live: the token is then outdated even though
        the database has not changed (a response rendered across that moment must not be kept)."""
        return self.upcoming is None or (now or utcnow()) < self.upcoming


#: Built once: the statement is the same for every request, only ``now`` changes.
_TOKEN_QUERY = select(
    select(ContentVersion.value).where(ContentVersion.id == _ROW_ID).scalar_subquery(),
    next_visibility_change(bindparam("now", type_=UTCDateTime())).scalar_subquery(),
)


def read_content_token(connection: Connection, now: datetime | None = None) -> ContentToken:
    """One small query. Callers on a hot path pass a connection of their own rather than the ORM
    session's: no session transaction is begun for a request that is then answered from a cache."""
    value, upcoming = connection.execute(_TOKEN_QUERY, {"now": now or utcnow()}).one()
    return ContentToken(value or 0, upcoming)


def current_token(connection: Connection, now: datetime | None = None) -> str:
    """The token as text, for cache keys and ETags."""
    return read_content_token(connection, now).text
