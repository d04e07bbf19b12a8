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


def paginate(query: Select[Any], page: int, limit: int) -> Page:
    """Run ``query`` for one page; the total comes from a count over the same filters."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(db.session.scalars(query.limit(limit).offset((page - 1) * limit)))
    return Page(items=items, page=page, limit=limit, total=total)
