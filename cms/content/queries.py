"""Which articles are visible, and how lists of them are filtered and ordered: written once, used by
every list in the CMS."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select

from cms.content import search
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Status, Tag
from cms.db import utcnow
from cms.extensions import db

PUBLIC_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)
#: Written into the SQL, not sent as parameters: as parameters, PostgreSQL's generic plan of a public
#: read (cms/content/read_connection.py) built their array again for each row it filtered, which made
#: a deep page 40% slower.
_PUBLIC_STATUS = Article.status.in_(
    bindparam("public_statuses", list(PUBLIC_STATUSES), expanding=True, literal_execute=True)
)


Moment = datetime | ColumnElement[datetime]


def is_public(now: Moment | None = None, published_at: Any = Article.published_at) -> ColumnElement[bool]:
    """Published or scheduled, with its time come, and not in the trash.

    A scheduled article therefore goes live on time without any job flipping its status. ``now`` may
    be a bound parameter (statements built once); ``published_at`` another column holding the
    article's date (a link's copy of it, cms/content/link_dates.py).
    """
    return and_(
        _PUBLIC_STATUS,
        published_at <= (utcnow() if now is None else now),
        Article.deleted_at.is_(None),
    )


def is_waiting(now: Moment, published_at: Any = Article.published_at) -> ColumnElement[bool]:
    """Published or scheduled and not in the trash, with its time still to come: ``is_public``'s
    other half, what goes live later without a write."""
    return and_(_PUBLIC_STATUS, published_at > now, Article.deleted_at.is_(None))


def article_is_public(article: Article, now: datetime | None = None) -> bool:
    """The same rule as ``is_public``, for an article already loaded."""
    return (
        article.status in PUBLIC_STATUSES
        and article.published_at is not None
        and article.published_at <= (now or utcnow())
        and article.deleted_at is None
    )


def visible_articles(now: datetime | None = None) -> Select[Article]:
    return select(Article).where(is_public(now))


def next_visibility_change(now: Moment) -> Select[datetime | None]:
    """When the next scheduled article goes live: public responses may change then without a write."""
    return select(Article.published_at).where(is_waiting(now)).order_by(Article.published_at).limit(1)


def with_tag(slug: str) -> ColumnElement[bool]:
    return Article.id.in_(
        select(ArticleTag.article_id).join(Tag, Tag.id == ArticleTag.tag_id).where(Tag.slug == slug)
    )


def with_author(slug: str) -> ColumnElement[bool]:
    return Article.id.in_(
        select(ArticleAuthor.article_id)
        .join(Author, Author.id == ArticleAuthor.author_id)
        .where(Author.slug == slug)
    )


def matching(text: str) -> ColumnElement[bool]:
    """Every word of ``text`` appears in the title, excerpt or body: full-text search, see ``search``."""
    return search.matching(text, db.session.get_bind().dialect.name)


def matching_branches(text: str) -> list[ColumnElement[bool]]:
    """``matching`` as the conditions it is the OR of, for a query that takes them one at a time."""
    return search.matching_branches(text, db.session.get_bind().dialect.name)


def public_article_counts(
    column: ColumnElement[int], link_table: type[ArticleTag] | type[ArticleAuthor]
) -> Select:
    """``(owner id, number of public articles)`` per author or tag, from the link table given."""
    return (
        select(column, func.count())
        .select_from(link_table)
        .join(Article, Article.id == link_table.article_id)
        .where(is_public())
        .group_by(column)
    )
