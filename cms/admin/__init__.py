"""The staff UI under /admin: server-rendered pages over the same services as the API.

Each module adds the pages of one resource to ``admin`` when imported.
"""

from __future__ import annotations

from flask import Blueprint

admin = Blueprint("admin", __name__, url_prefix="/admin")

from cms.admin import (  # noqa: E402
    api_keys,
    articles,
    audit,
    comments,
    content_keys,
    dashboard,
    navigation,
    revisions,
    taxonomy,
    templating,
    time_zone,
    users,
    webhooks,
)

__all__ = ["admin", "api_keys", "articles", "audit", "comments", "content_keys", "dashboard", "navigation",
           "revisions", "taxonomy", "templating", "time_zone", "users", "webhooks"]  # fmt: skip
