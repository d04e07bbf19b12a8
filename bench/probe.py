"""What to request, found in the data set, and what each request costs in SQL, counted in-process.

The endpoints a run drives are the issue's list: list page 1 with ``include=authors,tags``, a deep page,
its cursor equivalent (when the API offers ``after=``), detail by slug, a tag-filtered list, search, a
conditional GET answered 304, and the ceiling.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import psycopg
from flask import Flask
from sqlalchemy import event, func, select

from bench import corpus
from bench.dataset import BENCH_SECRET, Dataset
from cms import create_app
from cms.bench_ceiling import CEILING_PATH
from cms.content.models import Article, ArticleTag, Tag
from cms.extensions import db

API = "/api/v1"
LIST_PATH = f"{API}/articles?include=authors,tags"
DEEP_LIMIT = 20
#: Reader searches, from names in thousands of articles to names in a handful (see bench/corpus.py).
SEARCHES = tuple(corpus.search_terms())
DETAIL_SAMPLE = 100
TAG_SAMPLE = 20
#: The API's default page length: a tag list page asks for no other.
TAG_PAGE = 15


@dataclass
class Endpoint:
    key: str
    title: str
    paths: list[str]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    #: wrk connections; None: the run's setting (16). One connection measures a request's own latency.
    connections: int | None = None
    #: Filled in by ``count_queries``: SQL statements per request, cache on and off.
    queries_warm: int | None = None
    queries_cold: int | None = None
    notes: str = ""


def deep_page(size: int) -> int:
    """Page 5,000 at limit 20 for 100k articles; the last page for smaller sets."""
    return max(1, min(5000, size // DEEP_LIMIT))


def bench_app(dataset: Dataset, *, cache: bool) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": dataset.url,
            "SECRET_KEY": BENCH_SECRET,
            "API_CACHE": "on" if cache else "off",
            "TRUSTED_HOSTS": None,
        }
    )


def endpoints(dataset: Dataset) -> list[Endpoint]:
    app = bench_app(dataset, cache=False)
    with app.app_context():
        step = max(1, dataset.size // DETAIL_SAMPLE)
        slugs = list(
            db.session.scalars(select(Article.slug).where(Article.id % step == 0).limit(DETAIL_SAMPLE))
        )
        popularity = (
            select(Tag.slug, func.count())
            .join(ArticleTag, ArticleTag.tag_id == Tag.id)
            .group_by(Tag.slug)
            .order_by(func.count().desc(), Tag.slug)
        )
        # Only tags that fill a first page: 1k and 100k then compare pages of the same length (at 1k
        # most of the long tail holds an article or two). A tiny set (the tests') takes its biggest tag.
        counted = list(db.session.execute(popularity))
        ranked = [slug for slug, count in counted if count >= TAG_PAGE] or [slug for slug, _ in counted[:1]]
        db.engine.dispose()
    # Tags from the most popular to the least popular of those, as a tag page's traffic would spread.
    tags = ranked[:: max(1, len(ranked) // TAG_SAMPLE)][:TAG_SAMPLE]
    page = deep_page(dataset.size)
    search_paths = [f"{API}/articles?{urlencode({'q': q})}" for q in SEARCHES]
    found = [
        Endpoint("list", "List page 1, include=authors,tags", [LIST_PATH]),
        Endpoint(
            "deep",
            f"Deep page (page={page}, limit={DEEP_LIMIT})",
            [f"{API}/articles?page={page}&limit={DEEP_LIMIT}"],
        ),
        Endpoint("detail", "Detail by slug", [f"{API}/articles/slug/{slug}" for slug in slugs]),
        Endpoint("tag", "List filtered by tag", [f"{API}/articles?{urlencode({'tag': t})}" for t in tags]),
        Endpoint("search", "Search q=", search_paths),
        # Under 16 connections a request waits for the ones ahead of it; alone, its latency is its cost.
        Endpoint("search_1c", "Search q=, one connection", search_paths, connections=1),
        Endpoint("304", "Conditional GET (304)", [LIST_PATH], status=304),
        Endpoint("ceiling", "Ceiling (precomputed bytes)", [CEILING_PATH]),
    ]
    cursor = cursor_path(dataset, page)
    if cursor:
        found.insert(
            2, Endpoint("cursor", f"Deep page by cursor (after=, same rows as page {page})", [cursor])
        )
    return found


def cursor_path(dataset: Dataset, page: int) -> str | None:
    """The ``after=`` request that returns the deep page's rows, if the API supports cursors.

    The cursor is taken from the page before: its ``meta.pagination`` names the next cursor.
    """
    app = bench_app(dataset, cache=False)
    client = app.test_client()
    previous = client.get(f"{API}/articles?page={max(page - 1, 1)}&limit={DEEP_LIMIT}")
    with app.app_context():
        db.engine.dispose()
    if previous.status_code != 200 or page < 2:
        return None
    pagination = (previous.get_json() or {}).get("meta", {}).get("pagination", {})
    token = next((pagination[k] for k in ("next_cursor", "after", "cursor") if pagination.get(k)), None)
    if token is None:
        return None
    return f"{API}/articles?{urlencode({'after': token, 'limit': DEEP_LIMIT})}"


#: Statements seen by instrumented driver connections while ``counting`` is active.
_seen: list[str] | None = None
_BOOKKEEPING = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


def _note(statement: str) -> None:
    """Record one statement; SQLite also traces what runs inside a statement (FTS5 reading its shadow
    tables, triggers) as "-- ..." lines, which are not round trips and are left out, as are
    transaction control and the PRAGMAs a new connection runs."""
    if _seen is None or statement.startswith("-- "):
        return
    upper = statement.lstrip().upper()
    # PRAGMA data_version is the SQLite token check (cms/content/token_reads.py): a read, counted.
    if not upper.startswith(_BOOKKEEPING) or upper.startswith("PRAGMA DATA_VERSION"):
        _seen.append(statement)


class _CountingCursor(psycopg.Cursor[Any]):
    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        _note(str(query))
        return super().execute(query, *args, **kwargs)

    def executemany(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        _note(str(query))
        return super().executemany(query, *args, **kwargs)


def _instrument(dbapi_connection: Any, connection_record: Any) -> None:
    """Count at the driver, so statements the app runs on raw DB-API connections (the content token
    read, cms/content/token_reads.py) are counted too, not only those through SQLAlchemy."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.set_trace_callback(_note)
    elif isinstance(dbapi_connection, psycopg.Connection):
        dbapi_connection.cursor_factory = _CountingCursor


def instrument(app: Flask) -> None:
    """Before the app's first request: every connection it opens will report its statements."""
    with app.app_context():
        event.listen(db.engine, "connect", _instrument)


@contextmanager
def counting() -> Iterator[list[str]]:
    global _seen
    statements: list[str] = []
    _seen = statements
    try:
        yield statements
    finally:
        _seen = None


def count_queries(dataset: Dataset, found: list[Endpoint]) -> int:
    """SQL statements per request, warm (second identical request, cache on) and cold (cache off).

    Returns the size in bytes of list page 1, which the ceiling route then answers with.
    """
    list_bytes = 0
    for cache in (True, False):
        app = bench_app(dataset, cache=cache)
        instrument(app)
        client = app.test_client()
        for endpoint in found:
            if endpoint.key in ("ceiling", "search_1c"):
                continue
            path = endpoint.paths[0]
            first = client.get(path)
            if endpoint.key == "list":
                list_bytes = len(first.data)
            headers = {"If-None-Match": first.headers.get("ETag", "")} if endpoint.status == 304 else {}
            with counting() as statements:
                answer = client.get(path, headers=headers)
            if answer.status_code != endpoint.status:
                raise RuntimeError(f"{path} answered {answer.status_code}, expected {endpoint.status}")
            if cache:
                endpoint.queries_warm = len(statements)
            else:
                endpoint.queries_cold = len(statements)
        with app.app_context():
            db.engine.dispose()
    by_key = {e.key: e for e in found}
    if "search_1c" in by_key:
        by_key["search_1c"].queries_warm = by_key["search"].queries_warm
        by_key["search_1c"].queries_cold = by_key["search"].queries_cold
    return list_bytes


def search_totals(dataset: Dataset) -> dict[str, int]:
    """How many articles each search query matches (from the API's own pagination meta)."""
    app = bench_app(dataset, cache=False)
    client = app.test_client()
    totals = {}
    for q in SEARCHES:
        meta = (client.get(f"{API}/articles?{urlencode({'q': q, 'limit': 1})}").get_json() or {}).get(
            "meta", {}
        )
        totals[q] = int(meta.get("pagination", {}).get("total", -1))
    with app.app_context():
        db.engine.dispose()
    return totals
