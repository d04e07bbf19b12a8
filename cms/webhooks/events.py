"""Noticing changes worth a webhook, whichever edge made them (API, staff UI, CLI).

Rather than every service remembering to announce its changes, the session is watched: before each
flush, new, changed and deleted articles, comments, authors and tags are noted; before the commit,
the notes become deliveries in the same transaction; after the commit they are sent. A rolled-back
transaction forgets its notes, so nothing announces a change that did not happen.

A scheduled article that goes live by the clock alone (no write) is not announced.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction
from sqlalchemy.orm.attributes import History

from cms.comments.models import Comment, CommentStatus
from cms.content.models import Article, Author, Status, Tag
from cms.extensions import db
from cms.mail.transactions import after_commit

log = logging.getLogger(__name__)

_NOTES = "cms.webhook_events"
#: An article that was published, unpublished or deleted is not also announced as updated.
_SUPERSEDES_UPDATE = ("article.published", "article.unpublished", "article.deleted")

#: (event, the changed object, or a ready payload for an object that is gone)
Note = tuple[str, Any]


def _status_change(session: Session, obj: Article | Comment) -> tuple[Any, Any] | None:
    """(old status, new status) when the status was set, or None."""
    history: History = inspect(obj).attrs.status.history
    if not history.has_changes():
        return None
    after = history.added[0] if history.added else None
    if history.deleted:
        return history.deleted[0], after
    # Set without being read first (its value expired at the last commit): ask the database.
    model = type(obj)
    with session.no_autoflush:
        before = session.scalar(select(model.status).where(model.id == obj.id))
    return before, after


def _article_notes(session: Session, article: Article, *, new: bool) -> list[Note]:
    if new:
        return [("article.published", article)] if article.status is Status.PUBLISHED else []
    notes: list[Note] = []
    change = _status_change(session, article)
    if change and change[1] is Status.PUBLISHED and change[0] is not Status.PUBLISHED:
        notes.append(("article.published", article))
    elif change and change[0] is Status.PUBLISHED and change[1] is not Status.PUBLISHED:
        notes.append(("article.unpublished", article))
    if inspect(article).attrs.deleted_at.history.has_changes() and article.deleted_at is not None:
        notes.append(("article.deleted", article))
    if session.is_modified(article, include_collections=False):
        notes.append(("article.updated", article))
    return notes


def _comment_notes(session: Session, comment: Comment, *, new: bool) -> list[Note]:
    if new:
        if comment.status is CommentStatus.SPAM:
            return []
        notes: list[Note] = [("comment.created", comment)]
        if comment.status is CommentStatus.APPROVED:
            notes.append(("comment.approved", comment))
        return notes
    change = _status_change(session, comment)
    return [("comment.approved", comment)] if change and change[1] is CommentStatus.APPROVED else []


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    notes: list[Note] = session.info.setdefault(_NOTES, [])
    for obj in session.new:
        if isinstance(obj, Article):
            notes += _article_notes(session, obj, new=True)
        elif isinstance(obj, Comment):
            notes += _comment_notes(session, obj, new=True)
    for obj in session.dirty:
        if isinstance(obj, Article):
            notes += _article_notes(session, obj, new=False)
        elif isinstance(obj, Comment):
            notes += _comment_notes(session, obj, new=False)
        elif isinstance(obj, Author | Tag) and session.is_modified(obj, include_collections=False):
            notes.append((f"{type(obj).__name__.lower()}.updated", obj))
    for obj in session.deleted:
        if isinstance(obj, Article):
            # Gone after the flush: what receivers need to drop it is taken now.
            notes.append(("article.deleted", {"id": str(obj.uuid), "slug": obj.slug}))
    if not notes:
        session.info.pop(_NOTES, None)


def _payload(session: Session, subject: Any) -> dict[str, Any]:
    from cms.api.comment_representations import comment_json
    from cms.api.representations import article_json, author_json, tag_json

    if isinstance(subject, dict):
        return subject
    if isinstance(subject, Article):
        data = article_json(subject, include=("authors", "tags"), with_html=True)
        return {**data, "status": subject.status.value}
    if isinstance(subject, Comment):
        parent = (
            session.scalar(select(Comment.uuid).where(Comment.id == subject.parent_id))
            if subject.parent_id
            else None
        )
        article = session.scalar(select(Article.uuid).where(Article.id == subject.article_id))
        return {**comment_json(subject, parent), "status": subject.status.value, "article_id": str(article)}
    if isinstance(subject, Author):
        return author_json(subject)
    return tag_json(subject)


def _events(session: Session, notes: list[Note]) -> list[tuple[str, dict[str, Any]]]:
    superseding = {(e, id(s)) for e, s in notes if e in _SUPERSEDES_UPDATE}
    seen: set[tuple[str, int]] = set()
    events = []
    for name, subject in notes:
        key = (name, id(subject))
        if key in seen or (
            name == "article.updated" and any((e, id(subject)) in superseding for e in _SUPERSEDES_UPDATE)
        ):
            continue
        seen.add(key)
        events.append((name, _payload(session, subject)))
    return events


@event.listens_for(Session, "before_commit")
def _queue_deliveries(session: Session) -> None:
    if not has_app_context() or session is not db.session.registry():
        return
    session.flush()
    notes = session.info.pop(_NOTES, None)
    if not notes:
        return
    from cms.webhooks.service import queue_deliveries

    if queue_deliveries(session, _events(session, notes)):
        after_commit(_send_after_commit)


@event.listens_for(Session, "after_soft_rollback")
def _forget_notes(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_NOTES, None)


def _send_after_commit() -> None:
    from cms.webhooks.delivery import deliver_pending

    deliver_pending()
