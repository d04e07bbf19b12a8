"""Telling an article's authors that a comment on it awaits moderation, through the mail outbox."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import or_, select

from cms.auth.models import User
from cms.auth.permissions import can
from cms.comments.models import Comment
from cms.content.models import Article, ArticleAuthor, Author
from cms.extensions import db
from cms.mail.outbox import queue_mail

#: How much of the comment the notice quotes.
EXCERPT_LENGTH = 500


def notify_authors_of_pending(comment: Comment) -> None:
    """One message per author account that has comment notices switched on (``User.notify_comments``).

    "Authors" are the accounts linked to the article's bylines and the account that created it, the same
    people the permission rules treat as owning the article.
    """
    article = db.session.get_one(Article, comment.article_id)
    bylines = select(Author.user_id).join(ArticleAuthor).where(ArticleAuthor.article_id == article.id)
    recipients = db.session.scalars(
        select(User)
        .where(or_(User.id.in_(bylines), User.id == article.created_by_id))
        .where(User.notify_comments.is_(True), User.active.is_(True))
        .order_by(User.id)
    )
    excerpt = comment.body if len(comment.body) <= EXCERPT_LENGTH else comment.body[:EXCERPT_LENGTH] + "…"
    for user in recipients:
        if comment.user_id == user.id:
            continue
        queue_mail(
            to=user.email,
            template="comment_pending",
            language=user.language,
            context={
                "user": user,
                "article_title": article.title,
                "comment_author": comment.author_name,
                "comment_excerpt": excerpt,
                "held_reason": comment.held_reason,
                # Only moderators can act on it; the others are told, not sent to a page they cannot open.
                "queue_url": _queue_url() if can(user, "moderate_comments") else None,
            },
        )


def _queue_url() -> str:
    return f"{current_app.config['PUBLIC_URL']}/admin/comments?status=pending"
