"""Full-text search over articles: SQLite FTS5, or PostgreSQL text search in the article's language.

The index lives beside the model, not in it, because neither dialect's DDL can be said in SQLAlchemy's
portable terms. ``create_search_index(connection)`` builds it and ``drop_search_index(connection)``
removes it; ``db.create_all()`` calls them through the table events below, and the Alembic migration
that creates ``articles`` calls them too. ``is_search_object`` tells Alembic's autogenerate to leave
these objects alone.

- SQLite: an external-content FTS5 table ``articles_fts`` (title, excerpt, plaintext) over
  ``articles``, kept in sync by triggers; ``remove_diacritics 2`` lets "Muller" find "Müller".
- PostgreSQL: a stored generated ``tsvector`` column ``articles.search_vector`` built with the German
  configuration for German articles, English for English ones and ``simple`` otherwise, under a GIN index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    column,
    event,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.types import UserDefinedType

from cms.content.models import Article

FTS_TABLE = "articles_fts"
VECTOR_COLUMN = "search_vector"
#: Before the per-language indexes below: one GIN index over every article.
OLD_VECTOR_INDEX = "ix_articles_search_vector"

#: Languages with their own PostgreSQL configuration (stemming, stop words); others use ``simple``.
PG_CONFIGS = {"de": "german", "en": "english"}
#: One partial GIN index per configuration, over the articles searched with it: a search then reads
#: each language's index with that language's query, and every match it finds is exact, so no row's
#: vector is read again to tell which language's query it matched.
VECTOR_INDEXES = {
    **{code: f"ix_articles_search_{code}" for code in PG_CONFIGS},
    "": "ix_articles_search_other",
}

# Spelled out (not formatted from FTS_TABLE) so the statements read as the SQL they are.
_SQLITE_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
        title, excerpt, plaintext,
        content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, excerpt, plaintext)
        VALUES (new.id, new.title, new.excerpt, new.plaintext);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, plaintext)
        VALUES ('delete', old.id, old.title, old.excerpt, old.plaintext);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_au AFTER UPDATE OF title, excerpt, plaintext ON articles
    BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, plaintext)
        VALUES ('delete', old.id, old.title, old.excerpt, old.plaintext);
        INSERT INTO articles_fts(rowid, title, excerpt, plaintext)
        VALUES (new.id, new.title, new.excerpt, new.plaintext);
    END""",
    # Rows that existed before the index did (a migration over a filled database) get indexed too.
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
)


def _language_sql(code: str, column: str = "language") -> str:
    """Which articles a configuration searches ("" for those without one of their own)."""
    if code:
        return f"{column} LIKE '{code}%'"
    return " AND ".join(f"{column} NOT LIKE '{other}%'" for other in PG_CONFIGS)


def _pg_config_case(language: str) -> str:
    branches = " ".join(
        f"WHEN {language} LIKE '{code}%' THEN '{config}'::regconfig" for code, config in PG_CONFIGS.items()
    )
    return f"CASE {branches} ELSE 'simple'::regconfig END"


_PG_DDL = (
    f"""ALTER TABLE articles ADD COLUMN IF NOT EXISTS {VECTOR_COLUMN} tsvector GENERATED ALWAYS AS (
        to_tsvector({_pg_config_case("language")},
                    coalesce(title, '') || ' ' || coalesce(excerpt, '') || ' ' || plaintext)
    ) STORED""",
    *(
        f"CREATE INDEX IF NOT EXISTS {name} ON articles USING gin ({VECTOR_COLUMN}) "
        f"WHERE {_language_sql(code)}"
        for code, name in VECTOR_INDEXES.items()
    ),
)


def create_search_index(connection: Connection) -> None:
    statements = {"sqlite": _SQLITE_DDL, "postgresql": _PG_DDL}.get(connection.dialect.name, ())
    for statement in statements:
        connection.execute(text(statement))


def drop_search_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for suffix in ("_ai", "_ad", "_au"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {FTS_TABLE}{suffix}"))
        connection.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
    elif connection.dialect.name == "postgresql":
        for name in (*VECTOR_INDEXES.values(), OLD_VECTOR_INDEX):
            connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
        connection.execute(text(f"ALTER TABLE articles DROP COLUMN IF EXISTS {VECTOR_COLUMN}"))


def is_search_object(name: str | None, type_: str) -> bool:
    """True for what this module owns, which Alembic's autogenerate must not compare."""
    if not name:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
    return name in (VECTOR_COLUMN, OLD_VECTOR_INDEX, *VECTOR_INDEXES.values())


def alembic_include_object(
    object_: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's ``include_object`` hook: compare everything but the search index."""
    return not is_search_object(name, type_)


@event.listens_for(Article.__table__, "after_create")
def _create_with_table(target: Any, connection: Connection, **kw: Any) -> None:
    create_search_index(connection)


@event.listens_for(Article.__table__, "before_drop")
def _drop_with_table(target: Any, connection: Connection, **kw: Any) -> None:
    drop_search_index(connection)


class _TSVector(UserDefinedType[Any]):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "tsvector"


def fts5_query(words: list[str]) -> str:
    """Each word as a quoted FTS5 string, so nothing the reader types is FTS5 syntax; all must match."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def matching_branches(text_: str, dialect_name: str) -> list[ColumnElement[bool]]:
    """Conditions that together (OR) say: every word of ``text_`` appears in the title, excerpt or
    body. On PostgreSQL one per configuration, each read from its own partial index; a query that
    runs them one by one (UNION ALL) finds each match once and exactly."""
    words = text_.split()
    if not words:
        return [true()]
    if dialect_name == "sqlite":
        fts = table(FTS_TABLE, column("rowid"))
        hits = select(fts.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(fts5_query(words)))
        return [Article.id.in_(hits)]
    if dialect_name == "postgresql":
        vector = literal_column(f"articles.{VECTOR_COLUMN}", _TSVector()).op("@@")
        query = " ".join(words)
        # The language patterns and configurations are written into the SQL, not sent as parameters:
        # the planner must see them to use the partial indexes, in a prepared statement's plan too.
        return [
            and_(
                literal_column(_language_sql(code, "articles.language")),
                vector(func.plainto_tsquery(literal_column(f"'{config}'"), query)),
            )
            for code, config in (*PG_CONFIGS.items(), ("", "simple"))
        ]
    raise NotImplementedError(f"search is not implemented for {dialect_name}")  # pragma: no cover


def matching(text_: str, dialect_name: str) -> ColumnElement[bool]:
    """Every word of ``text_`` appears in the title, excerpt or body (per dialect, see the module)."""
    return or_(*matching_branches(text_, dialect_name))
