"""The write API for articles: create, change, publish, trash, revisions and preview links.

Every route authenticates with ``acting_user`` and leaves the rules to ``cms.content.editing``.
Versions travel as ETags (``"v<version>"``); ``If-Match`` with an older one gets 412.
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any, Literal

from flask import Response, request, url_for
from pydantic import AwareDatetime, Field
from sqlalchemy import select

from cms.api import api
from cms.api.caching import json_response
from cms.api.params import BodyModel
from cms.api.representations import article_json
from cms.api.routing import endpoint
from cms.api.security import acting_user
from cms.auth.models import User
from cms.auth.permissions import can
from cms.content import editing
from cms.content.models import Article, Status
from cms.content.previews import preview_link
from cms.content.revisions import revisions_of
from cms.db import rfc3339
from cms.errors import NotFound, PreconditionFailed, ValidationError
from cms.extensions import db

Text = Annotated[str, Field(max_length=100_000)]
Line = Annotated[str, Field(max_length=255)]
WriteStatus = Literal["draft", "published", "scheduled"]
Timestamp = Annotated[AwareDatetime, Field(strict=False)]


class FeatureImage(BodyModel):
    url: Annotated[str, Field(max_length=2000)]
    alt: Line | None = None
    caption: Text | None = None


class ArticlePatch(BodyModel):
    title: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    markdown: Annotated[str, Field(max_length=1_000_000)] | None = None
    excerpt: Text | None = None
    slug: Annotated[str, Field(min_length=1, max_length=180)] | None = None
    tags: list[Line] | None = None
    authors: list[Line] | None = None
    language: Annotated[str, Field(min_length=2, max_length=35)] | None = None
    feature_image: FeatureImage | None = None
    featured: bool | None = None
    meta_title: Annotated[str, Field(max_length=300)] | None = None
    meta_description: Annotated[str, Field(max_length=500)] | None = None
    comments_enabled: bool | None = None
    status: WriteStatus | None = None
    published_at: Timestamp | None = None


class ArticleCreate(ArticlePatch):
    title: Annotated[str, Field(min_length=1, max_length=255)]
    markdown: Annotated[str, Field(max_length=1_000_000)] = ""


def staff_article_json(article: Article) -> dict[str, Any]:
    """The public shape plus what only staff see: status, version, Markdown, trash state."""
    data = article_json(article, include=("authors", "tags"), with_html=True)
    data.update(
        status=article.status.value,
        version=article.version,
        markdown=article.markdown,
        comments_enabled=article.comments_enabled,
        created_at=rfc3339(article.created_at),
        deleted_at=rfc3339(article.deleted_at),
    )
    return data


def etag(article: Article) -> str:
    return f'"v{article.version}"'


def expected_version(header: str | None) -> int | None:
    """The version named by ``If-Match``; None when absent or ``*``. Anything else unreadable is stale."""
    if header is None or header.strip() == "*":
        return None
    match = re.fullmatch(r'\s*(?:W/)?"v(\d+)"\s*', header)
    return int(match.group(1)) if match else -1


#: Fields that may be left out of a PATCH but never set to null.
_NOT_NULL = (
    "title",
    "markdown",
    "slug",
    "tags",
    "authors",
    "language",
    "featured",
    "comments_enabled",
    "status",
)


def _changes(body: ArticlePatch) -> dict[str, Any]:
    given = body.model_dump(exclude_unset=True)
    for name in _NOT_NULL:
        if name in given and given[name] is None:
            raise ValidationError.field(name, "may be left out but not null")
    given.pop("status", None)
    given.pop("published_at", None)
    if "feature_image" in given:
        image = given.pop("feature_image") or {}
        given.update(
            feature_image_url=image.get("url"),
            feature_image_alt=image.get("alt"),
            feature_image_caption=image.get("caption"),
        )
    return given


def _staff_response(article: Article, status: int = 200) -> Response:
    response = json_response({"data": staff_article_json(article)}, status=status, public=False)
    response.headers["ETag"] = etag(article)
    response.headers["Cache-Control"] = "no-store"
    return response


def find_for_staff(id: str, user: User) -> Article:
    """The article with this public id, trashed ones included, if ``user`` may see it; else 404."""
    try:
        public_id = uuid.UUID(id)
    except ValueError:
        raise NotFound("No article has this id.") from None
    article = db.session.scalar(select(Article).where(Article.uuid == public_id))
    if article is None or not can(user, "view_article", article):
        raise NotFound("No article has this id.")
    return article


def _stale(error: editing.StaleVersion) -> PreconditionFailed:
    db.session.rollback()
    current = db.session.get(Article, error.article.id)
    assert current is not None
    return PreconditionFailed(
        error.detail, headers={"ETag": etag(current)}, extra={"current": staff_article_json(current)}
    )


_WRITE = {401: "No credentials", 403: "Not allowed for this user or key"}


@endpoint(
    api, "/articles", methods=("POST",), summary="Create an article", tag="Writing", body=ArticleCreate,
    auth=("bearer", "session"), name="create_article",
    responses={201: "Created; Location and ETag name it", 400: "Invalid input", **_WRITE},
)  # fmt: skip
def create_article(body: ArticleCreate) -> Response:
    user = acting_user("content:write")
    article = editing.create(
        user, _changes(body), status=Status(body.status or "draft"), published_at=body.published_at
    )
    db.session.commit()
    response = _staff_response(article, status=201)
    response.headers["Location"] = url_for("api.staff_read_article", id=str(article.uuid), _external=True)
    return response


@endpoint(
    api, "/articles/<id>/edit", summary="Read an article as staff (drafts included)", tag="Writing",
    auth=("bearer", "session"), name="staff_read_article",
    responses={200: "The article with its status and version", 404: "No article has this id", **_WRITE},
)  # fmt: skip
def staff_read_article(id: str) -> Response:
    user = acting_user("content:read")
    return _staff_response(find_for_staff(id, user))


@endpoint(
    api, "/articles/<id>", methods=("PATCH",), summary="Change an article", tag="Writing", body=ArticlePatch,
    auth=("bearer", "session"), name="update_article",
    responses={200: "Saved", 400: "Invalid input", 404: "No article has this id",
               412: "If-Match names an older version; the body holds the current one", **_WRITE},
)  # fmt: skip
def update_article(id: str, body: ArticlePatch) -> Response:
    user = acting_user("content:write")
    article = find_for_staff(id, user)
    status = Status(body.status) if body.status else None
    try:
        editing.save(
            article,
            user,
            _changes(body),
            expected_version=expected_version(request.headers.get("If-Match")),
            status=status,
            published_at=body.published_at,
        )
    except editing.StaleVersion as error:
        raise _stale(error) from None
    db.session.commit()
    return _staff_response(article)


@endpoint(
    api, "/articles/<id>", methods=("DELETE",), summary="Move an article to the trash", tag="Writing",
    auth=("bearer", "session"), name="trash_article",
    responses={204: "In the trash", 404: "No article has this id", **_WRITE},
)  # fmt: skip
def trash_article(id: str) -> Response:
    user = acting_user("content:write")
    editing.trash(find_for_staff(id, user), user)
    db.session.commit()
    return Response(status=204)


@endpoint(
    api, "/articles/<id>/restore", methods=("POST",), summary="Take an article out of the trash",
    tag="Writing", auth=("bearer", "session"), name="untrash_article",
    responses={200: "Restored", 404: "No article has this id", **_WRITE},
)  # fmt: skip
def untrash_article(id: str) -> Response:
    user = acting_user("content:write")
    article = find_for_staff(id, user)
    editing.restore_from_trash(article, user)
    db.session.commit()
    return _staff_response(article)


@endpoint(
    api, "/articles/<id>/revisions", summary="List an article's revisions", tag="Writing",
    auth=("bearer", "session"), name="list_revisions",
    responses={200: "Newest first", 404: "No article has this id", **_WRITE},
)  # fmt: skip
def list_revisions(id: str) -> Response:
    user = acting_user("content:read")
    article = find_for_staff(id, user)
    data = [
        {
            "number": r.number,
            "created_at": rfc3339(r.created_at),
            "created_by": r.created_by.username if r.created_by else None,
            "summary": r.summary,
            "article_version": r.article_version,
            "snapshot": r.snapshot,
        }
        for r in revisions_of(article)
    ]
    return json_response({"data": data}, public=False)


@endpoint(
    api, "/articles/<id>/revisions/<int:number>/restore", methods=("POST",),
    summary="Restore an article's content from a revision", tag="Writing",
    auth=("bearer", "session"), name="restore_revision",
    responses={200: "Restored as a new revision", 404: "No such article or revision",
               412: "If-Match names an older version", **_WRITE},
)  # fmt: skip
def restore_revision(id: str, number: int) -> Response:
    user = acting_user("content:write")
    article = find_for_staff(id, user)
    try:
        editing.restore_revision(
            article, number, user, expected_version=expected_version(request.headers.get("If-Match"))
        )
    except editing.StaleVersion as error:
        raise _stale(error) from None
    db.session.commit()
    return _staff_response(article)


@endpoint(
    api, "/articles/<id>/preview", methods=("POST",), summary="Make a preview link for a draft",
    tag="Writing", auth=("bearer", "session"), name="create_preview",
    responses={201: "{token, url, expires_at}", 404: "No article has this id", **_WRITE},
)  # fmt: skip
def create_preview(id: str) -> Response:
    user = acting_user("content:read")
    link = preview_link(find_for_staff(id, user))
    payload: dict[str, Any] = {"token": link.token, "url": link.url, "expires_at": rfc3339(link.expires_at)}
    return json_response({"data": payload}, status=201, public=False)
