"""Posts, authors, tags and settings with Ghost's field names, so Ghost frontends read them unchanged."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from flask import current_app

from cms.api.representations import article_url
from cms.content.models import Article, Author, Tag
from cms.content.rendering import derived_excerpt
from cms.db import rfc3339

#: Ghost keeps derived excerpts to this many characters.
EXCERPT_LENGTH = 500


def _site_url(template_key: str, slug: str) -> str:
    template: str = current_app.config[template_key]
    return template.format(public_url=current_app.config["PUBLIC_URL"], slug=slug)


def author_json(author: Author, post_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(author.uuid),
        "slug": author.slug,
        "name": author.name,
        "profile_image": author.avatar_url,
        "cover_image": author.cover_image_url,
        "bio": author.bio,
        "website": author.website,
        "location": author.location,
        "facebook": None,
        "twitter": None,
        "meta_title": None,
        "meta_description": None,
        "url": _site_url("GHOST_AUTHOR_URL_TEMPLATE", author.slug),
    }
    if post_count is not None:
        data["count"] = {"posts": post_count}
    return data


def tag_json(tag: Tag, post_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(tag.uuid),
        "slug": tag.slug,
        "name": tag.name,
        "description": tag.description,
        "feature_image": None,
        "visibility": "public",
        "og_image": None,
        "og_title": None,
        "og_description": None,
        "twitter_image": None,
        "twitter_title": None,
        "twitter_description": None,
        "meta_title": None,
        "meta_description": None,
        "codeinjection_head": None,
        "codeinjection_foot": None,
        "canonical_url": None,
        "accent_color": None,
        "url": _site_url("GHOST_TAG_URL_TEMPLATE", tag.slug),
    }
    if post_count is not None:
        data["count"] = {"posts": post_count}
    return data


_POST_VALUES: dict[str, Callable[[Article], Any]] = {
    "id": lambda a: str(a.uuid),
    "uuid": lambda a: str(a.uuid),
    "title": lambda a: a.title,
    "slug": lambda a: a.slug,
    "html": lambda a: a.html,
    "plaintext": lambda a: a.plaintext,
    "comment_id": lambda a: str(a.uuid),
    "feature_image": lambda a: a.feature_image_url,
    "feature_image_alt": lambda a: a.feature_image_alt,
    "feature_image_caption": lambda a: a.feature_image_caption,
    "featured": lambda a: a.featured,
    "visibility": lambda a: "public",
    "created_at": lambda a: rfc3339(a.created_at),
    "updated_at": lambda a: rfc3339(a.updated_at),
    "published_at": lambda a: rfc3339(a.published_at),
    "custom_excerpt": lambda a: a.excerpt,
    "codeinjection_head": lambda a: None,
    "codeinjection_foot": lambda a: None,
    "custom_template": lambda a: None,
    "canonical_url": lambda a: None,
    "url": article_url,
    "excerpt": lambda a: a.excerpt or derived_excerpt(a.plaintext, EXCERPT_LENGTH),
    "reading_time": lambda a: a.reading_time,
    "access": lambda a: True,
    "comments": lambda a: a.comments_enabled,
    "og_image": lambda a: None,
    "og_title": lambda a: None,
    "og_description": lambda a: None,
    "twitter_image": lambda a: None,
    "twitter_title": lambda a: None,
    "twitter_description": lambda a: None,
    "meta_title": lambda a: a.meta_title,
    "meta_description": lambda a: a.meta_description,
    "email_subject": lambda a: None,
    "frontmatter": lambda a: None,
}
#: Every field a post can have; ``html`` and ``plaintext`` appear only when their format is asked for.
POST_FIELDS = frozenset(_POST_VALUES) | {"authors", "tags", "primary_author", "primary_tag"}
FORMATS = ("html", "plaintext")


def post_json(
    article: Article,
    *,
    include: Collection[str] = (),
    fields: Sequence[str] = (),
    formats: Collection[str] = ("html",),
) -> dict[str, Any]:
    """A post as Ghost writes it. ``fields`` narrows the output; included relations always appear."""
    data: dict[str, Any] = {}
    for name, value in _POST_VALUES.items():
        if name in FORMATS and name not in formats:
            continue
        if fields and name not in fields:
            continue
        data[name] = value(article)
    if "authors" in include:
        data["authors"] = [author_json(author) for author in article.authors]
        data["primary_author"] = author_json(article.primary_author) if article.primary_author else None
    if "tags" in include:
        data["tags"] = [tag_json(tag) for tag in article.tags]
        data["primary_tag"] = tag_json(article.primary_tag) if article.primary_tag else None
    return data


def narrowed(data: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """Only ``fields`` of an author or tag (and its ``count`` when included)."""
    if not fields:
        return data
    return {name: value for name, value in data.items() if name in fields or name == "count"}


def settings_json() -> dict[str, Any]:
    config = current_app.config
    public_url = config["PUBLIC_URL"]
    return {
        "title": config["SITE_TITLE"],
        "description": config["SITE_DESCRIPTION"],
        "logo": None,
        "icon": None,
        "accent_color": None,
        "cover_image": None,
        "facebook": None,
        "twitter": None,
        "lang": config["DEFAULT_LANGUAGE"],
        "locale": config["DEFAULT_LANGUAGE"],
        "timezone": "Etc/UTC",
        "codeinjection_head": None,
        "codeinjection_foot": None,
        "navigation": [{"label": "Home", "url": "/"}],
        "secondary_navigation": [],
        "meta_title": None,
        "meta_description": None,
        "og_image": None,
        "og_title": None,
        "og_description": None,
        "twitter_image": None,
        "twitter_title": None,
        "twitter_description": None,
        "members_enabled": False,
        "members_invite_only": False,
        "paid_members_enabled": False,
        "comments_enabled": "all",
        "recommendations_enabled": False,
        "url": public_url + "/",
        "version": "6.0",
    }
