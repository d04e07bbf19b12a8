"""What the Content API shows beyond published articles: drafts for key holders, and previews.

``articles.py`` (the public read API) calls these two hooks and otherwise stays about published content.
"""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy import Select, and_, select

from cms.api.security import acting_user
from cms.content import queries
from cms.content.editing import staff_articles
from cms.content.models import Article, Status
from cms.content.previews import previewed_article_id
from cms.db import utcnow
from cms.extensions import db

StatusFilter = Literal["published", "draft", "scheduled", "all"]


def articles_with_status(status: StatusFilter) -> Select[Article]:
    """Articles in ``status`` that the caller (a ``content:read`` key or a staff session) may see.

    ``scheduled`` means not live yet; ``all`` means everything outside the trash.
    """
    statement = staff_articles(acting_user("content:read"))
    if status == "published":
        statement = statement.where(queries.is_public())
    else:
        statement = statement.where(Article.deleted_at.is_(None))
        if status == "draft":
            statement = statement.where(Article.status == Status.DRAFT)
        elif status == "scheduled":
            statement = statement.where(
                and_(Article.status.in_(queries.PUBLIC_STATUSES), Article.published_at > utcnow())
            )
    return statement


def previewed_article(id: str, token: str) -> Article | None:
    """The article a preview token opens, if ``id`` names that article and it is not in the trash."""
    opened = previewed_article_id(token)
    if opened is None or opened != id:
        return None
    article = db.session.scalar(select(Article).where(Article.uuid == uuid.UUID(opened)))
    if article is None or article.deleted_at is not None:
        return None
    return article
