"""What a comment form tells its readers: the allowed tags (as the seed page words them) and the rules
a frontend needs to build the form, from the same settings the service applies."""

from __future__ import annotations

from typing import Any

from flask import current_app

from cms.comments.sanitize import ALLOWED
from cms.comments.service import EDIT_WINDOW, MAX_BODY


def allowed_tags_note() -> str:
    """``You may use these HTML tags and attributes: <a href="" title=""> <abbr title=""> …``"""
    tags = " ".join(
        "<" + " ".join([tag, *(f'{attribute}=""' for attribute in sorted(ALLOWED[tag]))]) + ">"
        for tag in sorted(ALLOWED)
    )
    return f"You may use these HTML tags and attributes: {tags}"


def comment_policy() -> dict[str, Any]:
    config = current_app.config
    return {
        "allowed_tags": {tag: sorted(attributes) for tag, attributes in sorted(ALLOWED.items())},
        "allowed_tags_note": allowed_tags_note(),
        "moderation": config["COMMENTS_MODERATION"],
        "max_depth": int(config["COMMENTS_MAX_DEPTH"]),
        "max_body_length": MAX_BODY,
        #: How long a signed-in commenter may still edit or delete their comment.
        "edit_window_minutes": int(EDIT_WINDOW.total_seconds() // 60),
        #: The body field a form renders out of sight and sends as it is: people leave it empty, bots not.
        "honeypot_field": "honeypot",
    }
