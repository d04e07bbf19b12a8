"""The moderation queue over JSON, for editors and admins (a staff session or an API key)."""

from __future__ import annotations

import uuid
from typing import Literal

from flask import Response, current_app
from pydantic import Field

from cms.api import api
from cms.api.caching import json_response
from cms.api.comment_representations import staff_comments_json
from cms.api.pagination import paginate
from cms.api.params import PageQuery
from cms.api.routing import endpoint
from cms.api.security import acting_user
from cms.auth.permissions import require
from cms.comments.moderation import moderation_queue


class QueueQuery(PageQuery):
    status: Literal["pending", "approved", "spam", "trash", "all"] = Field(
        "pending", description="Which comments: pending (the default), approved, spam, trash or all."
    )
    article: uuid.UUID | None = Field(None, description="Only comments on the article with this id.")


@endpoint(
    api,
    "/comments",
    summary="List comments for moderation",
    description="Newest first, with the commenter's email. Editors and admins only.",
    tag="Comments",
    query=QueueQuery,
    auth=("session", "bearer"),
    responses={200: "A page of comments", 401: "Not signed in", 403: "Not a moderator"},
)
def list_comments_for_moderation(query: QueueQuery) -> Response:
    require(acting_user("content:read"), "moderate_comments")
    page = paginate(moderation_queue(query.status, article=query.article), query.page, query.limit)
    response = json_response({"data": staff_comments_json(page.items), "meta": page.meta()}, public=False)
    link = page.link_header(current_app.config["PUBLIC_URL"])
    if link:
        response.headers["Link"] = link
    return response
