"""NQL trees compiled to SQLAlchemy conditions, over the content queries every list already uses.

Each resource names the fields it can be filtered on; a field compiles one ``Condition`` to SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any as AnyType

from sqlalchemy import ColumnElement, and_, false, not_, or_, true

from cms.content import queries
from cms.content.models import Article, Author, Tag
from cms.ghost.nql import All, Any, Condition, FilterSyntaxError, Node, Value, parse

FieldCompiler = Callable[[Condition], ColumnElement[bool]]


def _text(condition: Condition, value: Value) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FilterSyntaxError(f"{condition.field} takes text, not {value!r}")
    return str(value)


def _equality_only(condition: Condition) -> None:
    if condition.operator not in ("=", "in"):
        raise FilterSyntaxError(f"{condition.field} cannot be compared with {condition.operator}")


def _each(condition: Condition, one: Callable[[str], ColumnElement[bool]]) -> ColumnElement[bool]:
    """``field:x`` and ``field:[x,y]`` as one condition per value, any of which may hold."""
    _equality_only(condition)
    matches = [one(_text(condition, value)) for value in condition.values]
    return matches[0] if len(matches) == 1 else or_(*matches)


def _public_id(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _by_id(column: AnyType) -> FieldCompiler:
    def compile_id(condition: Condition) -> ColumnElement[bool]:
        def one(text: str) -> ColumnElement[bool]:
            public_id = _public_id(text)
            return false() if public_id is None else column == public_id

        return _each(condition, one)

    return compile_id


def _by_column(column: AnyType) -> FieldCompiler:
    return lambda condition: _each(condition, lambda text: column == text)


def _featured(condition: Condition) -> ColumnElement[bool]:
    _equality_only(condition)
    wanted = set()
    for value in condition.values:
        if not isinstance(value, bool):
            raise FilterSyntaxError(f"featured is true or false, not {value!r}")
        wanted.add(value)
    return true() if len(wanted) == 2 else Article.featured.is_(wanted.pop())


def _visibility(condition: Condition) -> ColumnElement[bool]:
    """Everything the Content API shows is public: there are no member-only articles."""
    _equality_only(condition)
    return true() if "public" in condition.values else false()


def _datetime(value: Value) -> datetime:
    if not isinstance(value, str):
        raise FilterSyntaxError(f"{value!r} is not a date; write it like '2024-05-01 12:00:00'")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FilterSyntaxError(f"{value!r} is not a date; write it like '2024-05-01 12:00:00'") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _published_at(condition: Condition) -> ColumnElement[bool]:
    column = Article.published_at
    if condition.operator == "in":
        return column.in_([_datetime(v) for v in condition.values])
    moment = _datetime(condition.values[0])
    comparisons = {
        "=": column == moment,
        ">": column > moment,
        ">=": column >= moment,
        "<": column < moment,
        "<=": column <= moment,
    }
    return comparisons[condition.operator]


POST_FIELDS: Mapping[str, FieldCompiler] = {
    "tag": lambda c: _each(c, queries.with_tag),
    "tags": lambda c: _each(c, queries.with_tag),
    "tags.slug": lambda c: _each(c, queries.with_tag),
    "author": lambda c: _each(c, queries.with_author),
    "authors": lambda c: _each(c, queries.with_author),
    "authors.slug": lambda c: _each(c, queries.with_author),
    "slug": _by_column(Article.slug),
    "id": _by_id(Article.uuid),
    "uuid": _by_id(Article.uuid),
    "featured": _featured,
    "published_at": _published_at,
    "visibility": _visibility,
}

AUTHOR_FIELDS: Mapping[str, FieldCompiler] = {
    "slug": _by_column(Author.slug),
    "id": _by_id(Author.uuid),
    "name": _by_column(Author.name),
    "visibility": _visibility,
}

TAG_FIELDS: Mapping[str, FieldCompiler] = {
    "slug": _by_column(Tag.slug),
    "id": _by_id(Tag.uuid),
    "name": _by_column(Tag.name),
    "visibility": _visibility,
}


def compile_node(node: Node, fields: Mapping[str, FieldCompiler]) -> ColumnElement[bool]:
    if isinstance(node, All):
        return and_(*(compile_node(part, fields) for part in node.parts))
    if isinstance(node, Any):
        return or_(*(compile_node(part, fields) for part in node.parts))
    compiler = fields.get(node.field)
    if compiler is None:
        raise FilterSyntaxError(f"cannot filter on {node.field!r}; use one of {', '.join(sorted(fields))}")
    condition = compiler(node)
    return not_(condition) if node.negated else condition


def compile_filter(source: str, fields: Mapping[str, FieldCompiler]) -> ColumnElement[bool]:
    """Parse and compile ``source``; raises ``FilterSyntaxError`` for anything we cannot run."""
    return compile_node(parse(source), fields)
