"""Content API: published articles, listed, filtered and read by id or slug."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from flask import Response, current_app
from pydantic import Field
from sqlalchemy import Select
from sqlalchemy.orm import lazyload

from cms.api import api
from cms.api.access import require_content_key
from cms.api.caching import json_response
from cms.api.pagination import paginate
from cms.api.params import CommaList, PageQuery, QueryModel
from cms.api.representations import ARTICLE_FIELDS, article_json
from cms.api.routing import endpoint
from cms.api.staff_reads import StatusFilter, articles_with_status, previewed_article
from cms.content import queries
from cms.content.models import Article
from cms.errors import NotFound
from cms.extensions import db

Include = Literal["authors", "tags"]
ArticleField = Literal[ARTICLE_FIELDS]  # type: ignore[valid-type]
Order = Literal["published_at desc", "published_at asc", "title asc", "title desc"]

_ORDERS: dict[str, tuple[Any, ...]] = {
    "published_at desc": (Article.published_at.desc(), Article.id.desc()),
    "published_at asc": (Article.published_at.asc(), Article.id.asc()),
    "title asc": (Article.title.asc(), Article.id.asc()),
    "title desc": (Article.title.desc(), Article.id.desc()),
}


class ArticleListQuery(PageQuery):
    tag: str | None = Field(None, max_length=191, description="Only articles with this tag slug.")
    author: str | None = Field(None, max_length=191, description="Only articles by this author slug.")
    language: str | None = Field(None, max_length=35, description="Only articles in this language (BCP 47).")
    featured: bool | None = Field(None, description="Only featured (true) or only other (false) articles.")
    q: str | None = Field(
        None, min_length=1, max_length=200, description="Words to find in title, excerpt or body."
    )
    order: Order = Field("published_at desc", description="Sort order.")
    include: CommaList[Include] = Field([], description="Relations to embed: authors, tags.")
    fields: CommaList[ArticleField] = Field([], description="Only these top-level fields.")
    # Staff editing: drafts for holders of a content:read key (cms/api/staff_reads.py).
    status: StatusFilter | None = Field(None, description="With a content:read key: draft, scheduled, all.")


class ArticleReadQuery(QueryModel):
    include: CommaList[Include] = Field(["authors", "tags"], description="Relations to embed: authors, tags.")
    fields: CommaList[ArticleField] = Field([], description="Only these top-level fields.")
    # Staff editing: a preview token opens one draft without a key (cms/api/staff_reads.py).
    preview: str | None = Field(None, max_length=500, description="A preview token for this draft.")


def with_relations(query: Select[Article], include: Sequence[str]) -> Select[Article]:
    """Load only the relations asked for; each one costs one query for the whole page."""
    if "authors" not in include:
        query = query.options(lazyload(Article.author_links))
    if "tags" not in include:
        query = query.options(lazyload(Article.tag_links))
    return query


@endpoint(
    api,
    "/articles",
    summary="List published articles",
    tag="Content",
    query=ArticleListQuery,
    responses={200: "A page of articles", 400: "A parameter is invalid", 401: "A content key is required"},
)
def list_articles(query: ArticleListQuery) -> Response:
    if query.status:
        statement = articles_with_status(query.status)
    else:
        require_content_key()
        statement = queries.visible_articles()
    if query.tag:
        statement = statement.where(queries.with_tag(query.tag))
    if query.author:
        statement = statement.where(queries.with_author(query.author))
    if query.language:
        statement = statement.where(Article.language == query.language)
    if query.featured is not None:
        statement = statement.where(Article.featured.is_(query.featured))
    if query.q:
        statement = statement.where(queries.matching(query.q))
    statement = with_relations(statement.order_by(*_ORDERS[query.order]), query.include)
    page = paginate(statement, query.page, query.limit)
    response = json_response(
        {
            "data": [article_json(a, include=query.include, fields=query.fields) for a in page.items],
            "meta": page.meta(),
        },
        public=query.status is None,
    )
    link = page.link_header(current_app.config["PUBLIC_URL"])
    if link:
        response.headers["Link"] = link
    return response


def _read(article: Article | None, query: ArticleReadQuery) -> Response:
    if article is None:
        raise NotFound("No published article has this id or slug.")
    return json_response(
        {"data": article_json(article, include=query.include, fields=query.fields, with_html=True)}
    )


@endpoint(
    api,
    "/articles/<id>",
    summary="Read a published article by id",
    tag="Content",
    query=ArticleReadQuery,
    responses={200: "The article", 404: "No published article has this id"},
)
def read_article(id: str, query: ArticleReadQuery) -> Response:
    if query.preview is not None:
        previewed = previewed_article(id, query.preview)
        if previewed is None:
            raise NotFound("No published article has this id or slug.")
        data = article_json(previewed, include=query.include, fields=query.fields, with_html=True)
        return json_response({"data": data}, public=False)
    require_content_key()
    try:
        public_id = uuid.UUID(id)
    except ValueError:
        raise NotFound("No published article has this id or slug.") from None
    statement = with_relations(queries.visible_articles().where(Article.uuid == public_id), query.include)
    return _read(db.session.scalar(statement), query)


@endpoint(
    api,
    "/articles/slug/<slug>",
    summary="Read a published article by slug",
    tag="Content",
    query=ArticleReadQuery,
    responses={200: "The article", 404: "No published article has this slug"},
)
def read_article_by_slug(slug: str, query: ArticleReadQuery) -> Response:
    require_content_key()
    statement = with_relations(queries.visible_articles().where(Article.slug == slug), query.include)
    return _read(db.session.scalar(statement), query)
