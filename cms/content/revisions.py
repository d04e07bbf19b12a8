"""Revisions: a snapshot of an article at every save, a diff between any two, and restoring one."""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.content.models import Article
from cms.db import rfc3339, utcnow
from cms.extensions import db

#: Snapshot keys that a restore writes back; status and dates stay as they are now.
RESTORABLE = (
    "title", "slug", "excerpt", "markdown", "language", "featured", "meta_title", "meta_description",
    "comments_enabled", "feature_image_url", "feature_image_alt", "feature_image_caption",
)  # fmt: skip
#: The order fields appear in a diff; the body comes last, line by line.
_DIFF_FIELDS = (*(f for f in RESTORABLE if f != "markdown"), "tags", "authors", "status", "published_at")


class Revision(db.Model):  # type: ignore[name-defined]
    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    #: 1 for the first save of an article, then counting up.
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The article's version after this save.
    article_version: Mapped[int]
    #: What the save did, e.g. "Edited title, markdown" or "Published".
    summary: Mapped[str] = mapped_column(String(300))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    created_by = relationship("User", lazy="joined")


def snapshot(article: Article) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(article, name) for name in RESTORABLE}
    data["tags"] = [tag.slug for tag in article.tags]
    data["authors"] = [author.slug for author in article.authors]
    data["status"] = article.status.value
    data["published_at"] = rfc3339(article.published_at)
    return data


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    if before is None:
        return list(after)
    return [name for name in after if before.get(name) != after[name]]


def record_revision(article: Article, by: Any, summary: str) -> Revision:
    """Store the article as it is now. Call after the change has been applied."""
    latest = db.session.scalar(select(func.max(Revision.number)).where(Revision.article_id == article.id))
    revision = Revision(
        article_id=article.id,
        number=(latest or 0) + 1,
        created_by_id=getattr(by, "id", None),
        article_version=article.version,
        summary=summary[:300],
        snapshot=snapshot(article),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def latest_snapshot(article: Article) -> dict[str, Any] | None:
    revision = db.session.scalar(
        select(Revision).where(Revision.article_id == article.id).order_by(Revision.number.desc()).limit(1)
    )
    return revision.snapshot if revision else None


def revisions_of(article: Article) -> list[Revision]:
    return list(
        db.session.scalars(
            select(Revision).where(Revision.article_id == article.id).order_by(Revision.number.desc())
        )
    )


def get_revision(article: Article, number: int) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.article_id == article.id, Revision.number == number)
    )


def as_text(data: dict[str, Any]) -> list[str]:
    """A snapshot as lines of text: one line per field, then the Markdown body."""
    lines = []
    for name in _DIFF_FIELDS:
        value = data.get(name)
        if isinstance(value, list):
            value = ", ".join(value)
        lines.append(f"{name}: {'' if value is None else value}")
    lines.append("")
    lines.extend((data.get("markdown") or "").splitlines())
    return lines


def diff(old: dict[str, Any], new: dict[str, Any], *, old_label: str, new_label: str) -> list[str]:
    """A unified diff between two snapshots; empty when they are the same."""
    return list(
        difflib.unified_diff(as_text(old), as_text(new), fromfile=old_label, tofile=new_label, lineterm="")
    )
