"""The hottest public reads, run on the DB-API cursor beneath the read connection.

A Core statement run through ``Connection.execute`` pays for SQLAlchemy's execution machinery on every
run: a cache lookup for its compiled form, an execution context, parameters processed through that
context, and a result object with its own row metadata. For the few statements behind every uncached
list and detail (cms/api/article_reads.py) that cost as much CPU as the driver and the database
together. A ``DriverQuery`` compiles its statement once per dialect, with SQLAlchemy, into the driver's
own SQL, and remembers what each bound parameter and each result column needs done (the types'
``bind_processor`` and ``result_processor``: SQLite keeps datetimes as text and booleans as integers).
A run is then one ``cursor.execute`` and ``fetchall``, with the values converted as SQLAlchemy would.

What a request brings goes in as a ``bindparam`` without a value, given to ``all``; a list of ids
takes one per id. A value built into the statement (``column == value``, a LIMIT, an OFFSET) is a
constant, written into the SQL, so the builders cache one statement per shape.
The engine's ``before_cursor_execute`` listeners are still told of each statement (without an
execution context), so query counters and logging see these reads as they see any other.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import BindParameter, Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import visitors
from sqlalchemy.sql.selectable import SelectBase

from cms.content import read_connection


def _constants_inlined(statement: SelectBase) -> Any:
    """``statement`` with the values it holds itself (a substring's length, a facet's name) written
    into its text: only what the caller gives is sent as a parameter, and the database plans with
    the rest in view."""

    def inline(element: Any, **kw: Any) -> Any:
        if isinstance(element, BindParameter) and not element.required:
            return element.render_literal_execute()
        return None

    return visitors.replacement_traverse(cast(Any, statement), {}, inline)


class _Compiled:
    """A statement as one dialect's driver takes it."""

    def __init__(self, statement: SelectBase, dialect: Dialect) -> None:
        compiled = _constants_inlined(statement).compile(dialect=dialect)
        required = {name for name, bind in compiled.binds.items() if bind.required}
        if any(compiled.binds[name].expanding for name in required):
            raise ValueError("a DriverQuery takes no list parameters: one bound parameter per value")
        # Rendered once: what SQLAlchemy writes into the text at each run (literal_execute, such as the
        # public statuses), with the values of the statement's own constants.
        state = compiled.construct_expanded_state(dict.fromkeys(required))
        self.sql = state.statement
        self.positional = bool(compiled.positional)
        names = state.positiontup if self.positional else list(state.parameters)
        # Only the expanded parameters' processors are in ``state``; the others come from their types.
        processors = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        } | state.processors
        #: Per parameter in order: its name, whether the caller gives it, and then its processor (or
        #: None), else the statement's own constant, already processed.
        self.binds: list[tuple[str, bool, Any]] = []
        for name in names or ():
            process = processors.get(name)
            if name in required:
                self.binds.append((name, True, process))
            else:
                value = state.parameters[name]
                self.binds.append((name, False, value if process is None else process(value)))
        columns = list(statement.selected_columns)
        self.results = [
            (index, processor)
            for index, column in enumerate(columns)
            if (processor := column.type.dialect_impl(dialect).result_processor(dialect, None)) is not None
        ]
        self.row: Any = namedtuple("Row", [column.key for column in columns], rename=True)  # type: ignore[misc]

    def parameters(self, params: Mapping[str, Any]) -> Any:
        values = [
            (params[name] if use is None else use(params[name])) if given else use
            for name, given, use in self.binds
        ]
        if self.positional:
            return tuple(values)
        return {name: value for (name, _, _), value in zip(self.binds, values, strict=True)}

    def rows(self, fetched: list[Any]) -> list[Any]:
        make = self.row._make
        if not self.results:
            return [make(row) for row in fetched]
        out = []
        for row in fetched:
            values = list(row)
            for index, process in self.results:
                values[index] = process(values[index])
            out.append(make(values))
        return out


class DriverQuery:
    """A Core SELECT, compiled once per dialect, run on the request's read connection."""

    def __init__(self, statement: SelectBase) -> None:
        self.statement = statement
        #: By database and driver: each driver has its own parameter style.
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, dialect.driver)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self.statement, dialect)
        return compiled

    def all(self, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every row, as named tuples (on a fresh connection if the old one was cut off)."""
        return read_connection.retrying(lambda connection: self._run(connection, params or {}))

    def first(self, params: Mapping[str, Any] | None = None) -> Any:
        rows = self.all(params)
        return rows[0] if rows else None

    def _run(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        dialect = connection.dialect
        compiled = self._for(dialect)
        parameters = compiled.parameters(params)
        dbapi_connection: Any = connection.connection.dbapi_connection
        cursor = dbapi_connection.cursor()
        try:
            connection.dispatch.before_cursor_execute(
                connection, cursor, compiled.sql, parameters, None, False
            )
            cursor.execute(compiled.sql, parameters)
            fetched = cursor.fetchall()
        except dialect.loaded_dbapi.Error as error:
            disconnected = dialect.is_disconnect(error, dbapi_connection, cursor)
            raise DBAPIError.instance(
                compiled.sql,
                parameters,
                error,
                dialect.loaded_dbapi.Error,
                connection_invalidated=disconnected,
                dialect=dialect,
            ) from error
        finally:
            cursor.close()
        return compiled.rows(fetched)
