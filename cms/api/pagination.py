"""Offset pagination with the meta block and ``Link`` header every list answers with."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import request
from sqlalchemy import Select, func, select

from cms.extensions import db


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    limit: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.limit))

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def prev(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    def meta(self) -> dict[str, Any]:
        return {
            "pagination": {
                "page": self.page,
                "limit": self.limit,
                "pages": self.pages,
                "total": self.total,
                "next": self.next,
                "prev": self.prev,
            }
        }

    def link_header(self, base_url: str) -> str | None:
        links = []
        for rel, number in (("next", self.next), ("prev", self.prev)):
            if number is not None:
                args = request.args.to_dict()
                args["page"] = str(number)
                links.append(f'<{base_url}{request.path}?{urlencode(args)}>; rel="{rel}"')
        return ", ".join(links) or None


def keyset_meta(limit: int, total: int) -> dict[str, Any]:
    """The meta block of a page asked for with a cursor: it has no number, so no next or prev either
    (``next_cursor`` leads on)."""
    pages = max(1, math.ceil(total / limit))
    pagination = {"page": None, "limit": limit, "pages": pages, "total": total, "next": None, "prev": None}
    return {"pagination": pagination}


def cursor_link(base_url: str, cursor: str | None) -> str | None:
    """The ``Link: rel="next"`` of a cursor page: the same query, continued after ``cursor``."""
    if cursor is None:
        return None
    args = {name: value for name, value in request.args.items() if name != "page"}
    args["after"] = cursor
    return f'<{base_url}{request.path}?{urlencode(args)}>; rel="next"'


def counting(query: Select[Any], key: Any = None) -> Select[Any]:
    """A statement counting the rows ``query`` finds; with ``key`` only that column is selected, so
    the database can count from an index without reading the rows."""
    counted = query.with_only_columns(key) if key is not None else query
    return select(func.count()).select_from(counted.order_by(None).subquery())


def count_rows(query: Select[Any], key: Any = None) -> int:
    """The number of rows ``query`` finds (see ``counting``), in the session's transaction."""
    return db.session.scalar(counting(query, key)) or 0


def load_rows(query: Select[Any], key: Any = None) -> list[Any]:
    """Run ``query`` (ordered, limited); with ``key`` as a deferred join: the page's keys come from an
    index-only scan, and only those rows are then read. At a deep offset the database steps over index
    entries instead of whole rows, and a filtered page sorts keys instead of full rows."""
    if key is None:
        return list(db.session.scalars(query))
    keys = query.with_only_columns(key).subquery()
    return list(db.session.scalars(query.limit(None).offset(None).join(keys, key == keys.c[key.key])))


def paginate(query: Select[Any], page: int, limit: int, *, key: Any = None) -> Page:
    """Run ``query`` for one page; the total comes from a count over the same filters."""
    total = count_rows(query, key)
    items = load_rows(query.limit(limit).offset((page - 1) * limit), key)
    return Page(items=items, page=page, limit=limit, total=total)
