"""Authors and tags answer the same three reads; this builds them for either."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Response, current_app
from sqlalchemy import select

from cms.api import api
from cms.api.access import require_content_key
from cms.api.caching import json_response
from cms.api.pagination import paginate
from cms.api.params import PageQuery
from cms.api.response_cache import public_response
from cms.api.routing import endpoint
from cms.content import queries
from cms.content.models import ArticleAuthor, ArticleTag, Author, Tag
from cms.errors import NotFound
from cms.extensions import db


def add_collection_routes(
    *,
    plural: str,
    model: type[Author] | type[Tag],
    link: type[ArticleAuthor] | type[ArticleTag],
    to_json: Callable[[Any, int | None], dict[str, Any]],
) -> None:
    singular = plural.rstrip("s")
    link_column: Any = link.author_id if link is ArticleAuthor else link.tag_id

    def counts(ids: list[int]) -> dict[int, int]:
        if not ids:
            return {}
        statement = queries.public_article_counts(link_column, link).where(link_column.in_(ids))
        return {owner: count for owner, count in db.session.execute(statement)}  # noqa: C416

    def one(item: Any) -> Response:
        if item is None:
            raise NotFound(f"No {singular} has this id or slug.")
        return json_response({"data": to_json(item, counts([item.id]).get(item.id, 0))})

    @endpoint(
        api,
        f"/{plural}",
        summary=f"List {plural}",
        tag="Content",
        query=PageQuery,
        responses={200: f"A page of {plural}, each with article_count", 400: "A parameter is invalid"},
        name=f"list_{plural}",
        cache=public_response(guard=require_content_key),
    )
    def browse(query: PageQuery) -> Response:
        require_content_key()
        page = paginate(select(model).order_by(model.name, model.id), query.page, query.limit)
        article_counts = counts([item.id for item in page.items])
        response = json_response(
            {
                "data": [to_json(item, article_counts.get(item.id, 0)) for item in page.items],
                "meta": page.meta(),
            }
        )
        link_header = page.link_header(current_app.config["PUBLIC_URL"])
        if link_header:
            response.headers["Link"] = link_header
        return response

    @endpoint(
        api,
        f"/{plural}/<id>",
        summary=f"Read a {singular} by id",
        tag="Content",
        responses={200: f"The {singular}", 404: f"No {singular} has this id"},
        name=f"read_{singular}",
        cache=public_response(guard=require_content_key),
    )
    def read(id: str) -> Response:
        require_content_key()
        try:
            public_id = uuid.UUID(id)
        except ValueError:
            raise NotFound(f"No {singular} has this id or slug.") from None
        return one(db.session.scalar(select(model).where(model.uuid == public_id)))

    @endpoint(
        api,
        f"/{plural}/slug/<slug>",
        summary=f"Read a {singular} by slug",
        tag="Content",
        responses={200: f"The {singular}", 404: f"No {singular} has this slug"},
        name=f"read_{singular}_by_slug",
        cache=public_response(guard=require_content_key),
    )
    def read_by_slug(slug: str) -> Response:
        require_content_key()
        return one(db.session.scalar(select(model).where(model.slug == slug)))
