"""How articles, authors and tags look in JSON. One function per resource, used by every endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app

from cms.content.kept_relations import AUTHOR_CARD, TAG_CARD
from cms.content.models import Article, Author, Tag
from cms.db import rfc3339

#: Top-level article fields, in the order they are written.
ARTICLE_FIELDS = (
    "id", "slug", "title", "excerpt", "html", "feature_image", "language", "published_at", "updated_at",
    "reading_time", "featured", "url", "meta_title", "meta_description", "comment_count", "authors", "tags",
    "primary_author", "primary_tag",
)  # fmt: skip
_RELATION_FIELDS = {"authors": "authors", "primary_author": "authors", "tags": "tags", "primary_tag": "tags"}


def article_url(article: Article) -> str:
    template: str = current_app.config["ARTICLE_URL_TEMPLATE"]
    return template.format(
        public_url=current_app.config["PUBLIC_URL"],
        slug=article.slug,
        id=article.uuid,
        language=article.language,
    )


def author_json(author: Author, article_count: int | None = None) -> dict[str, Any]:
    data = _card(author, AUTHOR_CARD)
    if article_count is not None:
        data["article_count"] = article_count
    return data


def tag_json(tag: Tag, article_count: int | None = None) -> dict[str, Any]:
    data = _card(tag, TAG_CARD)
    if article_count is not None:
        data["article_count"] = article_count
    return data


def _card(owner: Author | Tag, card: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """An author's or a tag's keys, from the columns ``card`` names; the uuid as text."""
    return {name: str(owner.uuid) if column == "uuid" else getattr(owner, column) for name, column in card}


def article_json(
    article: Article,
    *,
    include: Sequence[str] = (),
    fields: list[str] | None = None,
    with_html: bool = False,
) -> dict[str, Any]:
    """``fields`` limits the output to those keys; relations appear only when included. Lists leave
    out the body (``with_html=False``) unless ``fields`` names it."""
    wanted = fields or [f for f in ARTICLE_FIELDS if with_html or f != "html"]
    values: dict[str, Any] = {}
    for name in wanted:
        relation = _RELATION_FIELDS.get(name)
        if relation and relation not in include:
            continue
        values[name] = _ARTICLE_VALUES[name](article)
    return values


def _feature_image(article: Article) -> dict[str, Any] | None:
    if not article.feature_image_url:
        return None
    return {
        "url": article.feature_image_url,
        "alt": article.feature_image_alt,
        "caption": article.feature_image_caption,
    }


def _primary(item: Author | Tag | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return author_json(item) if isinstance(item, Author) else tag_json(item)


_ARTICLE_VALUES = {
    "id": lambda a: str(a.uuid),
    "slug": lambda a: a.slug,
    "title": lambda a: a.title,
    "excerpt": lambda a: a.excerpt or a.auto_excerpt,
    "html": lambda a: a.html,
    "feature_image": _feature_image,
    "language": lambda a: a.language,
    "published_at": lambda a: rfc3339(a.published_at),
    "updated_at": lambda a: rfc3339(a.updated_at),
    "reading_time": lambda a: a.reading_time,
    "featured": lambda a: a.featured,
    "url": article_url,
    "meta_title": lambda a: a.meta_title,
    "meta_description": lambda a: a.meta_description,
    "comment_count": lambda a: a.comment_count,
    "authors": lambda a: [author_json(x) for x in a.authors],
    "tags": lambda a: [tag_json(x) for x in a.tags],
    "primary_author": lambda a: _primary(a.primary_author),
    "primary_tag": lambda a: _primary(a.primary_tag),
}
