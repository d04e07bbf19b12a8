"""Benchmark databases: created through the migrations, filled with bulk inserts, kept between runs.

A data set is rebuilt only when its stamp (generator version, size, migration head) differs from what
this checkout would build, so a second ``make bench`` starts measuring at once. SQLite keeps the stamp in
a file beside the database; PostgreSQL as the comment on the ``articles`` table.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask_migrate
import psycopg
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Table, create_engine, inspect, text
from sqlalchemy.engine import make_url

from bench import corpus
from cms import PROJECT_ROOT, create_app
from cms.content import counts, kept_relations, link_dates, search
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Tag
from cms.content.versioning import bump_statement

DATA_DIR = Path(PROJECT_ROOT) / "bench" / "data"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
#: Only for create_app inside the bench process; the served app gets its own (see bench/server.py).
BENCH_SECRET = "bench-secret-key-only-for-local-benchmark-databases"


@dataclass(frozen=True)
class Dataset:
    kind: str  # "sqlite" or "postgresql"
    size: int
    url: str

    @property
    def label(self) -> str:
        return f"{'SQLite' if self.kind == 'sqlite' else 'PostgreSQL'} {_size_label(self.size)}"


def _size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 and size >= 1000 else str(size)


def dataset_for(kind: str, size: int) -> Dataset:
    if kind == "sqlite":
        return Dataset(kind, size, f"sqlite:///{DATA_DIR / f'cms_bench_{_size_label(size)}.sqlite3'}")
    return Dataset(kind, size, f"{PG_SERVER}/cms_bench_{_size_label(size)}")


def migration_head() -> str:
    heads = ScriptDirectory(os.path.join(PROJECT_ROOT, "migrations")).get_heads()
    return ",".join(sorted(heads))


def wanted_stamp(size: int) -> dict[str, Any]:
    return {"generator": corpus.GENERATOR_VERSION, "size": size, "migrations": migration_head()}


def is_current(dataset: Dataset) -> bool:
    stamp = current_stamp(dataset) or {}
    wanted = wanted_stamp(dataset.size)
    return {key: stamp.get(key) for key in wanted} == wanted


def only_migrations_behind(dataset: Dataset) -> bool:
    """The same rows, built before the newest migrations: running those is all it takes (and tries
    them on a filled database, as an upgrade in production would)."""
    stamp = current_stamp(dataset) or {}
    wanted = wanted_stamp(dataset.size)
    return bool(stamp) and all(stamp.get(key) == wanted[key] for key in wanted if key != "migrations")


def upgrade(dataset: Dataset) -> None:
    """Bring a cached data set to the migration head, analyse, stamp."""
    _migrate(dataset.url)
    engine = create_engine(dataset.url)
    try:
        _analyse(engine, dataset)
        _write_stamp(engine, dataset)
    finally:
        engine.dispose()


def current_stamp(dataset: Dataset) -> dict[str, Any] | None:
    try:
        if dataset.kind == "sqlite":
            path = Path(make_url(dataset.url).database or "")
            stamp_file = path.with_suffix(".stamp.json")
            if not path.exists() or not stamp_file.exists():
                return None
            return dict(json.loads(stamp_file.read_text()))
        engine = create_engine(dataset.url)
        try:
            with engine.connect() as connection:
                comment = connection.scalar(text("SELECT obj_description('articles'::regclass, 'pg_class')"))
        finally:
            engine.dispose()
        return dict(json.loads(comment)) if comment else None
    except Exception:  # a missing database or table means "build it"
        return None


def prepare(dataset: Dataset) -> None:
    """An empty database with the migrated schema, ready for ``load_chunk``."""
    _recreate_database(dataset)
    _migrate(dataset.url)
    engine = create_engine(dataset.url)
    try:
        with engine.begin() as connection:
            # Rows are indexed for search, counted, their links dated and their authors and tags kept
            # once, in ``finish``: faster than row by row.
            counts.drop_count_triggers(connection)
            link_dates.drop_link_date_triggers(connection)
            kept_relations.drop_relation_triggers(connection)
            if connection.dialect.name == "sqlite":
                connection.execute(text(f"DROP TRIGGER IF EXISTS {search.FTS_TABLE}_ai"))
            else:
                for name in search.VECTOR_INDEXES.values():
                    connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
            _insert(connection, Author.__table__, corpus.author_rows())
            _insert(connection, Tag.__table__, corpus.tag_rows())
    finally:
        engine.dispose()


def create_missing_indexes(dataset: Dataset) -> list[str]:
    """Create the indexes the models declare but the migrations do not (yet) build, and return them.

    A model change waits for its migration to be generated; until then the bench still measures the
    code as it stands, and RESULTS.md names what it added. Idempotent: an empty list once migrated.
    """
    engine = create_engine(dataset.url)
    created = []
    try:
        with engine.begin() as connection:
            existing = {
                index["name"]
                for table in _CONTENT_TABLES
                for index in inspect(connection).get_indexes(table.name)
            }
            for table in _CONTENT_TABLES:
                for index in sorted(table.indexes, key=lambda i: str(i.name)):
                    if index.name not in existing:
                        index.create(connection)
                        created.append(str(index.name))
            if created:
                connection.execute(text("ANALYZE"))
        if created:
            stamp = current_stamp(dataset) or wanted_stamp(dataset.size)
            added = sorted({*stamp.get("indexes_beyond_migrations", []), *created})
            _write_stamp(engine, dataset, {"indexes_beyond_migrations": added})
    finally:
        engine.dispose()
    return created


def indexes_beyond_migrations(dataset: Dataset) -> list[str]:
    """What ``create_missing_indexes`` has added to this data set, now or in an earlier run."""
    return list((current_stamp(dataset) or {}).get("indexes_beyond_migrations", []))


_CONTENT_TABLES: tuple[Table, ...] = (
    Article.__table__, ArticleAuthor.__table__, ArticleTag.__table__, Author.__table__, Tag.__table__,
)  # fmt: skip


def chunks(dataset: Dataset, parts: int) -> list[tuple[int, int]]:
    """Article id ranges, whole generator batches each, for loaders running side by side."""
    batches = corpus.expected_batches(dataset.size)
    per_part = -(-batches // parts)
    ranges = []
    for part in range(parts):
        low = part * per_part * corpus.BATCH + 1
        high = min((part + 1) * per_part * corpus.BATCH, dataset.size)
        if low <= high:
            ranges.append((low, high))
    return ranges


def load_chunk(dataset: Dataset, start: int, stop: int, log: Any = print) -> None:
    """Articles ``start``..``stop`` with their links, in one transaction (PostgreSQL: COPY)."""
    engine = create_engine(dataset.url)
    began = time.monotonic()
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # No rollback journal for a throw-away load (a crash means a rebuild); finish() and
                # every later connection switch back to WAL (see cms/__init__.py).
                connection.exec_driver_sql("PRAGMA journal_mode=OFF")
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
                connection.commit()
            # An explicit transaction: COPY goes through the driver's connection, which SQLAlchemy
            # would otherwise not know to commit.
            with connection.begin():
                for number, batch in enumerate(corpus.article_batches(dataset.size, start, stop), start=1):
                    _insert(connection, Article.__table__, batch.articles)
                    _insert(connection, ArticleAuthor.__table__, batch.article_authors)
                    _insert(connection, ArticleTag.__table__, batch.article_tags)
                    if number % 10 == 0:
                        last = batch.articles[-1]["id"]
                        log(f"{dataset.label}: articles {start}-{last} ({time.monotonic() - began:.0f} s)")
    finally:
        engine.dispose()


def finish(dataset: Dataset, log: Any = print) -> None:
    """Index every row for search, fix sequences, bump the content version, analyse, stamp."""
    engine = create_engine(dataset.url)
    try:
        with engine.begin() as connection:
            log(f"{dataset.label}: indexing for search")
            search.create_search_index(connection)  # recreates the trigger/index and indexes every row
            counts.create_count_triggers(connection)  # and these count every row
            link_dates.create_link_date_triggers(connection)  # and date every link
            kept_relations.create_relation_triggers(connection)  # and keep every article's relations
            dialect = connection.dialect.name
            if dialect == "postgresql":
                for table in ("articles", "authors", "tags"):
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
            connection.execute(bump_statement(dialect))
        _analyse(engine, dataset)
        _write_stamp(engine, dataset)
    finally:
        engine.dispose()


def _analyse(engine: Any, dataset: Dataset) -> None:
    if dataset.kind == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def build(dataset: Dataset, log: Any = print) -> None:
    """All of it in this process (tests, small sets); ``make bench`` runs the steps in parallel."""
    prepare(dataset)
    load_chunk(dataset, 1, dataset.size, log)
    finish(dataset, log)


def _recreate_database(dataset: Dataset) -> None:
    url = make_url(dataset.url)
    if dataset.kind == "sqlite":
        path = Path(url.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, path.with_suffix(".stamp.json"), Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            # The name comes from dataset_for, never from a request: quoting it is enough.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        server.dispose()


def _migrate(url: str) -> None:
    """The schema comes from the migrations, exactly as ``cms db upgrade`` builds it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": BENCH_SECRET})
    with app.app_context():
        flask_migrate.upgrade()
        from cms.extensions import db

        db.engine.dispose()


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows)
    else:
        connection.execute(table.insert(), rows)


def _copy(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY: several times faster than INSERT for bulk rows."""
    columns = [c.name for c in table.columns if c.name in rows[0]]
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, psycopg.Connection)
    names = ", ".join(columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _write_stamp(engine: Any, dataset: Dataset, extra: dict[str, Any] | None = None) -> None:
    stamp = json.dumps(wanted_stamp(dataset.size) | (extra or {}))
    if dataset.kind == "sqlite":
        path = Path(make_url(dataset.url).database or "")
        path.with_suffix(".stamp.json").write_text(stamp)
        return
    with engine.begin() as connection:
        connection.execute(text("COMMENT ON TABLE articles IS " + _sql_string(stamp)))


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
