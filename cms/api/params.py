"""Reusable pieces of request models: comma lists, booleans, pagination."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


T = TypeVar("T")

#: ``include=authors,tags`` -> ``["authors", "tags"]``.
CommaList = Annotated[list[T], BeforeValidator(_split_commas)]


class QueryModel(BaseModel):
    """Query parameters: unknown ones are ignored (frontends add cache-busters), known ones are strict."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class PageQuery(QueryModel):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    limit: int = Field(15, ge=1, le=100, description="Items per page, 1 to 100.")


class BodyModel(BaseModel):
    """JSON bodies: unknown fields are refused, types are not coerced (a number is not a string)."""

    model_config = ConfigDict(extra="forbid", strict=True)
