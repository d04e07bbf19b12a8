"""Articles, authors, tags, and the ordered links between them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.db import utcnow
from cms.extensions import db


class Status(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ARCHIVED = "archived"


def _enum_values(members: type[enum.Enum]) -> list[str]:
    return [m.value for m in members]


class Author(db.Model):  # type: ignore[name-defined]
    """A public byline. It never carries an email; a staff account may be linked to it."""

    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(191), unique=True)
    name: Mapped[str] = mapped_column(String(191))
    bio: Mapped[str | None] = mapped_column(Text)
    avatar_url: Mapped[str | None] = mapped_column(String(2000))
    cover_image_url: Mapped[str | None] = mapped_column(String(2000))
    website: Mapped[str | None] = mapped_column(String(2000))
    location: Mapped[str | None] = mapped_column(String(191))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User", lazy="raise")

    def __repr__(self) -> str:
        return f"<Author {self.slug}>"


class Tag(db.Model):  # type: ignore[name-defined]
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(191), unique=True)
    name: Mapped[str] = mapped_column(String(191))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Tag {self.slug}>"


class ArticleAuthor(db.Model):  # type: ignore[name-defined]
    __tablename__ = "article_authors"
    __table_args__ = (Index("ix_article_authors_listing", "author_id", "published_at", "article_id"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True)
    #: 0 is the primary author.
    position: Mapped[int] = mapped_column(default=0)
    #: The article's, copied by triggers for the author's page (cms/content/link_dates.py).
    published_at: Mapped[datetime | None]

    author: Mapped[Author] = relationship(lazy="joined", innerjoin=True)


class ArticleTag(db.Model):  # type: ignore[name-defined]
    __tablename__ = "article_tags"
    __table_args__ = (Index("ix_article_tags_listing", "tag_id", "published_at", "article_id"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    #: 0 is the primary tag.
    position: Mapped[int] = mapped_column(default=0)
    #: The article's, copied by triggers for the tag's page (cms/content/link_dates.py).
    published_at: Mapped[datetime | None]

    tag: Mapped[Tag] = relationship(lazy="joined", innerjoin=True)


class Article(db.Model):  # type: ignore[name-defined]
    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_status_published_at", "status", "published_at"),
        Index("ix_articles_published_at", "published_at"),
        # Public lists (cms/content/queries.py is_public, newest first) read and count from this index
        # alone: only articles not in the trash, ordered by time with the id as tie-break, the status
        # checked in the entry. Deep offsets, cursors, counts and the next go-live time never read a
        # row. Partial rather than led by deleted_at: PostgreSQL does not take "IS NULL" as an equality
        # that keeps the index order, and would sort; deleted_at is listed so SQLite sees it covered.
        Index(
            "ix_articles_listing",
            "published_at",
            "id",
            "status",
            "deleted_at",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # Filters that yield a set of ids (a tag, an author) check visibility here instead of in the
        # row: SQLite stores the long text columns first, so reading deleted_at from a row means
        # reading its overflow pages, some 4 KB per article.
        Index("ix_articles_visibility", "id", "deleted_at", "published_at", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The id the API shows; the integer key never leaves the database.
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(191), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    #: The excerpt written by hand; None means one is derived from the body.
    excerpt: Mapped[str | None] = mapped_column(Text)
    markdown: Mapped[str] = mapped_column(Text, default="")
    #: Sanitised HTML rendered from ``markdown`` when the article is saved.
    html: Mapped[str] = mapped_column(Text, default="")
    #: Text of ``html`` without markup, for derived excerpts, search and plaintext output.
    plaintext: Mapped[str] = mapped_column(Text, default="")
    #: The excerpt made from ``plaintext`` when it is rendered: lists show it without reading the body.
    auto_excerpt: Mapped[str] = mapped_column(Text, default="", server_default="")
    feature_image_url: Mapped[str | None] = mapped_column(String(2000))
    feature_image_alt: Mapped[str | None] = mapped_column(String(191))
    feature_image_caption: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35), default="en")
    status: Mapped[Status] = mapped_column(
        db.Enum(Status, native_enum=False, length=20, values_callable=_enum_values), default=Status.DRAFT
    )
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when the article is moved to the trash; trashed articles are never public.
    deleted_at: Mapped[datetime | None]
    #: Bumped by every saved change; the ETag and If-Match checks compare it.
    version: Mapped[int] = mapped_column(default=1)
    featured: Mapped[bool] = mapped_column(default=False)
    meta_title: Mapped[str | None] = mapped_column(String(300))
    meta_description: Mapped[str | None] = mapped_column(String(500))
    comments_enabled: Mapped[bool] = mapped_column(default=True)
    #: Approved comments, kept current by cms.comments.service so lists need no count query.
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    reading_time: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author_links: Mapped[list[ArticleAuthor]] = relationship(
        order_by=ArticleAuthor.position, cascade="all, delete-orphan", lazy="selectin"
    )
    tag_links: Mapped[list[ArticleTag]] = relationship(
        order_by=ArticleTag.position, cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def authors(self) -> list[Author]:
        return [link.author for link in self.author_links]

    @property
    def tags(self) -> list[Tag]:
        return [link.tag for link in self.tag_links]

    @property
    def primary_author(self) -> Author | None:
        return self.author_links[0].author if self.author_links else None

    @property
    def primary_tag(self) -> Tag | None:
        return self.tag_links[0].tag if self.tag_links else None

    def __repr__(self) -> str:
        return f"<Article {self.slug} ({self.status.value})>"
