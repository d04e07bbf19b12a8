"""Creating and changing content. Services flush; the edge that called them commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Status, Tag
from cms.content.rendering import derived_excerpt, html_to_text, markdown_to_html, reading_time
from cms.content.slugs import SLUG_PATTERN, slugify, unique_slug
from cms.db import utcnow
from cms.errors import ValidationError
from cms.extensions import db

#: Article columns a caller may set directly; everything else is derived or managed here.
ARTICLE_FIELDS = frozenset(
    {
        "title", "excerpt", "markdown", "language", "featured", "meta_title", "meta_description",
        "comments_enabled", "feature_image_url", "feature_image_alt", "feature_image_caption",
    }
)  # fmt: skip


def _slug_taken(model: type[Article] | type[Author] | type[Tag], exclude_id: int | None = None):  # type: ignore[no-untyped-def]
    def taken(slug: str) -> bool:
        query = select(model.id).where(model.slug == slug)
        if exclude_id is not None:
            query = query.where(model.id != exclude_id)
        return db.session.scalar(query) is not None

    return taken


def _checked_slug(value: str, field: str = "slug") -> str:
    if not SLUG_PATTERN.match(value) or len(value) > 180:
        raise ValidationError.field(field, "use lower-case letters, digits and single hyphens")
    return value


def create_article(
    *,
    title: str,
    markdown: str = "",
    slug: str | None = None,
    tags: Iterable[str] = (),
    authors: Iterable[Author] = (),
    status: Status = Status.DRAFT,
    published_at: datetime | None = None,
    by: Any = None,
    **fields: Any,
) -> Article:
    article = Article(
        title=title,
        markdown=markdown,
        created_by_id=getattr(by, "id", None),
        language=fields.pop("language", None) or _default_language(),
        slug=_unique_checked(Article, slug) if slug else unique_slug(title, _slug_taken(Article), "article"),
    )
    _assign(article, fields)
    _render(article)
    db.session.add(article)
    set_article_authors(article, authors)
    set_article_tags(article, tags)
    set_status(article, status, published_at)
    db.session.flush()
    return article


def update_article(article: Article, changes: Mapping[str, Any]) -> Article:
    """Apply ``changes`` (any of ``ARTICLE_FIELDS`` plus ``slug``); bump the version once."""
    changes = dict(changes)
    if "slug" in changes and changes["slug"] != article.slug:
        article.slug = _unique_checked(Article, changes.pop("slug"), exclude_id=article.id)
    changes.pop("slug", None)
    _assign(article, changes)
    if "markdown" in changes:
        _render(article)
    touch(article)
    db.session.flush()
    return article


def set_status(article: Article, status: Status, published_at: datetime | None = None) -> None:
    """Drafts keep no date; publishing without one means now; a future date means scheduled."""
    now = utcnow()
    if status in (Status.PUBLISHED, Status.SCHEDULED):
        when = published_at or article.published_at or now
        article.published_at = when
        article.status = Status.SCHEDULED if when > now else Status.PUBLISHED
    else:
        article.status = status
        if status is Status.DRAFT:
            article.published_at = published_at


def touch(article: Article) -> None:
    article.version = (article.version or 0) + 1
    article.updated_at = utcnow()


def set_article_authors(article: Article, authors: Iterable[Author]) -> None:
    unique = list(dict.fromkeys(authors))
    article.author_links = [ArticleAuthor(author=a, position=i) for i, a in enumerate(unique)]


def set_article_tags(article: Article, names: Iterable[str]) -> None:
    tags = list(dict.fromkeys(tag_by_name_or_slug(name) for name in names))
    article.tag_links = [ArticleTag(tag=t, position=i) for i, t in enumerate(tags)]


def tag_by_name_or_slug(name: str, *, create: bool = True) -> Tag:
    """Find a tag by slug or by name; make it when missing and ``create`` allows."""
    name = name.strip()
    if not name:
        raise ValidationError.field("tags", "a tag name cannot be empty")
    slug = slugify(name)
    tag = db.session.scalar(select(Tag).where((Tag.slug == name) | (Tag.slug == slug) | (Tag.name == name)))
    if tag is None:
        if not create:
            raise ValidationError.field("tags", f"no tag named {name!r}")
        tag = Tag(name=name, slug=unique_slug(name, _slug_taken(Tag), "tag"))
        db.session.add(tag)
        db.session.flush()
    return tag


def create_author(*, name: str, slug: str | None = None, **fields: Any) -> Author:
    author = Author(name=name, **fields)
    author.slug = _unique_checked(Author, slug) if slug else unique_slug(name, _slug_taken(Author), "author")
    db.session.add(author)
    db.session.flush()
    return author


def create_tag(*, name: str, slug: str | None = None, description: str | None = None) -> Tag:
    tag = Tag(name=name, description=description)
    tag.slug = _unique_checked(Tag, slug) if slug else unique_slug(name, _slug_taken(Tag), "tag")
    db.session.add(tag)
    db.session.flush()
    return tag


def _unique_checked(
    model: type[Article] | type[Author] | type[Tag], slug: str, exclude_id: int | None = None
) -> str:
    _checked_slug(slug)
    if _slug_taken(model, exclude_id)(slug):
        raise ValidationError.field("slug", f"{slug!r} is already in use")
    return slug


def _assign(article: Article, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - ARTICLE_FIELDS
    if unknown:
        raise ValidationError.field(sorted(unknown)[0], "not a field of an article")
    for name, value in fields.items():
        setattr(article, name, value)


def _render(article: Article) -> None:
    article.html = markdown_to_html(article.markdown)
    article.plaintext = html_to_text(article.html)
    article.auto_excerpt = derived_excerpt(article.plaintext)
    article.reading_time = reading_time(article.plaintext)


def _default_language() -> str:
    from flask import current_app

    return str(current_app.config["DEFAULT_LANGUAGE"])


def claim_slug(
    model: type[Article] | type[Author] | type[Tag], slug: str, exclude_id: int | None = None
) -> str:
    """``slug`` when it is well-formed and free (apart from row ``exclude_id``); else a ValidationError."""
    return _unique_checked(model, slug, exclude_id)
