"""The public view of an article's comments: approved comments as threads, oldest first, one page of
top-level threads at a time.

A reply whose parent is not (or no longer) approved hangs from its nearest approved ancestor, so taking
one comment down never hides the answers to it. Replies deeper than the maximum depth are shown at the
deepest level, in time order, still naming the comment they answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from cms.comments.models import Comment, CommentStatus
from cms.extensions import db


@dataclass
class Thread:
    comment: Comment
    #: The public id of the approved comment this one answers (its parent, or the nearest approved ancestor).
    parent_uuid: uuid.UUID | None
    replies: list[Thread] = field(default_factory=list)


@dataclass(frozen=True)
class _Node:
    id: int
    uuid: uuid.UUID
    parent_id: int | None
    approved: bool


@dataclass(frozen=True)
class ThreadPage:
    threads: list[Thread]
    #: Top-level threads across all pages.
    total: int


def approved_threads(article_id: int, *, page: int, limit: int, max_depth: int) -> ThreadPage:
    """Two queries whatever the page: the shape of the whole discussion, then the comments on this page."""
    rows = db.session.execute(
        select(Comment.id, Comment.uuid, Comment.parent_id, Comment.status)
        .where(Comment.article_id == article_id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    nodes = {
        row.id: _Node(row.id, row.uuid, row.parent_id, row.status is CommentStatus.APPROVED) for row in rows
    }
    answers: dict[int, int | None] = {}
    shown_under: dict[int, int | None] = {}
    level: dict[int, int] = {}
    # A parent is always inserted before its replies, so in id order every ancestor is placed first.
    for node_id in sorted(nodes):
        node = nodes[node_id]
        if not node.approved:
            continue
        answered = answers[node_id] = _nearest_approved_ancestor(node, nodes)
        under = answered
        while under is not None and level[under] >= max(max_depth, 1):
            under = shown_under[under]
        shown_under[node_id] = under
        level[node_id] = 1 if under is None else level[under] + 1
    # ``nodes`` is in display order (oldest first), whatever order the loop above placed them in.
    roots = [node_id for node_id in nodes if node_id in shown_under and shown_under[node_id] is None]
    page_roots = roots[(page - 1) * limit : page * limit]
    children: dict[int, list[int]] = {}
    for node_id in nodes:
        under = shown_under.get(node_id)
        if under is not None:
            children.setdefault(under, []).append(node_id)
    wanted = _with_descendants(page_roots, children)
    comments = (
        {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(wanted)))} if wanted else {}
    )

    def build(node_id: int) -> Thread:
        answered = answers[node_id]
        return Thread(
            comment=comments[node_id],
            parent_uuid=nodes[answered].uuid if answered is not None else None,
            replies=[build(child) for child in children.get(node_id, [])],
        )

    return ThreadPage(threads=[build(root) for root in page_roots], total=len(roots))


def _nearest_approved_ancestor(node: _Node, nodes: dict[int, _Node]) -> int | None:
    parent_id = node.parent_id
    while parent_id is not None and not nodes[parent_id].approved:
        parent_id = nodes[parent_id].parent_id
    return parent_id


def _with_descendants(roots: list[int], children: dict[int, list[int]]) -> list[int]:
    found: list[int] = []
    stack = list(roots)
    while stack:
        node_id = stack.pop()
        found.append(node_id)
        stack.extend(children.get(node_id, []))
    return found
