# ruff: noqa: S608 - the SQL here is put together from this module's constants only, never from input.
"""Each article's authors and tags as the Content API shows them, kept beside it by the database.

A public list used to read its page, then its articles' authors and tags through their links: a
second statement per request, and on PostgreSQL the dearest one (it hashed all authors and tags each
time). ``article_relations`` holds, per article, the JSON arrays the API writes for ``authors`` and
``tags``, in the links' order, so a page is one statement whatever it includes.

Triggers keep the arrays right, in the writing transaction and whoever writes: an article's row is
made with it, a link made, moved or removed rewrites its article's array, and an author or tag edited
(or deleted, through the links' cascade) rewrites the arrays of every article it belongs to. A reader
thus never sees an array older than the links in its snapshot: this is part of the schema, like an
index, not a cache. On PostgreSQL two transactions may change one article's links, or a link and the
author it names, at the same time; a trigger locks what it rewrites before reading it (see
``_locked_rewrite``), so the one that commits second writes an array with both changes.

``create_relation_triggers(connection)`` builds the triggers and fills the table from the rows already
there (the migration that adds the table calls it; ``db.create_all()`` does through the metadata
event below); ``fill_relations(connection)`` rewrites every row, for a repair or after a load with
the triggers off.
"""

from __future__ import annotations

from sqlalchemy import Connection, ForeignKey, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from cms.content.ddl import run_ddl, with_tables
from cms.extensions import db


class ArticleRelations(db.Model):  # type: ignore[name-defined]
    """One article's ``authors`` and ``tags`` as JSON arrays (see the module)."""

    __tablename__ = "article_relations"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    authors: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    tags: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


#: The keys of an author's and a tag's JSON, in order, with the column each is read from: the one
#: definition of both, which ``cms.api.representations.author_json`` and ``tag_json`` write from too.
AUTHOR_CARD = (
    ("id", "uuid"), ("slug", "slug"), ("name", "name"), ("bio", "bio"), ("avatar_url", "avatar_url"),
    ("cover_image_url", "cover_image_url"), ("website", "website"), ("location", "location"),
)  # fmt: skip
TAG_CARD = (("id", "uuid"), ("slug", "slug"), ("name", "name"), ("description", "description"))

#: Per array: the link table, the owners' table, the link's column naming the owner, and the card.
_SOURCES = {
    "authors": ("article_authors", "authors", "author_id", AUTHOR_CARD),
    "tags": ("article_tags", "tags", "tag_id", TAG_CARD),
}


def _sqlite_uuid(column: str) -> str:
    """SQLite keeps a UUID as 32 hex digits; the API shows it dashed."""
    parts = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    return " || '-' || ".join(f"substr({column}, {start}, {length})" for start, length in parts)


def _array(dialect: str, which: str, article: str) -> str:
    """The SQL of the JSON array ``which`` (authors or tags) of the article whose id is ``article``."""
    links, owners, key, card = _SOURCES[which]
    joined = (
        f"FROM {links} AS link JOIN {owners} AS owner ON owner.id = link.{key} "
        f"WHERE link.article_id = {article}"
    )
    if dialect == "postgresql":
        pairs = ", ".join(f"'{name}', owner.{column}" for name, column in card)
        return (
            f"(SELECT coalesce(json_agg(json_build_object({pairs}) ORDER BY link.position)::text, '[]') "
            f"{joined})"
        )
    values = (
        _sqlite_uuid(f"owner.{column}") if column == "uuid" else f"owner.{column}" for _, column in card
    )
    pairs = ", ".join(f"'{name}', {value}" for (name, _), value in zip(card, values, strict=True))
    # SQLite (3.40) has no ORDER BY inside an aggregate. An aggregate over a subquery that has one
    # reads the subquery's rows in that order: SQLite never flattens such a subquery into it.
    return (
        f"(SELECT json_group_array(json(card)) FROM "
        f"(SELECT json_object({pairs}) AS card {joined} ORDER BY link.position))"
    )


def _insert_row(dialect: str, article: str) -> str:
    arrays = ", ".join(_array(dialect, which, article) for which in _SOURCES)
    return f"INSERT INTO article_relations (article_id, authors, tags) VALUES ({article}, {arrays})"


def _rewrite(dialect: str, which: str, articles: str) -> str:
    """Rewrite the array ``which`` of the articles whose ids ``articles`` (an SQL list) gives."""
    return (
        f"UPDATE article_relations SET {which} = {_array(dialect, which, 'article_relations.article_id')} "
        f"WHERE article_id IN ({articles})"
    )


def _owned(which: str, owner: str) -> str:
    """The articles linked to ``owner`` (an author's or tag's id)."""
    links, _, key, _ = _SOURCES[which]
    return f"SELECT article_id FROM {links} WHERE {key} = {owner}"


def _moved(which: str) -> str:
    """The link's columns that change an array (not its date, which triggers of their own copy)."""
    return f"article_id, {_SOURCES[which][2]}, position"


def _shown(which: str) -> tuple[str, ...]:
    """The owner's columns its card shows: only an update of one of them rewrites arrays."""
    return tuple(column for _, column in _SOURCES[which][3])


def _watched(which: str) -> str:
    return ", ".join(_shown(which))


def _changed(which: str, same: str) -> str:
    """Whether an update changed any of the columns the owner's card shows (``same`` is the
    dialect's null-safe equality)."""
    return "NOT (" + " AND ".join(f"OLD.{column} {same} NEW.{column}" for column in _shown(which)) + ")"


def _sqlite_ddl() -> list[str]:
    statements = [
        "CREATE TRIGGER article_relations_ai AFTER INSERT ON articles "
        f"BEGIN {_insert_row('sqlite', 'NEW.id')}; END"
    ]
    for which, (links, owners, _, _) in _SOURCES.items():
        statements += [
            f"CREATE TRIGGER {links}_relations_ai AFTER INSERT ON {links} "
            f"BEGIN {_rewrite('sqlite', which, 'NEW.article_id')}; END",
            f"CREATE TRIGGER {links}_relations_au AFTER UPDATE OF {_moved(which)} ON {links} "
            f"BEGIN {_rewrite('sqlite', which, 'OLD.article_id, NEW.article_id')}; END",
            f"CREATE TRIGGER {links}_relations_ad AFTER DELETE ON {links} "
            f"BEGIN {_rewrite('sqlite', which, 'OLD.article_id')}; END",
            f"CREATE TRIGGER {owners}_relations_au AFTER UPDATE OF {_watched(which)} ON {owners} "
            f"WHEN {_changed(which, 'IS')} BEGIN {_rewrite('sqlite', which, _owned(which, 'NEW.id'))}; END",
        ]
    return statements


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{body}; RETURN NULL; END $$"
    )


def _locked_rewrite(which: str, articles: str, owner: str | None = None) -> str:
    """PostgreSQL: ``_rewrite`` once the rows it rewrites are locked, and the ``owner`` a new link
    names (its id) is locked against edits. Each statement of a trigger function reads a fresh
    snapshot, so the rewrite then sees what a concurrent writer of the same article or owner has
    committed meanwhile; in one statement, it would read from before the wait and could undo that
    writer's change."""
    _, owners, _, _ = _SOURCES[which]
    steps = [] if owner is None else [f"PERFORM 1 FROM {owners} WHERE id = {owner} FOR SHARE"]
    steps += [
        f"PERFORM 1 FROM article_relations WHERE article_id IN ({articles}) ORDER BY article_id FOR UPDATE",
        _rewrite("postgresql", which, articles),
    ]
    return "; ".join(steps)


def _postgresql_ddl() -> list[str]:
    statements = [
        _pg_function("article_relations_article", _insert_row("postgresql", "NEW.id")),
        "CREATE TRIGGER article_relations AFTER INSERT ON articles "
        "FOR EACH ROW EXECUTE FUNCTION article_relations_article()",
    ]
    for which, (links, owners, key, _) in _SOURCES.items():
        both, new = "OLD.article_id, NEW.article_id", "NEW.article_id"
        link_body = (
            f"IF TG_OP = 'DELETE' THEN {_locked_rewrite(which, 'OLD.article_id')}; "
            f"ELSIF TG_OP = 'UPDATE' THEN {_locked_rewrite(which, both, f'NEW.{key}')}; "
            f"ELSE {_locked_rewrite(which, new, f'NEW.{key}')}; END IF"
        )
        statements += [
            _pg_function(f"{links}_relations", link_body),
            f"CREATE TRIGGER {links}_relations AFTER INSERT OR UPDATE OF {_moved(which)} OR DELETE "
            f"ON {links} FOR EACH ROW EXECUTE FUNCTION {links}_relations()",
            _pg_function(f"{owners}_relations", _locked_rewrite(which, _owned(which, "NEW.id"))),
            f"CREATE TRIGGER {owners}_relations AFTER UPDATE OF {_watched(which)} ON {owners} "
            f"FOR EACH ROW WHEN ({_changed(which, 'IS NOT DISTINCT FROM')}) "
            f"EXECUTE FUNCTION {owners}_relations()",
        ]
    return statements


def fill_relations(connection: Connection) -> None:
    """Write every article's arrays afresh from its links: what the triggers keep up to date."""
    dialect = connection.dialect.name
    arrays = ", ".join(_array(dialect, which, "articles.id") for which in _SOURCES)
    connection.execute(text("DELETE FROM article_relations"))
    connection.execute(
        text(
            f"INSERT INTO article_relations (article_id, authors, tags) "
            f"SELECT articles.id, {arrays} FROM articles"
        )
    )


def create_relation_triggers(connection: Connection) -> None:
    """Build the triggers and fill the arrays of the articles already there."""
    run_ddl(connection, sqlite=_sqlite_ddl, postgresql=_postgresql_ddl)
    fill_relations(connection)


def drop_relation_triggers(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        names = ["article_relations_ai"]
        for links, owners, _, _ in _SOURCES.values():
            names += [f"{links}_relations_{op}" for op in ("ai", "au", "ad")] + [f"{owners}_relations_au"]
        for name in names:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        return
    connection.execute(text("DROP TRIGGER IF EXISTS article_relations ON articles"))
    connection.execute(text("DROP FUNCTION IF EXISTS article_relations_article()"))
    for links, owners, _, _ in _SOURCES.values():
        for table in (links, owners):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_relations ON {table}"))
            connection.execute(text(f"DROP FUNCTION IF EXISTS {table}_relations()"))


with_tables(ArticleRelations.__table__, create_relation_triggers, drop_relation_triggers)
