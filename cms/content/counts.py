# ruff: noqa: S608 - the SQL here is put together from this module's constants only, never from input.
"""How many public articles a list holds, without counting them: counters the database keeps itself.

``listing_counts`` holds, per facet (``all``, ``tag``, ``author``, ``language``, ``featured``) and term
(a tag's or author's id, a language code, ``true``/``false``), how many articles are published or
scheduled and not in the trash. Triggers keep the counters right on every insert, update and delete of
an article or of its tag and author links, whoever writes them (the ORM, a bulk load, psql), in the
writing transaction; so a counter is never ahead of or behind what its reader's snapshot holds.

A list's total is then its counter minus those of its articles that are scheduled and not yet live:
a short range of the listing index, since few articles wait for their time at any moment. A total thus
costs the same at 100,000 articles as at 1,000, where ``count(*)`` over the list grew with it.

``create_count_triggers(connection)`` builds the triggers (the migration that adds the table calls
it; ``db.create_all()`` does through the metadata event below) and fills the counters from the rows
already there; ``recount(connection)`` refills them, for a repair or after a load with triggers off.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    ScalarSelect,
    Select,
    String,
    bindparam,
    cast,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cms.content import read_connection
from cms.content.ddl import run_ddl, with_tables
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Tag
from cms.content.queries import PUBLIC_STATUSES, is_waiting
from cms.db import UTCDateTime
from cms.extensions import db

#: The link tables: facet, table, and the column naming the tag or author.
_LINKS = (("tag", "article_tags", "tag_id"), ("author", "article_authors", "author_id"))
#: Columns of ``articles`` that decide whether and where an article is counted.
_COUNTED_COLUMNS = ("status", "published_at", "deleted_at", "language", "featured")
_STATUSES = ", ".join(f"'{status.value}'" for status in PUBLIC_STATUSES)


class ListingCount(db.Model):  # type: ignore[name-defined]
    """Published or scheduled articles, not trashed, per facet and term (see the module)."""

    __tablename__ = "listing_counts"

    facet: Mapped[str] = mapped_column(String(16), primary_key=True)
    term: Mapped[str] = mapped_column(String(191), primary_key=True)
    total: Mapped[int] = mapped_column(default=0)


def _counted(row: str) -> str:
    return f"{row}.status IN ({_STATUSES}) AND {row}.published_at IS NOT NULL AND {row}.deleted_at IS NULL"


def _term(expression: str) -> str:
    return f"CAST({expression} AS VARCHAR(20))"


_UPSERT = (
    "INSERT INTO listing_counts (facet, term, total) {rows} "
    "ON CONFLICT (facet, term) DO UPDATE SET total = listing_counts.total + excluded.total"
)


def _article_change(row: str, sign: int) -> str:
    """Add (``sign`` 1) or take away (-1) the article ``row`` (NEW or OLD) from each of its counters."""
    counted = _counted(row)
    rows = [
        f"SELECT 'all', '', {sign} WHERE {counted}",
        f"SELECT 'language', {row}.language, {sign} WHERE {counted}",
        f"SELECT 'featured', CASE WHEN {row}.featured THEN 'true' ELSE 'false' END, {sign} WHERE {counted}",
        *(
            f"SELECT '{facet}', {_term(column)}, {sign} FROM {table} "
            f"WHERE article_id = {row}.id AND {counted}"
            for facet, table, column in _LINKS
        ),
    ]
    return _UPSERT.format(rows=" UNION ALL ".join(rows))


def _link_change(facet: str, column: str, row: str, sign: int) -> str:
    """Add or take away one link ``row`` of an article that is counted (a link of a draft is not)."""
    rows = (
        f"SELECT '{facet}', {_term(f'{row}.{column}')}, {sign} FROM articles "
        f"WHERE articles.id = {row}.article_id AND {_counted('articles')}"
    )
    return _UPSERT.format(rows=rows)


def _changed(same: str) -> str:
    """Whether an update touched a column that decides counting; ``same`` compares two values null-safely."""
    return " OR ".join(f"NOT (OLD.{c} {same} NEW.{c})" for c in _COUNTED_COLUMNS)


def _sqlite_ddl() -> list[str]:
    # The old row is taken away BEFORE a delete: afterwards its links are gone (ON DELETE CASCADE), and
    # their own delete triggers then find no article to count, so nothing is taken away twice.
    columns = ", ".join(_COUNTED_COLUMNS)
    statements = [
        f"CREATE TRIGGER listing_counts_ai AFTER INSERT ON articles BEGIN {_article_change('NEW', 1)}; END",
        f"CREATE TRIGGER listing_counts_au AFTER UPDATE OF {columns} ON articles WHEN {_changed('IS')} "
        f"BEGIN {_article_change('OLD', -1)}; {_article_change('NEW', 1)}; END",
        f"CREATE TRIGGER listing_counts_bd BEFORE DELETE ON articles BEGIN {_article_change('OLD', -1)}; END",
    ]
    for facet, table, column in _LINKS:
        statements += [
            f"CREATE TRIGGER listing_counts_{facet}_ai AFTER INSERT ON {table} "
            f"BEGIN {_link_change(facet, column, 'NEW', 1)}; END",
            f"CREATE TRIGGER listing_counts_{facet}_au AFTER UPDATE OF article_id, {column} ON {table} "
            f"BEGIN {_link_change(facet, column, 'OLD', -1)}; {_link_change(facet, column, 'NEW', 1)}; END",
            f"CREATE TRIGGER listing_counts_{facet}_ad AFTER DELETE ON {table} "
            f"BEGIN {_link_change(facet, column, 'OLD', -1)}; END",
        ]
    return statements


def _pg_function(name: str, old: str, new: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {old}; END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {new}; END IF; "
        "RETURN OLD; END $$"
    )


def _postgresql_ddl() -> list[str]:
    # As for SQLite: the article's delete is counted BEFORE it happens, while its links still exist.
    columns = ", ".join(_COUNTED_COLUMNS)
    statements = [
        _pg_function("listing_counts_article", _article_change("OLD", -1), _article_change("NEW", 1)),
        "CREATE TRIGGER listing_counts_ai AFTER INSERT ON articles "
        "FOR EACH ROW EXECUTE FUNCTION listing_counts_article()",
        f"CREATE TRIGGER listing_counts_au AFTER UPDATE OF {columns} ON articles FOR EACH ROW "
        f"WHEN ({_changed('IS NOT DISTINCT FROM')}) EXECUTE FUNCTION listing_counts_article()",
        "CREATE TRIGGER listing_counts_bd BEFORE DELETE ON articles "
        "FOR EACH ROW EXECUTE FUNCTION listing_counts_article()",
    ]
    for facet, table, column in _LINKS:
        function = f"listing_counts_{facet}_link"
        statements += [
            _pg_function(
                function, _link_change(facet, column, "OLD", -1), _link_change(facet, column, "NEW", 1)
            ),
            f"CREATE TRIGGER listing_counts_{facet} AFTER INSERT OR UPDATE OF article_id, {column} OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    return statements


_TRIGGERS = ("listing_counts_ai", "listing_counts_au", "listing_counts_bd")


def create_count_triggers(connection: Connection) -> None:
    """Build the triggers and fill the counters from the rows already there."""
    run_ddl(connection, sqlite=_sqlite_ddl, postgresql=_postgresql_ddl)
    recount(connection)


def drop_count_triggers(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        names = [
            *_TRIGGERS,
            *(f"listing_counts_{facet}_{op}" for facet, *_ in _LINKS for op in ("ai", "au", "ad")),
        ]
        for name in names:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        return
    for name in _TRIGGERS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON articles"))
    for facet, table, *_ in _LINKS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS listing_counts_{facet} ON {table}"))
        connection.execute(text(f"DROP FUNCTION IF EXISTS listing_counts_{facet}_link()"))
    connection.execute(text("DROP FUNCTION IF EXISTS listing_counts_article()"))


def recount(connection: Connection) -> None:
    """Count every facet afresh from the rows: what the triggers keep up to date one write at a time."""
    counted = _counted("articles")
    featured = "CASE WHEN featured THEN 'true' ELSE 'false' END"
    rows = [
        f"SELECT 'all', '', count(*) FROM articles WHERE {counted}",
        f"SELECT 'language', language, count(*) FROM articles WHERE {counted} GROUP BY language",
        f"SELECT 'featured', {featured}, count(*) FROM articles WHERE {counted} GROUP BY {featured}",
        *(
            f"SELECT '{facet}', {_term(f'links.{column}')}, count(*) FROM {table} AS links "
            f"JOIN articles ON articles.id = links.article_id WHERE {counted} GROUP BY links.{column}"
            for facet, table, column in _LINKS
        ),
    ]
    connection.execute(text("DELETE FROM listing_counts"))
    connection.execute(text(f"INSERT INTO listing_counts (facet, term, total) {' UNION ALL '.join(rows)}"))


with_tables(ListingCount.__table__, create_count_triggers, drop_count_triggers)


# Reading a total -------------------------------------------------------------------------------------

_listing = ListingCount.__table__
_articles = Article.__table__
_NOW = bindparam("now", type_=UTCDateTime())
_VALUE = bindparam("value", type_=String())
_LINK_TABLES = {
    "tag": (ArticleTag.__table__, Tag.__table__),
    "author": (ArticleAuthor.__table__, Author.__table__),
}


def _waiting(*conditions: Any) -> ScalarSelect[Any]:
    """How many counted articles among those ``conditions`` pick have their time still to come."""
    return select(func.count()).where(is_waiting(_NOW), *conditions).scalar_subquery()


def _stored(facet: str, term: Any) -> Any:
    counter = select(_listing.c.total).where(_listing.c.facet == facet, _listing.c.term == term)
    return func.coalesce(counter.scalar_subquery(), 0)


@cache
def _total_statement(facet: str) -> Select[Any]:
    """The public total of one facet, with ``now`` and (but for ``all``) ``value`` as parameters: the
    language code, ``true``/``false``, or the tag's or author's slug. Built once per facet."""
    if facet == "all":
        return select(_stored("all", "") - _waiting())
    if facet == "language":
        return select(_stored(facet, _VALUE) - _waiting(_articles.c.language == _VALUE))
    if facet == "featured":
        return select(_stored(facet, _VALUE) - _waiting(_articles.c.featured == (_VALUE == "true")))
    links, owners = _LINK_TABLES[facet]
    owner_id = select(owners.c.id).where(owners.c.slug == _VALUE).scalar_subquery()
    # The waiting ones through the link's own copy of the date (cms/content/link_dates.py): a short
    # range of its index, where going through the articles would visit every link of a big tag.
    waiting = (
        select(func.count())
        .select_from(links)
        .join(_articles, _articles.c.id == links.c.article_id)
        .where(links.c[f"{facet}_id"] == owner_id, is_waiting(_NOW, published_at=links.c.published_at))
        .scalar_subquery()
    )
    return select(_stored(facet, cast(owner_id, String(20))) - waiting)


def public_total_column() -> Any:
    """The number of all public articles as a column (with ``now`` as a parameter), so that a page's
    statement can bring its list's total along instead of a round trip of its own."""
    return (_stored("all", "") - _waiting()).label("total")


def public_total(now: datetime, facets: dict[str, str | bool | None]) -> int | None:
    """The number of public articles with the filters in ``facets`` (``tag``, ``author``, ``language``,
    ``featured``; None means not filtered), read from the counters; None when more than one filter is
    set, which the caller then counts itself."""
    given = [(facet, value) for facet, value in facets.items() if value is not None]
    if len(given) > 1:
        return None
    facet, value = given[0] if given else ("all", "")
    if isinstance(value, bool):
        value = "true" if value else "false"
    params = {"now": now, "value": value}
    return int(read_connection.execute(_total_statement(facet), params).scalar_one())
