"""Content API: published articles, listed, filtered and read by id or slug."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from flask import Response, current_app
from pydantic import Field
from sqlalchemy import or_

from cms.api import api, article_reads, cursors
from cms.api.access import require_content_key
from cms.api.caching import json_response
from cms.api.pagination import Page, cursor_link, keyset_meta
from cms.api.params import CommaList, PageQuery, QueryModel
from cms.api.representations import ARTICLE_FIELDS, article_json
from cms.api.response_cache import public_response
from cms.api.routing import endpoint
from cms.api.staff_reads import StatusFilter, articles_with_status, previewed_article
from cms.content import counts, queries
from cms.content.models import Article
from cms.db import utcnow
from cms.errors import NotFound

Include = Literal["authors", "tags"]
ArticleField = Literal[ARTICLE_FIELDS]  # type: ignore[valid-type]
Order = Literal["published_at desc", "published_at asc", "title asc", "title desc"]


class ArticleListQuery(PageQuery):
    tag: str | None = Field(None, max_length=191, description="Only articles with this tag slug.")
    author: str | None = Field(None, max_length=191, description="Only articles by this author slug.")
    language: str | None = Field(None, max_length=35, description="Only articles in this language (BCP 47).")
    featured: bool | None = Field(None, description="Only featured (true) or only other (false) articles.")
    q: str | None = Field(
        None, min_length=1, max_length=200, description="Words to find in title, excerpt or body."
    )
    order: Order = Field("published_at desc", description="Sort order.")
    after: str | None = Field(
        None,
        min_length=1,
        max_length=500,
        description="Keyset pagination: the next_cursor of the previous page's meta.pagination. Returns "
        "the articles right after it (page= is ignored); as cheap for the 5,000th page as for the first.",
    )
    include: CommaList[Include] = Field([], description="Relations to embed: authors, tags.")
    fields: CommaList[ArticleField] = Field([], description="Only these top-level fields.")
    # Staff editing: drafts for holders of a content:read key (cms/api/staff_reads.py).
    status: StatusFilter | None = Field(None, description="With a content:read key: draft, scheduled, all.")


class ArticleReadQuery(QueryModel):
    include: CommaList[Include] = Field(["authors", "tags"], description="Relations to embed: authors, tags.")
    fields: CommaList[ArticleField] = Field([], description="Only these top-level fields.")
    # Staff editing: a preview token opens one draft without a key (cms/api/staff_reads.py).
    preview: str | None = Field(None, max_length=500, description="A preview token for this draft.")


@endpoint(
    api,
    "/articles",
    summary="List published articles",
    tag="Content",
    query=ArticleListQuery,
    responses={200: "A page of articles", 400: "A parameter is invalid", 401: "A content key is required"},
    cache=public_response(private_params=("status",), guard=require_content_key),
)
def list_articles(query: ArticleListQuery) -> Response:
    # Rows, not ORM objects (cms/api/article_reads.py). A list shows no body: the Markdown source and
    # (unless asked for) the HTML stay in the database. Each is some kilobytes per article, and SQLite
    # keeps them on overflow pages.
    wanted = article_reads.wanted_fields(query.fields, query.include, with_html=False)
    now = utcnow()
    if query.status:
        statement = articles_with_status(query.status)
    else:
        require_content_key()
        if not _filtered(query):
            return _public_page(query, wanted, now)
        statement = queries.visible_articles(now)
    if query.tag:
        statement = statement.where(queries.with_tag(query.tag))
    if query.author:
        statement = statement.where(queries.with_author(query.author))
    if query.language:
        statement = statement.where(Article.language == query.language)
    if query.featured is not None:
        statement = statement.where(Article.featured.is_(query.featured))
    unsearched = statement.whereclause
    branches = queries.matching_branches(query.q) if query.q else []
    if branches:
        statement = statement.where(or_(*branches))
    filters = statement.whereclause
    total = _public_total(query, now)
    if query.after is not None:
        if total is None:
            total = article_reads.count_rows(filters)
        cursor = cursors.decode_cursor(query.after, query.order)
        # The cursor's condition goes first: SQLite bounds its index range by the first upper bound
        # on published_at it meets, and this one (the cursor's) is the tight one.
        after = cursors.after(cursor)
        where = after if filters is None else after & filters
        rows = article_reads.load_page(where, wanted, query.order, query.limit + 1)
        items, more = rows[: query.limit], len(rows) > query.limit
        meta = keyset_meta(query.limit, total)
        link_base: str | None = None
    else:
        offset = (query.page - 1) * query.limit
        if branches:
            found, rows = article_reads.matches_page(
                unsearched, branches, wanted, query.order, query.limit, offset
            )
            total = total if found is None else found
        else:
            rows = _offset_page(query, wanted, filters, now, offset)
        if total is None:
            total = article_reads.count_rows(filters)
        page = Page(rows, query.page, query.limit, total)
        items, more, meta = page.items, page.next is not None, page.meta()
        link_base = page.link_header(current_app.config["PUBLIC_URL"])
    return _list_response(query, wanted, items, more, meta, link_base)


def _filtered(query: ArticleListQuery) -> bool:
    return bool(query.tag or query.author or query.language or query.q) or query.featured is not None


def _offset_page(
    query: ArticleListQuery, wanted: tuple[str, ...], filters: Any, now: datetime, offset: int
) -> list[Any]:
    """One page by ``page=``: for the public list of one tag or one author by date, a walk down the
    link index (``article_reads.linked_page``); otherwise the filtered, ordered list."""
    facet, slug = ("tag", query.tag) if query.tag else ("author", query.author)
    one_facet = bool(query.tag) != bool(query.author) and not (query.language or query.featured is not None)
    linked = article_reads.linked_page(facet, query.order, wanted) if one_facet and not query.status else None
    if linked is not None:
        params = {"slug": slug, "now": now, "limit": query.limit, "offset": offset}
        return list(article_reads.run(linked, params).all())
    return article_reads.load_page(filters, wanted, query.order, query.limit, offset)


def _public_total(query: ArticleListQuery, now: datetime) -> int | None:
    """The total from the counters the database keeps (cms/content/counts.py), or None where they
    cannot tell it: staff lists by status, searches, and more than one filter at once."""
    if query.status or query.q:
        return None
    facets = {
        "tag": query.tag,
        "author": query.author,
        "language": query.language,
        "featured": query.featured,
    }
    return counts.public_total(now, facets)


def _public_page(query: ArticleListQuery, wanted: tuple[str, ...], now: datetime) -> Response:
    """A page of the whole public list, the front page of every site, by ``page=`` or by cursor: its
    statement is built once (``article_reads.public_list``, ``public_after``) and its total is a
    counter, so only the page's rows are read."""
    if query.after is not None:
        cursor = cursors.decode_cursor(query.after, query.order)
        statement = article_reads.public_after(query.order, wanted, query.limit + 1)
        params = {"now": now, "after_value": cursor.value, "after_article": cursor.article}
        rows = statement.all(params)
        items, more = rows[: query.limit], len(rows) > query.limit
        return _list_response(query, wanted, items, more, keyset_meta(query.limit, _total(rows, now)), None)
    offset = (query.page - 1) * query.limit
    items = article_reads.public_list(query.order, wanted, query.limit, offset).all({"now": now})
    page = Page(items, query.page, query.limit, _total(items, now))
    link_base = page.link_header(current_app.config["PUBLIC_URL"])
    return _list_response(query, wanted, page.items, page.next is not None, page.meta(), link_base)


def _total(rows: list[Any], now: datetime) -> int:
    """The whole public list's total: the column of its page's rows, or (past the end) its counter."""
    return (rows[0].total if rows else counts.public_total(now, {})) or 0


def _list_response(
    query: ArticleListQuery,
    wanted: tuple[str, ...],
    items: list[Any],
    more: bool,
    meta: dict[str, Any],
    link_base: str | None,
) -> Response:
    next_cursor = cursors.encode_cursor(query.order, items[-1]) if more and items else None
    meta["pagination"]["next_cursor"] = next_cursor
    response = json_response(
        {"data": article_reads.articles_json(items, wanted), "meta": meta}, public=query.status is None
    )
    link = link_base if query.after is None else cursor_link(current_app.config["PUBLIC_URL"], next_cursor)
    if link:
        response.headers["Link"] = link
    return response


def _read(by: str, key: object, query: ArticleReadQuery) -> Response:
    """The public article whose ``by`` column is ``key``, from a row (cms/api/article_reads.py)."""
    wanted = article_reads.wanted_fields(query.fields, query.include, with_html=True)
    row = article_reads.public_article(by, wanted).first({"now": utcnow(), "key": key})
    if row is None:
        raise NotFound("No published article has this id or slug.")
    return json_response({"data": article_reads.articles_json([row], wanted)[0]})


@endpoint(
    api,
    "/articles/<id>",
    summary="Read a published article by id",
    tag="Content",
    query=ArticleReadQuery,
    responses={200: "The article", 404: "No published article has this id"},
    cache=public_response(private_params=("preview",), guard=require_content_key),
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
    return _read("uuid", public_id, query)


@endpoint(
    api,
    "/articles/slug/<slug>",
    summary="Read a published article by slug",
    tag="Content",
    query=ArticleReadQuery,
    responses={200: "The article", 404: "No published article has this slug"},
    cache=public_response(guard=require_content_key),
)
def read_article_by_slug(slug: str, query: ArticleReadQuery) -> Response:
    require_content_key()
    return _read("slug", slug, query)
