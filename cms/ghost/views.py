"""The Ghost Content API routes: browse and read for posts, pages, authors and tags; settings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Response, request
from sqlalchemy import Select, select
from sqlalchemy.orm import lazyload
from werkzeug.exceptions import HTTPException

from cms.api.caching import json_response
from cms.api.pagination import Page, paginate
from cms.api.response_cache import public_response
from cms.content import queries
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Tag
from cms.errors import AppError, ValidationError
from cms.extensions import db
from cms.ghost import ghost, params
from cms.ghost.errors import GhostError, handle_app_error, handle_http_exception
from cms.ghost.filters import AUTHOR_FIELDS, POST_FIELDS, TAG_FIELDS
from cms.ghost.keys import find_content_key
from cms.ghost.representations import FORMATS, author_json, narrowed, post_json, settings_json, tag_json

#: The API version whose shapes we answer with.
CONTENT_VERSION = "v6.0"

POST_ORDER = {
    "published_at": Article.published_at,
    "updated_at": Article.updated_at,
    "created_at": Article.created_at,
    "title": Article.title,
    "slug": Article.slug,
    "featured": Article.featured,
}
AUTHOR_ORDER = {"name": Author.name, "slug": Author.slug}
TAG_ORDER = {"name": Tag.name, "slug": Tag.slug}

ghost.register_error_handler(AppError, handle_app_error)
ghost.register_error_handler(HTTPException, handle_http_exception)


@ghost.url_value_preprocessor
def _drop_path_version(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values:
        values.pop("api_version", None)


@ghost.before_request
def _require_content_key() -> None:
    if request.method == "OPTIONS":
        return
    keys = request.args.getlist("key")
    if not keys:
        raise GhostError(
            "Authorization failed",
            status=403,
            context="Unable to determine the authenticated member or integration. "
            "Check the supplied Content API Key.",
        )
    if len(keys) > 1:
        raise GhostError("Invalid Request", status=400)
    if find_content_key(keys[0]) is None:
        raise GhostError("Unknown Content API Key", status=401)


@ghost.after_request
def _ghost_headers(response: Response) -> Response:
    """Content is public, so any origin may read it; clients send Accept-Version, hence the preflight."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept-Version, Content-Type, Authorization"
        response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Content-Version"] = CONTENT_VERSION
    response.vary.add("Accept-Version")
    return response


def _envelope(resource: str, items: list[dict[str, Any]], page: Page | None = None) -> Response:
    payload: dict[str, Any] = {resource: items}
    if page is not None:
        payload["meta"] = page.meta()
    return json_response(payload)


def _one(item: Any, message: str) -> Any:
    if item is None:
        raise GhostError(message, status=404)
    return item


def _public_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationError("Validation (matches) failed for id") from None


# Posts and pages ---------------------------------------------------------------------------------


def _posts_query(include: set[str]) -> Select[Article]:
    statement = queries.visible_articles()
    # Load only the relations asked for: each costs one query for the whole page.
    if "authors" not in include:
        statement = statement.options(lazyload(Article.author_links))
    if "tags" not in include:
        statement = statement.options(lazyload(Article.tag_links))
    return statement


def _posts_response(resource: str, articles: list[Article], page: Page | None, include: set[str]) -> Response:
    fields = params.comma_list("fields")
    formats = params.formats(FORMATS)
    items = [post_json(a, include=include, fields=fields, formats=formats) for a in articles]
    return _envelope(resource, items, page)


@ghost.get("/posts/")
@public_response()
def browse_posts() -> Response:
    include = params.includes({"authors", "tags"})
    browse = params.browse(POST_FIELDS, POST_ORDER, (Article.published_at.desc(), Article.id.desc()))
    statement = _posts_query(include)
    if browse.condition is not None:
        statement = statement.where(browse.condition)
    page = paginate(statement.order_by(*browse.order), browse.page, browse.limit, key=Article.id)
    return _posts_response("posts", page.items, page, include)


@ghost.get("/posts/<id>/")
@public_response()
def read_post(id: str) -> Response:
    include = params.includes({"authors", "tags"})
    statement = _posts_query(include).where(Article.uuid == _public_id(id))
    return _posts_response("posts", [_one(db.session.scalar(statement), "Post not found.")], None, include)


@ghost.get("/posts/slug/<slug>/")
@public_response()
def read_post_by_slug(slug: str) -> Response:
    include = params.includes({"authors", "tags"})
    statement = _posts_query(include).where(Article.slug == slug)
    return _posts_response("posts", [_one(db.session.scalar(statement), "Post not found.")], None, include)


@ghost.get("/pages/")
def browse_pages() -> Response:
    """The CMS has no standalone pages (yet); Ghost frontends still ask, so the answer is an empty list.
    The parameters are checked as for posts, so a mistake in them shows here too."""
    params.includes({"authors", "tags"})
    params.formats(FORMATS)
    browse = params.browse(POST_FIELDS, POST_ORDER, (Article.id.desc(),))
    return _envelope("pages", [], Page(items=[], page=browse.page, limit=browse.limit, total=0))


@ghost.get("/pages/<id>/")
@ghost.get("/pages/slug/<id>/")
def read_page(id: str) -> Response:
    raise GhostError("Page not found.", status=404)


# Authors and tags ---------------------------------------------------------------------------------


def _add_collection(
    resource: str,
    model: type[Author] | type[Tag],
    link_column: Any,
    link: type[ArticleAuthor] | type[ArticleTag],
    to_json: Callable[[Any, int | None], dict[str, Any]],
    fields: Any,
    columns: dict[str, Any],
    not_found: str,
) -> None:
    def counts(ids: list[int]) -> dict[int, int]:
        if not ids:
            return {}
        statement = queries.public_article_counts(link_column, link).where(link_column.in_(ids))
        return {owner: count for owner, count in db.session.execute(statement)}  # noqa: C416

    def respond(items: list[Any], page: Page | None) -> Response:
        with_counts = "count.posts" in params.includes({"count.posts"})
        post_counts = counts([item.id for item in items]) if with_counts else {}
        wanted = params.comma_list("fields")
        data = [
            narrowed(to_json(item, post_counts.get(item.id, 0) if with_counts else None), wanted)
            for item in items
        ]
        return _envelope(resource, data, page)

    def browse_items() -> Response:
        browse = params.browse(fields, columns, (model.name.asc(), model.id.asc()))
        statement = select(model)
        if browse.condition is not None:
            statement = statement.where(browse.condition)
        page = paginate(statement.order_by(*browse.order), browse.page, browse.limit)
        return respond(page.items, page)

    def read_item(id: str) -> Response:
        item = db.session.scalar(select(model).where(model.uuid == _public_id(id)))
        return respond([_one(item, not_found)], None)

    def read_item_by_slug(slug: str) -> Response:
        return respond([_one(db.session.scalar(select(model).where(model.slug == slug)), not_found)], None)

    cached = public_response()
    ghost.add_url_rule(f"/{resource}/", f"browse_{resource}", cached(browse_items))
    ghost.add_url_rule(f"/{resource}/<id>/", f"read_{resource}", cached(read_item))
    ghost.add_url_rule(f"/{resource}/slug/<slug>/", f"read_{resource}_by_slug", cached(read_item_by_slug))


_add_collection(
    "authors", Author, ArticleAuthor.author_id, ArticleAuthor, author_json, AUTHOR_FIELDS, AUTHOR_ORDER,
    "Author not found.",
)  # fmt: skip
_add_collection("tags", Tag, ArticleTag.tag_id, ArticleTag, tag_json, TAG_FIELDS, TAG_ORDER, "Tag not found.")


@ghost.get("/settings/")
def browse_settings() -> Response:
    return json_response({"settings": settings_json(), "meta": {}})


@ghost.get("/", defaults={"rest": ""})
@ghost.get("/<path:rest>")
def unknown(rest: str) -> Response:
    """Any other path under the API gets Ghost's 404, not the site's HTML error page."""
    raise GhostError("Resource not found", status=404)
