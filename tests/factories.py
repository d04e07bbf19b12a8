"""Factories: valid objects with sensible defaults, any field overridable."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from cms.auth.models import Role, User
from cms.auth.passwords import hash_password
from cms.comments.models import Comment, CommentStatus
from cms.comments.sanitize import sanitize_comment
from cms.content import service
from cms.content.models import Article, Author, Status, Tag
from cms.db import utcnow
from cms.extensions import db

_counter = itertools.count(1)
DEFAULT_PASSWORD = "correct horse battery staple"
_hash_cache: dict[str, str] = {}


def make_user(**overrides: Any) -> User:
    n = next(_counter)
    password = overrides.pop("password", DEFAULT_PASSWORD)
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    values: dict[str, Any] = {
        "email": f"user{n}@example.org",
        "username": f"user{n}",
        "password_hash": _hash_cache[password],
        "role": Role.READER,
        "email_confirmed_at": utcnow(),
    }
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    return user


def make_author(**overrides: Any) -> Author:
    n = next(_counter)
    values: dict[str, Any] = {"name": f"Author {n}"}
    values.update(overrides)
    return service.create_author(**values)


def make_tag(**overrides: Any) -> Tag:
    n = next(_counter)
    values: dict[str, Any] = {"name": f"Tag {n}"}
    values.update(overrides)
    return service.create_tag(**values)


def make_article(**overrides: Any) -> Article:
    """A published article from an hour ago unless told otherwise."""
    n = next(_counter)
    values: dict[str, Any] = {
        "title": f"Article number {n}",
        "markdown": f"Body of article {n}.\n\nA second paragraph.",
        "status": Status.PUBLISHED,
        "published_at": utcnow() - timedelta(hours=1),
    }
    values.update(overrides)
    if "authors" not in values:
        values["authors"] = [make_author()]
    return service.create_article(**values)


def make_comment(
    article: Article, *, status: CommentStatus = CommentStatus.APPROVED, **overrides: Any
) -> Comment:
    """An approved comment by a new visitor unless told otherwise; ``parent=`` makes it a reply."""
    n = next(_counter)
    parent = overrides.pop("parent", None)
    values: dict[str, Any] = {
        "author_name": f"Commenter {n}",
        "author_email": f"commenter{n}@example.org",
        "body": f"Comment number {n}.",
        "ip_hash": "0" * 64,
    }
    values.update(overrides)
    values.setdefault("html", sanitize_comment(values["body"]))
    comment = Comment(article_id=article.id, parent_id=parent.id if parent else None, status=status, **values)
    db.session.add(comment)
    db.session.flush()
    return comment
