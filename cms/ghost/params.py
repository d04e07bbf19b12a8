"""Ghost's query parameters, read the way Ghost reads them.

Comma lists for ``include``, ``fields`` and ``formats``; ``limit`` from 1 to 100, where ``all`` and
anything larger mean 100 (Ghost 6 stopped serving unbounded pages); ``order`` as ``field dir, ...``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import ColumnElement

from cms.errors import ValidationError
from cms.ghost.errors import GhostError
from cms.ghost.filters import FieldCompiler, compile_filter
from cms.ghost.nql import FilterSyntaxError

DEFAULT_LIMIT = 15
MAX_LIMIT = 100
_ORDER_PART = re.compile(r"\s*([a-z_]+)(?:\s+(asc|desc))?\s*\Z", re.IGNORECASE)


def _invalid(check: str, name: str) -> ValidationError:
    return ValidationError(f"Validation ({check}) failed for {name}")


def comma_list(name: str) -> list[str]:
    return [part.strip() for part in request.args.get(name, "").split(",") if part.strip()]


def includes(allowed: Collection[str]) -> set[str]:
    wanted = set(comma_list("include"))
    if wanted - set(allowed):
        raise _invalid("isIn", "include")
    return wanted


def formats(allowed: Collection[str]) -> list[str]:
    wanted = comma_list("formats") or ["html"]
    if set(wanted) - set(allowed):
        raise _invalid("isIn", "formats")
    return wanted


def limit() -> int:
    raw = request.args.get("limit", "").strip()
    if not raw:
        return DEFAULT_LIMIT
    if raw == "all":
        return MAX_LIMIT
    if not raw.isdigit() or int(raw) < 1:
        raise _invalid("matches", "limit")
    return min(int(raw), MAX_LIMIT)


def page() -> int:
    raw = request.args.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise _invalid("isNumeric", "page")
    return int(raw)


def order(columns: Mapping[str, Any], default: tuple[Any, ...]) -> tuple[Any, ...]:
    raw = request.args.get("order", "").strip()
    if not raw:
        return default
    clauses = []
    for part in raw.split(","):
        match = _ORDER_PART.match(part)
        column = columns.get(match.group(1).lower()) if match else None
        if match is None or column is None:
            raise GhostError(
                "Invalid order", status=400, context=f"order by one of: {', '.join(sorted(columns))}"
            )
        clauses.append(column.desc() if (match.group(2) or "asc").lower() == "desc" else column.asc())
    # The default's last clause is the unique tie-breaker that keeps pages stable.
    return (*clauses, *default[-1:])


def filter_condition(fields: Mapping[str, FieldCompiler]) -> ColumnElement[bool] | None:
    raw = request.args.get("filter", "").strip()
    if not raw:
        return None
    try:
        return compile_filter(raw, fields)
    except FilterSyntaxError as error:
        raise GhostError("Error parsing filter", status=400, context=str(error)) from None


@dataclass(frozen=True)
class Browse:
    page: int
    limit: int
    condition: ColumnElement[bool] | None
    order: tuple[Any, ...]


def browse(
    fields: Mapping[str, FieldCompiler], columns: Mapping[str, Any], default: tuple[Any, ...]
) -> Browse:
    return Browse(
        page=page(), limit=limit(), condition=filter_condition(fields), order=order(columns, default)
    )
