"""The public read model of articles: rows from Core queries, written straight into the API's JSON.

The Content API's list and detail never change an article, so they need no ORM objects: building an
``Article`` with its author and tag links (identity map, attribute instrumentation, selectin loaders)
cost more than half of an uncached list request. Here a page is one query for the articles' own
columns (only those the response shows; the body only when asked for), with their authors and tags
as the JSON arrays the database keeps beside each article (cms/content/kept_relations.py) when the
response includes them. The dicts are the same, key for key and byte for byte, as
``cms.api.representations.article_json`` makes from an ``Article`` (tests/api/test_read_model.py
compares the two); staff reads, previews and webhooks keep using that one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from flask import current_app
from orjson import loads
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    Result,
    Row,
    Select,
    and_,
    bindparam,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import Integer, String, TypeDecorator

from cms.api import cursors, pagination
from cms.api.representations import ARTICLE_FIELDS
from cms.content import counts, read_connection
from cms.content.driver_queries import DriverQuery
from cms.content.kept_relations import ArticleRelations
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Tag
from cms.content.queries import is_public
from cms.db import rfc3339


class _UuidText(TypeDecorator[str]):
    """A UUID column read as the text the JSON shows, without making a ``uuid.UUID`` of each. SQLite
    keeps 32 hex digits, dashed here. On PostgreSQL nothing is done: the read connection already
    takes UUIDs as text (cms/content/read_connection.py), and the JSON writes any value with
    ``str()``, which turns a ``uuid.UUID`` read elsewhere into the same text."""

    impl = String
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name == "postgresql":
            return None
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or not isinstance(value, str):
            return None if value is None else str(value)
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def _uuid_text(column: Any) -> Any:
    return type_coerce(column, _UuidText()).label(column.key)


_articles = Article.__table__
_authors = Author.__table__
_tags = Tag.__table__
_author_links = ArticleAuthor.__table__
_tag_links = ArticleTag.__table__
_relations = ArticleRelations.__table__

#: The key of the deferred join.
ARTICLE_KEY = _articles.c.id

_COLUMNS = (
    _articles.c.id, _uuid_text(_articles.c.uuid), _articles.c.slug, _articles.c.title, _articles.c.excerpt,
    _articles.c.feature_image_url, _articles.c.feature_image_alt, _articles.c.feature_image_caption,
    _articles.c.language, _articles.c.published_at, _articles.c.updated_at, _articles.c.reading_time,
    _articles.c.featured, _articles.c.meta_title, _articles.c.meta_description, _articles.c.comment_count,
)  # fmt: skip

_RELATION_FIELDS = {"authors": "authors", "primary_author": "authors", "tags": "tags", "primary_tag": "tags"}


#: ``queries.is_public`` on the table's columns, with the time as a parameter, so that the statements
#: below are built once: a statement object remembers its cache key, and SQLAlchemy's compiled cache
#: then costs one dict lookup per request instead of a walk over a freshly built statement.
_NOW = bindparam("now", type_=_articles.c.published_at.type)
_PUBLIC = is_public(_NOW)

#: LIMIT and OFFSET are written into a statement's text, not sent as parameters: PostgreSQL plans the
#: read connection's prepared statements once, generically (cms/content/read_connection.py), and plans
#: a LIMIT it cannot see for a tenth of the table, which made a 15-row page a hash join over all rows.
_LIMIT = bindparam("limit", type_=Integer, literal_execute=True)
_OFFSET = bindparam("offset", type_=Integer, literal_execute=True)


def _inline(value: int) -> BindParameter[int]:
    """``value`` (a LIMIT or an OFFSET) written into the statement, as ``_LIMIT`` is."""
    return literal(value, Integer, literal_execute=True)


#: The list orders ``cms.api.articles`` offers: (column, descending) pairs; the id breaks ties.
_ORDER_KEYS: dict[str, tuple[tuple[str, bool], ...]] = {
    "published_at desc": (("published_at", True), ("id", True)),
    "published_at asc": (("published_at", False), ("id", False)),
    "title asc": (("title", False), ("id", False)),
    "title desc": (("title", True), ("id", True)),
}


def _ordered(columns: Any, order: str) -> tuple[Any, ...]:
    return tuple(columns[name].desc() if desc else columns[name].asc() for name, desc in _ORDER_KEYS[order])


ORDERS = {order: _ordered(_articles.c, order) for order in _ORDER_KEYS}


def public_list(order: str, wanted: Sequence[str], limit: int, offset: int) -> DriverQuery:
    """A page of the unfiltered public list in ``order``, to run with ``now``: a deferred join, as
    ``load_page`` makes it. Each row ends with the list's ``total``."""
    return _public_list(order, _read(wanted), limit, offset)


def public_after(order: str, wanted: Sequence[str], limit: int) -> DriverQuery:
    """The ``limit`` articles of the unfiltered public list in ``order`` right after a cursor, to run
    with ``now``, ``after_value`` and ``after_article`` (the last article's sort value and uuid). Each
    row ends with the list's ``total``, as in ``public_list``."""
    return _public_after(order, _read(wanted), limit)


def public_article(by: str, wanted: Sequence[str]) -> DriverQuery:
    """The public article whose ``by`` (``slug`` or ``uuid``) is the parameter ``key``."""
    return _public_article(by, _read(wanted))


def _read(wanted: Sequence[str]) -> tuple[str, ...]:
    """What of ``wanted`` decides the columns ``article_rows`` reads: the key of a built statement."""
    return tuple(name for name in ("excerpt", "html") if name in wanted) + _related(wanted)


# Built once per order, choice of columns and page (the first few pages are nearly all of the traffic),
# whatever ``fields=`` a client sends.
@lru_cache(maxsize=256)
def _public_list(order: str, read: tuple[str, ...], limit: int, offset: int) -> DriverQuery:
    return _counted_page(_PUBLIC, read, order, limit, offset)


@lru_cache(maxsize=64)
def _public_after(order: str, read: tuple[str, ...], limit: int) -> DriverQuery:
    column = cursors.KEYSET_ORDERS[order][0]
    value = bindparam("after_value", type_=column.type)
    article = bindparam("after_article", type_=_articles.c.uuid.type)
    # The cursor's condition first: SQLite bounds its index range by the first upper bound it meets.
    return _counted_page(and_(cursors.after_position(order, value, article), _PUBLIC), read, order, limit, 0)


def _counted_page(
    where: ColumnElement[bool], read: tuple[str, ...], order: str, limit: int, offset: int
) -> DriverQuery:
    """A deferred page of public articles, its last column the whole public list's ``total``."""
    page = _deferred_page(where, read, order, limit, offset)
    return DriverQuery(page.add_columns(counts.public_total_column()))


@cache
def _public_article(by: str, read: tuple[str, ...]) -> DriverQuery:
    column = _articles.c[by]
    return DriverQuery(article_rows(_PUBLIC, read).where(column == bindparam("key", type_=column.type)))


def linked_page(facet: str, order: str, wanted: Sequence[str]) -> Select[Any] | None:
    """A page of one tag's (``facet`` "tag") or author's public articles by date, to run with
    ``slug``, ``now``, ``limit`` and ``offset``: a walk down the link index, which carries each
    article's date (cms/content/link_dates.py), instead of sorting all of that tag's articles. None
    for the title orders, which sort as any list does."""
    if not order.startswith("published_at"):
        return None
    return _linked_page(facet, order, _read(wanted))


@cache
def _linked_page(facet: str, order: str, read: tuple[str, ...]) -> Select[Any]:
    links, owners = (_tag_links, _tags) if facet == "tag" else (_author_links, _authors)
    owner_id = select(owners.c.id).where(owners.c.slug == bindparam("slug")).scalar_subquery()
    descending = order.endswith("desc")
    keys = (
        select(links.c.article_id)
        .join_from(links, _articles, _articles.c.id == links.c.article_id)
        .where(links.c[f"{facet}_id"] == owner_id, is_public(_NOW, published_at=links.c.published_at))
        .order_by(*_link_order(links, descending))
        .limit(_LIMIT)
        .offset(_OFFSET)
        .subquery()
    )
    return article_rows(None, read).join(keys, keys.c.article_id == ARTICLE_KEY).order_by(*ORDERS[order])


def _link_order(links: Any, descending: bool) -> tuple[Any, ...]:
    columns = (links.c.published_at, links.c.article_id)
    return tuple(c.desc() if descending else c.asc() for c in columns)


def run(statement: Executable, params: dict[str, Any] | None = None) -> Result[Any]:
    """Run a Core statement on the thread's read connection (cms/content/read_connection.py),
    without the ORM's per-statement work: these statements load no objects and write nothing."""
    return read_connection.execute(statement, params)


def wanted_fields(fields: Sequence[str], include: Sequence[str], *, with_html: bool) -> tuple[str, ...]:
    """The top-level keys of each article, in their order: as ``article_json`` chooses them."""
    wanted = list(fields) or [f for f in ARTICLE_FIELDS if with_html or f != "html"]
    return tuple(f for f in wanted if f not in _RELATION_FIELDS or _RELATION_FIELDS[f] in include)


def article_rows(where: ColumnElement[bool] | None, wanted: Sequence[str]) -> Select[Any]:
    """The articles matching ``where``, with the columns that ``wanted`` fields are made from."""
    columns: list[Any] = [*_COLUMNS]
    if "excerpt" in wanted:
        columns.append(_articles.c.auto_excerpt)
    if "html" in wanted:
        columns.append(_articles.c.html)
    arrays = _related(wanted)
    statement = select(*columns, *(_relations.c[name] for name in arrays))
    if arrays:
        statement = statement.select_from(
            _articles.outerjoin(_relations, _relations.c.article_id == ARTICLE_KEY)
        )
    return statement if where is None else statement.where(where)


def _related(wanted: Sequence[str]) -> tuple[str, ...]:
    """Which of the kept arrays (``authors``, ``tags``) the ``wanted`` fields are made from."""
    return tuple(name for name in ("authors", "tags") if any(_RELATION_FIELDS.get(f) == name for f in wanted))


def count_rows(where: ColumnElement[bool] | None) -> int:
    """How many articles ``where`` picks, counted from the index where the database can."""
    return int(run(pagination.counting(article_rows(where, ()), ARTICLE_KEY)).scalar_one())


def load_page(
    where: ColumnElement[bool] | None, wanted: Sequence[str], order: str, limit: int, offset: int = 0
) -> list[Row[Any]]:
    """One page of the articles ``where`` picks, in ``order``, as a deferred join: the page's keys
    come from an index, then only those rows are read. The filter is on the keys alone: repeated on
    the rows, it made PostgreSQL's generic plan read every row that passes it and join them to the
    keys by hash."""
    return list(run(_deferred_page(where, wanted, order, limit, offset)).all())


def _deferred_page(
    where: ColumnElement[bool] | None, wanted: Sequence[str], order: str, limit: int, offset: int
) -> Select[Any]:
    """The statement ``load_page`` runs, with ``limit`` and ``offset`` written into it."""
    keys = article_rows(where, ()).with_only_columns(ARTICLE_KEY).order_by(*ORDERS[order])
    window = keys.limit(_inline(limit)).offset(_inline(offset)).subquery()
    return article_rows(None, wanted).join(window, window.c.id == ARTICLE_KEY).order_by(*ORDERS[order])


def matches_page(
    where: ColumnElement[bool] | None,
    branches: Sequence[ColumnElement[bool]],
    wanted: Sequence[str],
    order: str,
    limit: int,
    offset: int,
) -> tuple[int | None, list[Row[Any]]]:
    """``(total, rows)`` of one page of a search, in one statement. The matches of each of the
    search's ``branches`` (``search.matching_branches``) that also meet ``where`` are gathered once
    (``MATERIALIZED``); their count and the page's order are then taken from that set. Left to
    itself, a planner that misjudges how common a word is walks the whole date index looking for
    matches of a rare one. The total is None when the page is empty (an offset past the end), and
    the caller counts instead."""
    # Only the columns the order needs: SQLite then finds them in a covering index, not in the row.
    keys = [_articles.c[name] for name in dict.fromkeys(name for name, _ in _ORDER_KEYS[order])]
    parts = [select(*keys).where(branch if where is None else and_(where, branch)) for branch in branches]
    gathered = parts[0] if len(parts) == 1 else union_all(*parts)
    hits = gathered.cte("hits").prefix_with("MATERIALIZED")
    ordered = select(hits.c.id).order_by(*_ordered(hits.c, order))
    window = ordered.limit(_inline(limit)).offset(_inline(offset)).subquery()
    total = select(func.count()).select_from(hits).scalar_subquery().label("matches")
    statement = (
        article_rows(None, wanted)
        .add_columns(total)
        .join(window, window.c.id == ARTICLE_KEY)
        .order_by(*ORDERS[order])
    )
    rows = list(run(statement).all())
    return (rows[0].matches if rows else None), rows


def articles_json(rows: Sequence[Row[Any]], wanted: Sequence[str]) -> list[dict[str, Any]]:
    """The JSON of each row (from ``article_rows``), with the ``wanted`` keys (from ``wanted_fields``)
    in their order."""
    if not rows:
        return []
    wants = set(wanted)
    arrays = _related(wanted)
    with_authors, with_tags = "authors" in arrays, "tags" in arrays
    with_excerpt = "excerpt" in wants
    with_html = "html" in wants
    # The columns after the fixed ones, in the order article_rows adds them.
    html_at = len(_COLUMNS) + with_excerpt
    authors_at = html_at + with_html
    tags_at = authors_at + with_authors
    # Each article is written whole, in ARTICLE_FIELDS order; only another set or order is then picked.
    whole = [f for f in ARTICLE_FIELDS if f in wants]
    natural = list(wanted) == whole and len(whole) == len(_ARTICLE_OWN) + with_excerpt + with_html + (
        2 * with_authors
    ) + (2 * with_tags)
    config = current_app.config
    url_format = config["ARTICLE_URL_TEMPLATE"].format
    public_url = config["PUBLIC_URL"]
    out = []
    for row in rows:
        (
            _, uuid, slug, title, excerpt, image_url, image_alt, image_caption, language, published_at,
            updated_at, reading_time, featured, meta_title, meta_description, comment_count,
        ) = row[: len(_COLUMNS)]  # fmt: skip
        values: dict[str, Any] = {"id": str(uuid), "slug": slug, "title": title}
        if with_excerpt:
            values["excerpt"] = excerpt or row[len(_COLUMNS)]
        if with_html:
            values["html"] = row[html_at]
        values["feature_image"] = (
            {"url": image_url, "alt": image_alt, "caption": image_caption} if image_url else None
        )
        values["language"] = language
        values["published_at"] = rfc3339(published_at)
        values["updated_at"] = rfc3339(updated_at)
        values["reading_time"] = reading_time
        values["featured"] = featured
        values["url"] = url_format(public_url=public_url, slug=slug, id=uuid, language=language)
        values["meta_title"] = meta_title
        values["meta_description"] = meta_description
        values["comment_count"] = comment_count
        # An article's kept arrays (cms/content/kept_relations.py); None only where none is kept.
        if with_authors:
            by = values["authors"] = loads(row[authors_at] or "[]")
        if with_tags:
            tagged = values["tags"] = loads(row[tags_at] or "[]")
        if with_authors:
            values["primary_author"] = by[0] if by else None
        if with_tags:
            values["primary_tag"] = tagged[0] if tagged else None
        out.append(values if natural else {name: values[name] for name in wanted})
    return out


#: The fields every article row can always give, whatever was selected.
_ARTICLE_OWN = (
    "id", "slug", "title", "feature_image", "language", "published_at", "updated_at", "reading_time",
    "featured", "url", "meta_title", "meta_description", "comment_count",
)  # fmt: skip
