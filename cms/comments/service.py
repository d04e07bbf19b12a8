"""Comment rules: who may comment where, what status a new comment gets, votes, moderation, and the
15 minutes in which a reader may change their mind. Services flush; the edge that called them commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from cms.auth.models import User
from cms.auth.permissions import can, require
from cms.comments import spam
from cms.comments.models import Comment, CommentStatus, CommentVote
from cms.comments.notifications import notify_authors_of_pending
from cms.comments.sanitize import sanitize_comment
from cms.content.models import Article
from cms.content.queries import article_is_public
from cms.db import utcnow
from cms.errors import Conflict, Forbidden, NotFound, ValidationError
from cms.extensions import db

MAX_BODY = 5000
MAX_NAME = 100
MAX_URL = 2000
#: A signed-in reader may edit or delete their comment for this long after posting it.
EDIT_WINDOW = timedelta(minutes=15)
MODERATION_MODES = ("all", "first", "none")


def submit_comment(
    article: Article,
    *,
    body: str,
    ip_hash: str,
    author_name: str | None = None,
    author_email: str | None = None,
    author_url: str | None = None,
    parent_id: uuid.UUID | None = None,
    user: User | None = None,
    honeypot: str | None = None,
    now: datetime | None = None,
) -> Comment:
    """A new comment on ``article``; its status follows ``CMS_COMMENTS_MODERATION`` and the spam rules.

    A signed-in user with a confirmed address may leave out name and email: their account's are used.
    """
    now = now or utcnow()
    if not article_is_public(article, now):
        raise NotFound("No published article has this id.")
    if not article.comments_enabled:
        raise Forbidden("Comments are closed on this article.")
    name, email = _author_identity(author_name, author_email, user)
    url = _checked_url(author_url)
    text = _checked_body(body)
    parent = _checked_parent(article, parent_id)
    if spam.is_duplicate(article_id=article.id, author_email=email, body=text, now=now):
        raise Conflict("You have posted this comment already.")
    verdict = spam.screen(
        body=text,
        author_name=name,
        author_email=email,
        author_url=url,
        honeypot=honeypot,
        blocklist=current_app.config["COMMENTS_BLOCKLIST"],
    )
    comment = Comment(
        article_id=article.id,
        parent_id=parent.id if parent else None,
        user_id=user.id if user else None,
        author_name=name,
        author_email=email,
        author_url=url,
        body=text,
        html=sanitize_comment(text),
        status=verdict.status or _initial_status(email, user, held=verdict.held is not None),
        held_reason=verdict.held,
        created_at=now,
        ip_hash=ip_hash,
    )
    db.session.add(comment)
    db.session.flush()
    if comment.status is CommentStatus.APPROVED:
        _recount({article.id})
    elif comment.status is CommentStatus.PENDING:
        notify_authors_of_pending(comment)
    return comment


def reply_as_staff(parent: Comment, *, body: str, by: User, ip_hash: str) -> Comment:
    """A moderator's reply, published at once; replying to a pending comment approves it first."""
    require(by, "moderate_comments")
    if parent.status is CommentStatus.PENDING:
        moderate([parent], CommentStatus.APPROVED, by=by)
    article = db.session.get_one(Article, parent.article_id)
    return submit_comment(article, body=body, ip_hash=ip_hash, parent_id=parent.uuid, user=by)


def moderate(comments: Iterable[Comment], status: CommentStatus, *, by: User) -> None:
    """Approve, mark as spam, trash (or restore) comments; article comment counts follow."""
    require(by, "moderate_comments")
    changed = [comment for comment in comments if comment.status is not status]
    for comment in changed:
        comment.status = status
        comment.held_reason = None
    db.session.flush()
    _recount({comment.article_id for comment in changed})


def delete_for_good(comments: Iterable[Comment], *, by: User) -> int:
    """Remove comments that are in the trash or marked as spam; replies to them go with them."""
    require(by, "moderate_comments")
    doomed = [c for c in comments if c.status in (CommentStatus.TRASH, CommentStatus.SPAM)]
    if doomed:
        db.session.execute(delete(Comment).where(Comment.id.in_([c.id for c in doomed])))
        _recount({c.article_id for c in doomed})
    return len(doomed)


def vote(comment: Comment, *, voter: str, value: int) -> None:
    """Record ``voter``'s vote (1 or -1) on an approved comment; 0 withdraws it. Voting again changes it."""
    article = db.session.get_one(Article, comment.article_id)
    if comment.status is not CommentStatus.APPROVED or not article_is_public(article):
        raise NotFound("No published comment has this id.")
    existing = db.session.scalar(
        select(CommentVote).where(CommentVote.comment_id == comment.id, CommentVote.voter == voter)
    )
    if value == 0:
        if existing is not None:
            db.session.delete(existing)
    elif existing is not None:
        existing.value = value
    else:
        try:
            with db.session.begin_nested():
                db.session.add(CommentVote(comment_id=comment.id, voter=voter, value=value))
        except IntegrityError:
            # The same voter's other request won the race; this one changes that vote instead.
            db.session.execute(
                update(CommentVote)
                .where(CommentVote.comment_id == comment.id, CommentVote.voter == voter)
                .values(value=value)
            )
    db.session.flush()
    # Counted from the rows rather than incremented, so concurrent votes cannot drift the totals.
    counts = dict(
        db.session.execute(
            select(CommentVote.value, func.count())
            .where(CommentVote.comment_id == comment.id)
            .group_by(CommentVote.value)
        ).all()
    )
    comment.upvotes = counts.get(1, 0)
    comment.downvotes = counts.get(-1, 0)
    db.session.flush()


def edit_own_comment(comment: Comment, *, user: User, body: str, now: datetime | None = None) -> None:
    """The author changes their comment within ``EDIT_WINDOW``; the spam rules look at it again."""
    _check_own(comment, user, now or utcnow())
    text = _checked_body(body)
    verdict = spam.screen(
        body=text,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_url=comment.author_url,
        honeypot=None,
        blocklist=current_app.config["COMMENTS_BLOCKLIST"],
    )
    comment.body = text
    comment.html = sanitize_comment(text)
    comment.edited_at = now or utcnow()
    if verdict.held and comment.status is CommentStatus.APPROVED:
        comment.status = CommentStatus.PENDING
        comment.held_reason = verdict.held
        db.session.flush()
        _recount({comment.article_id})
        notify_authors_of_pending(comment)
    db.session.flush()


def delete_own_comment(comment: Comment, *, user: User, now: datetime | None = None) -> None:
    """The author takes their comment back within ``EDIT_WINDOW``: it goes to the trash, out of sight."""
    _check_own(comment, user, now or utcnow())
    was_approved = comment.status is CommentStatus.APPROVED
    comment.status = CommentStatus.TRASH
    db.session.flush()
    if was_approved:
        _recount({comment.article_id})


def find_comment(public_id: str) -> Comment | None:
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        return None
    comment: Comment | None = db.session.scalar(select(Comment).where(Comment.uuid == key))
    return comment


def _check_own(comment: Comment, user: User, now: datetime) -> None:
    if comment.user_id is None or comment.user_id != user.id:
        raise Forbidden("Only the author of a comment may change it.")
    if comment.status not in (CommentStatus.PENDING, CommentStatus.APPROVED):
        raise NotFound("No comment of yours has this id.")
    if now - comment.created_at > EDIT_WINDOW:
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        raise Forbidden(f"A comment can be changed only in the first {minutes} minutes.")


def _author_identity(name: str | None, email: str | None, user: User | None) -> tuple[str, str]:
    confirmed = user is not None and user.email_confirmed_at is not None
    if user is not None and confirmed:
        name = name if name and name.strip() else user.username
        email = email if email and email.strip() else user.email
    name = (name or "").strip()
    if not name:
        raise ValidationError.field("author_name", "enter your name")
    if len(name) > MAX_NAME:
        raise ValidationError.field("author_name", f"use at most {MAX_NAME} characters")
    if not email or not email.strip():
        raise ValidationError.field("author_email", "enter your email address")
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError.field("author_email", "this is not a valid email address") from None
    return name, checked.normalized.lower()


def _checked_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or len(url) > MAX_URL:
        raise ValidationError.field("author_url", "give a full http:// or https:// address")
    return url


def _checked_body(body: str) -> str:
    text = body.replace("\x00", "").replace("\ufeff", "").strip()
    if not text:
        raise ValidationError.field("body", "write a comment")
    if len(text) > MAX_BODY:
        raise ValidationError.field("body", f"use at most {MAX_BODY} characters (this has {len(text)})")
    return text


def _checked_parent(article: Article, parent_id: uuid.UUID | None) -> Comment | None:
    if parent_id is None:
        return None
    parent: Comment | None = db.session.scalar(select(Comment).where(Comment.uuid == parent_id))
    if parent is None or parent.article_id != article.id or parent.status is not CommentStatus.APPROVED:
        raise ValidationError.field("parent_id", "reply to a published comment on this article")
    return parent


def _initial_status(email: str, user: User | None, *, held: bool) -> CommentStatus:
    if user is not None and can(user, "moderate_comments"):
        return CommentStatus.APPROVED
    if held:
        return CommentStatus.PENDING
    mode = current_app.config["COMMENTS_MODERATION"]
    if mode == "none":
        return CommentStatus.APPROVED
    if mode == "first" and _has_approved_comment(email):
        return CommentStatus.APPROVED
    # "all", and any value we do not know: a person decides.
    return CommentStatus.PENDING


def _has_approved_comment(email: str) -> bool:
    query = select(Comment.id).where(Comment.author_email == email, Comment.status == CommentStatus.APPROVED)
    return db.session.scalar(query.limit(1)) is not None


def _recount(article_ids: Iterable[int]) -> None:
    """Set ``Article.comment_count`` from the approved rows: exact whatever happened concurrently."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    approved = (
        select(func.count(Comment.id))
        .where(Comment.article_id == Article.id, Comment.status == CommentStatus.APPROVED)
        .scalar_subquery()
    )
    db.session.execute(
        update(Article).where(Article.id.in_(ids)).values(comment_count=approved),
        execution_options={"synchronize_session": "fetch"},
    )
