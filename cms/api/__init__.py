"""The JSON API under /api/v1: content delivery for frontends, and (later) writes for staff tools."""

from __future__ import annotations

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

# The modules below add their routes to ``api`` when imported.
from cms.api import (  # noqa: E402
    articles,
    articles_write,
    auth,
    authors,
    comment_policy,
    comments,
    comments_moderation,
    openapi,
    tags,
    taxonomy_write,
)

__all__ = [
    "api", "articles", "articles_write", "auth", "authors", "comment_policy", "comments",
    "comments_moderation", "openapi", "tags", "taxonomy_write",
]  # fmt: skip
