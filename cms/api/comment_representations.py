"""How comments look in JSON: to the public, to their own author, and to moderators."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from cms.comments.models import Comment, CommentStatus
from cms.comments.threads import Thread
from cms.content.models import Article
from cms.db import rfc3339
from cms.extensions import db


def comment_json(comment: Comment, parent_uuid: uuid.UUID | None) -> dict[str, Any]:
    """A comment as the public sees it: no email, no address, no hash of either."""
    return {
        "id": str(comment.uuid),
        "parent_id": str(parent_uuid) if parent_uuid else None,
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "html": comment.html,
        "created_at": rfc3339(comment.created_at),
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
    }


def thread_json(thread: Thread) -> dict[str, Any]:
    return {
        **comment_json(thread.comment, thread.parent_uuid),
        "replies": [thread_json(reply) for reply in thread.replies],
    }


def own_comment_json(comment: Comment) -> dict[str, Any]:
    """What the commenter learns about their own comment: its public form and whether it is shown."""
    # A comment caught by the honeypot is, as far as its sender can tell, waiting like any other.
    status = CommentStatus.PENDING if comment.status is CommentStatus.SPAM else comment.status
    return {**comment_json(comment, _parent_uuid(comment)), "status": status.value}


def staff_comments_json(comments: list[Comment]) -> list[dict[str, Any]]:
    """Everything a moderator needs, the email included (the IP hash stays in the database).

    Two queries for the whole list: the parents' public ids and the articles' titles.
    """
    if not comments:
        return []
    parent_ids = {c.parent_id for c in comments if c.parent_id is not None}
    parents = (
        dict(db.session.execute(select(Comment.id, Comment.uuid).where(Comment.id.in_(parent_ids))).all())
        if parent_ids
        else {}
    )
    rows = db.session.execute(
        select(Article.id, Article.uuid, Article.slug, Article.title).where(
            Article.id.in_({c.article_id for c in comments})
        )
    )
    articles = {row.id: {"id": str(row.uuid), "slug": row.slug, "title": row.title} for row in rows}
    return [
        {
            **comment_json(comment, parents.get(comment.parent_id) if comment.parent_id else None),
            "status": comment.status.value,
            "author_email": comment.author_email,
            "body": comment.body,
            "held_reason": comment.held_reason,
            "edited_at": rfc3339(comment.edited_at),
            "article": articles[comment.article_id],
        }
        for comment in comments
    ]


def _parent_uuid(comment: Comment) -> uuid.UUID | None:
    if comment.parent_id is None:
        return None
    parent = db.session.get(Comment, comment.parent_id)
    return parent.uuid if parent else None
