"""Comments on articles, threaded by ``parent``, and one vote row per voter and comment."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.db import utcnow
from cms.extensions import db


class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"


class Comment(db.Model):  # type: ignore[name-defined]
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_article_status_created", "article_id", "status", "created_at"),
        Index("ix_comments_status_created", "status", "created_at"),
        Index("ix_comments_email_status", "author_email", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The id the API shows.
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    #: The signed-in account that wrote it, if any; staff replies always have one.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(String(100))
    #: Lower-cased. Shown to staff only, never published.
    author_email: Mapped[str] = mapped_column(String(254))
    author_url: Mapped[str | None] = mapped_column(String(2000))
    #: What the commenter typed.
    body: Mapped[str] = mapped_column(Text)
    #: ``body`` through the allowed-tags policy (cms.comments.sanitize): the only form ever published.
    html: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        db.Enum(
            CommentStatus,
            native_enum=False,
            length=20,
            values_callable=lambda members: [m.value for m in members],
        ),
        default=CommentStatus.PENDING,
    )
    #: Why the spam rules held the comment back, for the moderator; None when nothing was suspicious.
    held_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    #: HMAC of the client's IP address under the secret key: lets rules and rate limits match
    #: a repeat visitor without storing the address.
    ip_hash: Mapped[str] = mapped_column(String(64))
    upvotes: Mapped[int] = mapped_column(default=0)
    downvotes: Mapped[int] = mapped_column(default=0)

    article = relationship("Article", lazy="raise")
    parent: Mapped[Comment | None] = relationship(remote_side=[id], lazy="raise")

    def __repr__(self) -> str:
        return f"<Comment {self.uuid} ({self.status.value})>"


class CommentVote(db.Model):  # type: ignore[name-defined]
    __tablename__ = "comment_votes"
    __table_args__ = (
        UniqueConstraint("comment_id", "voter", name="uq_comment_votes_comment_voter"),
        CheckConstraint("value IN (-1, 1)", name="value_is_up_or_down"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    #: ``user:<id>`` for an account, ``visitor:<hmac of voter cookie and IP hash>`` for anyone else.
    voter: Mapped[str] = mapped_column(String(80))
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
