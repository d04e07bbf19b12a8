"""Staff changes to authors and tags: edit, rename, delete, each checked and audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cms.audit.service import record
from cms.auth.models import User
from cms.auth.permissions import require
from cms.content import service
from cms.content.models import Author, Tag
from cms.extensions import db

AUTHOR_FIELDS = frozenset({"name", "slug", "bio", "avatar_url", "cover_image_url", "website", "location"})
TAG_FIELDS = frozenset({"name", "slug", "description"})


def create_author(by: User, data: Mapping[str, Any]) -> Author:
    require(by, "manage_authors")
    fields = {k: v for k, v in data.items() if k in AUTHOR_FIELDS}
    return service.create_author(**fields)


def update_author(author: Author, by: User, changes: Mapping[str, Any]) -> Author:
    require(by, "edit_author", author)
    _apply(author, Author, changes, AUTHOR_FIELDS)
    return author


def delete_author(author: Author, by: User) -> None:
    require(by, "manage_authors")
    record(by, "author.delete", f"author:{author.uuid}", f"Deleted author “{author.name}”")
    db.session.delete(author)
    db.session.flush()


def create_tag(by: User, data: Mapping[str, Any]) -> Tag:
    require(by, "manage_tags")
    fields = {k: v for k, v in data.items() if k in TAG_FIELDS}
    return service.create_tag(**fields)


def update_tag(tag: Tag, by: User, changes: Mapping[str, Any]) -> Tag:
    require(by, "manage_tags")
    _apply(tag, Tag, changes, TAG_FIELDS)
    return tag


def delete_tag(tag: Tag, by: User) -> None:
    require(by, "manage_tags")
    record(by, "tag.delete", f"tag:{tag.uuid}", f"Deleted tag “{tag.name}”")
    db.session.delete(tag)
    db.session.flush()


def _apply(
    obj: Author | Tag, model: type[Author] | type[Tag], changes: Mapping[str, Any], allowed: frozenset[str]
) -> None:
    changes = {k: v for k, v in changes.items() if k in allowed}
    slug = changes.pop("slug", None)
    if slug is not None and slug != obj.slug:
        obj.slug = service.claim_slug(model, slug, exclude_id=obj.id)
    for name, value in changes.items():
        setattr(obj, name, value)
    db.session.flush()
