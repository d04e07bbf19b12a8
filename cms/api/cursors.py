"""Keyset pagination for article lists: ``after=<cursor>`` continues right after a page's last article.

An offset makes the database walk past every skipped row; a cursor says where the next page starts, so
page 5,000 costs what page 1 costs. The cursor is opaque to clients: base64url of the order it belongs
to, the last article's sort value and its public id (the integer key never leaves the database; the
tie-breaking id is looked up from the uuid by its unique index).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, and_, or_, select

from cms.content.models import Article
from cms.errors import ValidationError

#: Each list order, as (sort column, descending); the article id breaks ties in the same direction.
KEYSET_ORDERS: dict[str, tuple[Any, bool]] = {
    "published_at desc": (Article.published_at, True),
    "published_at asc": (Article.published_at, False),
    "title asc": (Article.title, False),
    "title desc": (Article.title, True),
}


@dataclass(frozen=True)
class Cursor:
    order: str
    value: datetime | str
    article: uuid.UUID


def encode_cursor(order: str, article: Article) -> str:
    column, _ = KEYSET_ORDERS[order]
    value = getattr(article, column.key)
    text = value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value
    # A row of the read model carries its id as text, an ``Article`` as a UUID: the same hex either way.
    raw = orjson.dumps([order, text, str(article.uuid).replace("-", "")])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _refuse(message: str) -> ValidationError:
    return ValidationError.field("after", message)


def decode_cursor(raw: str, order: str) -> Cursor:
    """The cursor from ``after=``; anything not made by ``encode_cursor`` for this order is a 400."""
    try:
        data = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        cursor_order, text, public_id = data
        article = uuid.UUID(hex=public_id)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise _refuse("not a cursor from meta.pagination.next_cursor") from None
    if cursor_order not in KEYSET_ORDERS or not isinstance(text, str):
        raise _refuse("not a cursor from meta.pagination.next_cursor")
    if cursor_order != order:
        raise _refuse(f"this cursor continues order={cursor_order}; ask with that order")
    value: datetime | str = text
    if KEYSET_ORDERS[order][0] is Article.published_at:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise _refuse("not a cursor from meta.pagination.next_cursor") from None
        if value.tzinfo is None:
            raise _refuse("not a cursor from meta.pagination.next_cursor")
    return Cursor(order, value, article)


def after(cursor: Cursor) -> ColumnElement[bool]:
    """Rows strictly after the cursor in its order (``after_position`` with the cursor's values)."""
    return after_position(cursor.order, cursor.value, cursor.article)


def after_position(order: str, value: Any, article: Any) -> ColumnElement[bool]:
    """Rows strictly after the article ``article`` (a uuid) whose sort value is ``value``, in ``order``;
    either may be a bound parameter, for a statement built once.

    Written as a range on the sort column plus a tie-break, so the database walks the listing index
    from the cursor's position: ``col <= v AND (col < v OR id < id_of_last)`` (mirrored for ascending).
    If the last article has gone since, the tie-break finds no id and only articles with other sort
    values follow, which is all a page boundary needs.
    """
    column, descending = KEYSET_ORDERS[order]
    last_id = select(Article.id).where(Article.uuid == article).scalar_subquery()
    if descending:
        return and_(column <= value, or_(column < value, Article.id < last_id))
    return and_(column >= value, or_(column > value, Article.id > last_id))
