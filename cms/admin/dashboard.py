"""The staff dashboard: my drafts, what is scheduled, what went out recently, comments waiting."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, or_, select

from cms.admin import admin
from cms.admin.access import staff_required
from cms.auth.permissions import can
from cms.comments.models import Comment, CommentStatus
from cms.content import editing, queries
from cms.content.models import Article, Status
from cms.db import utcnow
from cms.extensions import db

LIST_SIZE = 8


@admin.get("/")
@staff_required
def dashboard() -> str:
    mine = editing.staff_articles(current_user).where(
        Article.deleted_at.is_(None), Article.status == Status.DRAFT
    )
    if can(current_user, "view_any_article"):
        # For editors "my drafts" means the ones they started, not everyone's.
        mine = mine.where(or_(Article.created_by_id == current_user.id, Article.created_by_id.is_(None)))
    visible = editing.staff_articles(current_user).where(Article.deleted_at.is_(None))
    scheduled = visible.where(Article.status.in_(editing.LIVE), Article.published_at > utcnow())
    published = visible.where(queries.is_public())
    pending = None
    if can(current_user, "moderate_comments"):
        pending = db.session.scalar(
            select(func.count()).select_from(Comment).where(Comment.status == CommentStatus.PENDING)
        )
    return render_template(
        "admin/dashboard.html",
        drafts=db.session.scalars(mine.order_by(Article.updated_at.desc()).limit(LIST_SIZE)).all(),
        scheduled=db.session.scalars(scheduled.order_by(Article.published_at.asc()).limit(LIST_SIZE)).all(),
        published=db.session.scalars(published.order_by(Article.published_at.desc()).limit(LIST_SIZE)).all(),
        pending_comments=pending,
    )
