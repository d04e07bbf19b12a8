"""Staff editing: every change to an article made by a person or a key, checked, versioned, recorded.

The staff UI and the write API both call these functions, so each rule lives here once: who may do it
(``cms.auth.permissions``), that the editor saw the latest version, that a revision and (for staff
actions that matter later) an audit line are written. Built on ``cms.content.service``; flushes only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, true, update

from cms.audit.service import record
from cms.auth.models import User
from cms.auth.permissions import can, require
from cms.content import service
from cms.content.models import Article, ArticleAuthor, Author, Status, Tag
from cms.content.revisions import (
    RESTORABLE,
    Revision,
    changed_fields,
    get_revision,
    latest_snapshot,
    record_revision,
    snapshot,
)
from cms.content.slugs import slugify
from cms.db import utcnow
from cms.errors import Forbidden, NotFound, PreconditionFailed, ValidationError
from cms.extensions import db

#: Everything a save may carry besides the plain columns.
RELATION_FIELDS = frozenset({"slug", "tags", "authors"})
LIVE = (Status.PUBLISHED, Status.SCHEDULED)


class StaleVersion(PreconditionFailed):
    """The article changed since the editor loaded it. ``article`` is the current one."""

    def __init__(self, article: Article) -> None:
        super().__init__(
            f"This article was changed by someone else (now version {article.version}).",
            extra={"current_version": article.version},
        )
        self.article = article


def subject(article: Article) -> str:
    return f"article:{article.uuid}"


def staff_articles(user: User) -> Select[Article]:
    """Articles ``user`` may see in the staff area, trash included: every one for editors, else
    their own. The SQL twin of the ``view_article`` permission."""
    return select(Article).where(_visible_to(user))


def _visible_to(user: User) -> ColumnElement[bool]:
    if can(user, "view_any_article"):
        return true()
    bylines = (
        select(ArticleAuthor.article_id)
        .join(Author, Author.id == ArticleAuthor.author_id)
        .where(Author.user_id == user.id)
    )
    return or_(Article.created_by_id == user.id, Article.id.in_(bylines))


def check_version(article: Article, expected: int | None) -> None:
    """Refuse the save when ``expected`` is not the stored version.

    The in-memory check catches a stale editor; the guarded UPDATE also catches another transaction
    that committed after this one loaded the row, and holds the row until this one commits.
    """
    if expected is None:
        return
    if article.version != expected:
        raise StaleVersion(article)
    claimed = db.session.execute(
        update(Article)
        .where(Article.id == article.id, Article.version == expected)
        .values(version=Article.version)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(article)
        raise StaleVersion(article)


def own_author_profile(user: User) -> Author:
    """The byline linked to ``user``, made from their username when they have none yet."""
    author = db.session.scalar(select(Author).where(Author.user_id == user.id))
    if author is None:
        author = service.create_author(name=user.username, user_id=user.id)
    return author


def resolve_authors(slugs: list[str]) -> list[Author]:
    authors = []
    for slug in slugs:
        author = db.session.scalar(select(Author).where(Author.slug == slug))
        if author is None:
            raise ValidationError.field("authors", f"no author with slug {slug!r}")
        authors.append(author)
    return authors


def _check_tags_allowed(by: User, names: list[str]) -> None:
    if can(by, "create_tag"):
        return
    for name in names:
        wanted = name.strip()
        exists = db.session.scalar(
            select(Tag.id).where((Tag.slug == wanted) | (Tag.slug == slugify(wanted)) | (Tag.name == wanted))
        )
        if exists is None:
            raise Forbidden(f"You may use existing tags only; there is no tag {wanted!r}.")


def may_publish_new(user: User) -> bool:
    """Whether ``user`` may publish an article they are about to create (and so will own)."""
    return can(user, "publish_article", Article(created_by_id=user.id, status=Status.DRAFT))


def create(
    by: User,
    data: Mapping[str, Any],
    *,
    status: Status = Status.DRAFT,
    published_at: datetime | None = None,
) -> Article:
    """A new article written by ``by``; ``data`` holds article fields plus slug, tags and authors."""
    require(by, "create_article")
    fields = dict(data)
    tags = list(fields.pop("tags", None) or [])
    author_slugs = fields.pop("authors", None)
    _check_tags_allowed(by, tags)
    authors = resolve_authors(author_slugs) if author_slugs else [own_author_profile(by)]
    if status in LIVE and not may_publish_new(by):
        require(by, "publish_article", None)
    if status is Status.SCHEDULED and (published_at is None or published_at <= utcnow()):
        raise ValidationError.field("published_at", "a scheduled article needs a time in the future")
    article = service.create_article(
        title=fields.pop("title"),
        tags=tags,
        authors=authors,
        by=by,
        status=status,
        published_at=published_at,
        **fields,
    )
    record_revision(article, by, "Created")
    if article.status in LIVE:
        _audit_status(by, article)
    return article


def save(
    article: Article,
    by: User,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    status: Status | None = None,
    published_at: datetime | None = None,
    summary: str | None = None,
) -> Article:
    """Apply ``changes`` (and a status change when ``status`` is given) as one versioned save."""
    require(by, "edit_article", article)
    check_version(article, expected_version)
    before = latest_snapshot(article) or snapshot(article)
    changes = dict(changes)
    if "slug" in changes and changes["slug"] != article.slug and article.status in LIVE:
        # Links to a live article must keep working: only editors move one on purpose.
        require(by, "change_published_slug", article)
    tags = changes.pop("tags", None)
    author_slugs = changes.pop("authors", None)
    if tags is not None:
        _check_tags_allowed(by, list(tags))
        service.set_article_tags(article, tags)
    if author_slugs is not None:
        service.set_article_authors(article, resolve_authors(list(author_slugs)) or [own_author_profile(by)])
    service.update_article(article, changes)
    if status is not None or published_at is not None:
        _change_status(article, by, status or article.status, published_at)
    after = snapshot(article)
    changed = changed_fields(before, after)
    record_revision(article, by, summary or _describe(changed))
    return article


def _describe(changed: list[str]) -> str:
    return f"Edited {', '.join(changed)}" if changed else "Saved without changes"


def _change_status(article: Article, by: User, status: Status, published_at: datetime | None) -> None:
    was, was_at = article.status, article.published_at
    if status in LIVE or was in LIVE:
        require(by, "publish_article", article)
    if status is Status.PUBLISHED and published_at is None and was is not Status.PUBLISHED:
        # "Publish" without a date means now, even for an article scheduled for later.
        published_at = utcnow()
    if status is Status.SCHEDULED and (published_at or article.published_at or utcnow()) <= utcnow():
        raise ValidationError.field("published_at", "a scheduled article needs a time in the future")
    service.set_status(article, status, published_at)
    if (article.status, article.published_at) != (was, was_at):
        _audit_status(by, article, was)


def _audit_status(by: User, article: Article, was: Status | None = None) -> None:
    if article.status is Status.PUBLISHED:
        action, verb = "article.publish", "Published"
    elif article.status is Status.SCHEDULED:
        action, verb = "article.schedule", f"Scheduled for {article.published_at:%Y-%m-%d %H:%M} UTC"
    elif was in LIVE:
        action, verb = "article.unpublish", "Unpublished"
    else:
        return
    record(by, action, subject(article), f"{verb} “{article.title}”", status=article.status.value)


def publish(
    article: Article, by: User, *, at: datetime | None = None, expected_version: int | None = None
) -> Article:
    """Publish now, or schedule when ``at`` lies in the future."""
    return save(
        article,
        by,
        {},
        expected_version=expected_version,
        status=Status.PUBLISHED,
        published_at=at,
        summary="Scheduled" if at and at > utcnow() else "Published",
    )


def unpublish(article: Article, by: User, *, expected_version: int | None = None) -> Article:
    return save(
        article, by, {}, expected_version=expected_version, status=Status.DRAFT, summary="Unpublished"
    )


def trash(article: Article, by: User) -> None:
    require(by, "trash_article", article)
    if article.deleted_at is None:
        article.deleted_at = utcnow()
        service.touch(article)
        db.session.flush()
        record(by, "article.trash", subject(article), f"Moved “{article.title}” to the trash")


def restore_from_trash(article: Article, by: User) -> None:
    require(by, "restore_article", article)
    if article.deleted_at is not None:
        article.deleted_at = None
        service.touch(article)
        db.session.flush()
        record(by, "article.restore", subject(article), f"Restored “{article.title}” from the trash")


def restore_revision(
    article: Article, number: int, by: User, *, expected_version: int | None = None
) -> Article:
    """Bring back the content of revision ``number``; status and dates stay as they are."""
    revision: Revision | None = get_revision(article, number)
    if revision is None:
        raise NotFound(f"This article has no revision {number}.")
    data = revision.snapshot
    changes: dict[str, Any] = {name: data[name] for name in RESTORABLE if name in data}
    if article.status in LIVE and not can(by, "change_published_slug", article):
        changes.pop("slug", None)
    if changes.get("slug") != article.slug and changes.get("slug") is not None:
        taken = db.session.scalar(
            select(Article.id).where(Article.slug == changes["slug"], Article.id != article.id)
        )
        if taken is not None:
            changes.pop("slug")
    existing_tags = [
        s for s in data.get("tags", []) if db.session.scalar(select(Tag.id).where(Tag.slug == s))
    ]
    existing_authors = [
        s for s in data.get("authors", []) if db.session.scalar(select(Author.id).where(Author.slug == s))
    ]
    changes["tags"] = existing_tags
    changes["authors"] = existing_authors
    save(article, by, changes, expected_version=expected_version, summary=f"Restored revision {number}")
    return article
