"""The moderation queue: pending, spam and trash (and what is published), one or many comments at a time,
and replies written as staff."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.navigation import nav_item
from cms.api.pagination import paginate
from cms.auth.permissions import require
from cms.comments import service, visitors
from cms.comments.models import Comment, CommentStatus
from cms.comments.moderation import moderation_queue, queue_sizes
from cms.content.models import Article
from cms.errors import NotFound, ValidationError
from cms.extensions import db

PAGE_SIZE = 25
#: The tabs of the queue, in order; "approved" lets a moderator take a published comment down again.
QUEUES = ("pending", "approved", "spam", "trash")
#: Form action -> the status it sets; "delete" removes spam and trash for good.
ACTIONS = {
    "approve": CommentStatus.APPROVED,
    "pending": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
}
ACTION_LABELS = {
    "approve": "Approve",
    "pending": "Back to pending",
    "spam": "Mark as spam",
    "trash": "Move to trash",
    "delete": "Delete for good",
}

nav_item("Comments", "admin.comments", "moderate_comments", order=40)


class ModerationForm(FlaskForm):
    action = SelectField(
        "Action",
        choices=[SelectChoice(action, label) for action, label in ACTION_LABELS.items()],
        validators=[DataRequired()],
    )
    ids = SelectMultipleField("Comments", validate_choice=False)
    back = HiddenField()


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", validators=[DataRequired(), Length(max=service.MAX_BODY)])


def _moderator_required() -> None:
    require(current_user, "moderate_comments")


@admin.get("/comments")
@staff_required
def comments() -> str:
    _moderator_required()
    status = request.args.get("status", "pending")
    if status not in QUEUES:
        status = "pending"
    page_number = request.args.get("page", 1, type=int) or 1
    page = paginate(moderation_queue(status), max(page_number, 1), PAGE_SIZE)
    sizes = dict(db.session.execute(queue_sizes()).all())
    titles = _article_titles(page.items)
    return render_template(
        "admin/comments/queue.html",
        status=status,
        queues=[(queue, sizes.get(CommentStatus(queue), 0)) for queue in QUEUES],
        page=page,
        titles=titles,
        form=ModerationForm(back=request.full_path),
        actions=_actions_for(status),
        labels=ACTION_LABELS,
    )


@admin.post("/comments")
@staff_required
def moderate_comments() -> Response:
    _moderator_required()
    form = ModerationForm()
    # A row's own button names its comment and action in the URL; "Apply" takes the ticked boxes.
    single = request.args.get("id")
    if single is not None:
        form.action.data = request.args.get("action", "")
        form.ids.data = [single]
    if not form.validate_on_submit():
        raise ValidationError("Choose one of the actions offered.")
    chosen = _comments_by_id(form.ids.data or [])
    if not chosen:
        flash("Select at least one comment.", "error")
        return _back(form.back.data)
    if form.action.data == "delete":
        count = service.delete_for_good(chosen, by=current_user)
    else:
        service.moderate(chosen, ACTIONS[form.action.data], by=current_user)
        count = len(chosen)
    db.session.commit()
    flash(f"{ACTION_LABELS[form.action.data]}: {count} comment{'' if count == 1 else 's'}.", "success")
    return _back(form.back.data)


@admin.route("/comments/<comment_id>/reply", methods=["GET", "POST"])
@staff_required
def reply_to_comment(comment_id: str) -> str | Response:
    _moderator_required()
    parent = _comment(comment_id)
    form = ReplyForm()
    if form.validate_on_submit():
        service.reply_as_staff(
            parent, body=form.body.data or "", by=current_user, ip_hash=visitors.ip_hash(request.remote_addr)
        )
        db.session.commit()
        flash("Your reply is published.", "success")
        return redirect(url_for("admin.comments", status="approved"))
    article = db.session.get_one(Article, parent.article_id)
    return render_template("admin/comments/reply.html", parent=parent, article=article, form=form)


def _actions_for(status: str) -> list[str]:
    """The actions that make sense from a queue (no "approve" for what is approved already)."""
    current = {"pending": "pending", "approved": "approve", "spam": "spam", "trash": "trash"}[status]
    actions = [action for action in ACTIONS if action != current]
    if status in ("spam", "trash"):
        actions.append("delete")
    return actions


def _comments_by_id(ids: list[str]) -> list[Comment]:
    keys = []
    for raw in ids:
        try:
            keys.append(uuid.UUID(raw))
        except ValueError:
            continue
    if not keys:
        return []
    return list(db.session.scalars(select(Comment).where(Comment.uuid.in_(keys))))


def _comment(comment_id: str) -> Comment:
    found = service.find_comment(comment_id)
    if found is None:
        raise NotFound("No comment has this id.")
    return found


def _article_titles(items: list[Comment]) -> dict[int, Any]:
    """Article id -> ``(id, uuid, title)`` for the comments on the page, in one query."""
    ids = {comment.article_id for comment in items}
    if not ids:
        return {}
    rows = db.session.execute(select(Article.id, Article.uuid, Article.title).where(Article.id.in_(ids)))
    return {row.id: row for row in rows}


def _back(target: str | None) -> Response:
    # Only our own queue pages: the field comes from the form, so it is never followed elsewhere.
    if target and target.startswith("/admin/comments") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("admin.comments"))
