"""What moderators look at: the queues of comments by status, newest first."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select

from cms.comments.models import Comment, CommentStatus
from cms.content.models import Article


def moderation_queue(status: str, *, article: uuid.UUID | None = None) -> Select[Comment]:
    """Comments with ``status`` (or every status for ``"all"``), optionally on one article."""
    statement = select(Comment).order_by(Comment.created_at.desc(), Comment.id.desc())
    if status != "all":
        statement = statement.where(Comment.status == CommentStatus(status))
    if article is not None:
        statement = statement.where(
            Comment.article_id == select(Article.id).where(Article.uuid == article).scalar_subquery()
        )
    return statement


def queue_sizes() -> Select[CommentStatus, int]:
    """``(status, number of comments)`` for every status that has any."""
    return select(Comment.status, func.count()).group_by(Comment.status)
