"""Database objects SQLAlchemy's metadata cannot describe (triggers, functions), built and dropped
with the tables they belong to when ``db.create_all()`` and ``db.drop_all()`` run. Migrations call the
same functions themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, event, text

from cms.extensions import db


def with_tables(
    table: Table, create: Callable[[Connection], None], drop: Callable[[Connection], None]
) -> None:
    """Run ``create`` after the metadata's tables are created (all of them: triggers may reference
    several), and ``drop`` before they are dropped, whenever ``table`` is among them."""

    def after_create(target: Any, connection: Connection, **kw: Any) -> None:
        if table in kw.get("tables", target.sorted_tables):
            create(connection)

    def before_drop(target: Any, connection: Connection, **kw: Any) -> None:
        if table in kw.get("tables", target.sorted_tables):
            drop(connection)

    event.listen(db.metadata, "after_create", after_create)
    event.listen(db.metadata, "before_drop", before_drop)


def run_ddl(
    connection: Connection, *, sqlite: Callable[[], list[str]], postgresql: Callable[[], list[str]]
) -> None:
    """Run the statements the connection's database takes (triggers, their functions)."""
    for statement in {"sqlite": sqlite, "postgresql": postgresql}[connection.dialect.name]():
        connection.execute(text(statement))
