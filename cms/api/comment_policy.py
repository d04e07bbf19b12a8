"""The rules of the comment form, for frontends that build it themselves."""

from __future__ import annotations

from flask import Response

from cms.api import api
from cms.api.caching import json_response
from cms.api.routing import endpoint
from cms.comments.policy import comment_policy


@endpoint(
    api,
    "/comments/policy",
    summary="What the comment form should tell its readers and send",
    description=(
        "The allowed HTML tags and attributes (also as the sentence to print under the form), the "
        "moderation mode, how deep replies nest, and the name of the hidden honeypot field."
    ),
    tag="Comments",
    responses={200: "The comment rules"},
)
def read_comment_policy() -> Response:
    return json_response({"data": comment_policy()})
