# ruff: noqa: S608 - the SQL here is put together from this module's constants only, never from input.
"""Each tag and author link carries its article's ``published_at``, so a tag's or an author's page
is a short walk down one index, whatever the number of articles.

Without it, the newest articles of a tag meant finding all of the tag's articles, then sorting them
by date: a popular tag holds a fifth of 100,000 articles. With ``(tag_id, published_at, article_id)``
indexed on the link, the database reads the tag's links newest first and stops after a page (the
article's status is checked per row, and nearly every linked article is public).

Triggers copy the date: when a link is made, and when an article's date changes, whoever writes. The
column is never written by the application. ``create_link_date_triggers`` builds them and fills the
column for the links already there (the migration calls it; ``db.create_all()`` does through the
metadata event below).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from cms.content.ddl import run_ddl, with_tables
from cms.content.models import ArticleTag

#: Each link table with the column naming the tag or author.
LINKS = (("article_tags", "tag_id"), ("article_authors", "author_id"))

_ARTICLE_DATE = "(SELECT published_at FROM articles WHERE articles.id = {row}.article_id)"


def _sqlite_ddl() -> list[str]:
    statements = []
    for table, column in LINKS:
        statements.append(
            f"CREATE TRIGGER {table}_date_ai AFTER INSERT ON {table} BEGIN "
            f"UPDATE {table} SET published_at = {_ARTICLE_DATE.format(row='NEW')} "
            f"WHERE article_id = NEW.article_id AND {column} = NEW.{column}; END"
        )
        statements.append(
            f"CREATE TRIGGER {table}_date_au AFTER UPDATE OF article_id ON {table} BEGIN "
            f"UPDATE {table} SET published_at = {_ARTICLE_DATE.format(row='NEW')} "
            f"WHERE article_id = NEW.article_id AND {column} = NEW.{column}; END"
        )
    updates = " ".join(
        f"UPDATE {table} SET published_at = NEW.published_at WHERE article_id = NEW.id;" for table, _ in LINKS
    )
    statements.append(
        "CREATE TRIGGER articles_link_dates_au AFTER UPDATE OF published_at ON articles "
        f"WHEN NOT (OLD.published_at IS NEW.published_at) BEGIN {updates} END"
    )
    return statements


def _postgresql_ddl() -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION link_date() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.published_at := {_ARTICLE_DATE.format(row='NEW')}; RETURN NEW; END $$"
    ]
    for table, _ in LINKS:
        statements.append(
            f"CREATE TRIGGER {table}_date BEFORE INSERT OR UPDATE OF article_id ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION link_date()"
        )
    updates = " ".join(
        f"UPDATE {table} SET published_at = NEW.published_at WHERE article_id = NEW.id;" for table, _ in LINKS
    )
    statements += [
        "CREATE OR REPLACE FUNCTION articles_link_dates() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{updates} RETURN NULL; END $$",
        "CREATE TRIGGER articles_link_dates AFTER UPDATE OF published_at ON articles FOR EACH ROW "
        "WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at) EXECUTE FUNCTION articles_link_dates()",
    ]
    return statements


def fill_link_dates(connection: Connection) -> None:
    """Copy every article's date onto its links (after a bulk load, or when the column is new)."""
    for table, _ in LINKS:
        connection.execute(text(f"UPDATE {table} SET published_at = {_ARTICLE_DATE.format(row=table)}"))


def create_link_date_triggers(connection: Connection) -> None:
    """Build the triggers and fill the dates of the links already there."""
    run_ddl(connection, sqlite=_sqlite_ddl, postgresql=_postgresql_ddl)
    fill_link_dates(connection)


def drop_link_date_triggers(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        names = [f"{table}_date_{op}" for table, _ in LINKS for op in ("ai", "au")] + [
            "articles_link_dates_au"
        ]
        for name in names:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        return
    for table, _ in LINKS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_date ON {table}"))
    connection.execute(text("DROP TRIGGER IF EXISTS articles_link_dates ON articles"))
    connection.execute(text("DROP FUNCTION IF EXISTS link_date()"))
    connection.execute(text("DROP FUNCTION IF EXISTS articles_link_dates()"))


with_tables(ArticleTag.__table__, create_link_date_triggers, drop_link_date_triggers)
