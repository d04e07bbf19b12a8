"""Spam rules: which comments are refused, which go to the spam queue, which a person must see first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from cms.comments.models import Comment, CommentStatus
from cms.extensions import db

#: More links than this and a person must look at the comment before it is shown.
MAX_LINKS = 2
#: The same text from the same address on the same article within this window is a duplicate.
DUPLICATE_WINDOW = timedelta(days=1)

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    """``status`` overrides the moderation mode (spam); ``held`` forces pending, with the reason."""

    status: CommentStatus | None = None
    held: str | None = None


def count_links(body: str) -> int:
    """Distinct URLs, so ``<a href="http://x">http://x</a>`` is one link, not two."""
    return len({url.rstrip(".,;:!?)").lower() for url in _URL.findall(body)})


def blocklisted_word(texts: Iterable[str | None], blocklist: Iterable[str]) -> str | None:
    """The first blocklist entry found in any of ``texts``, ignoring case; entries match inside words."""
    haystack = "\n".join(text.casefold() for text in texts if text)
    for word in blocklist:
        if word.strip() and word.strip().casefold() in haystack:
            return word.strip()
    return None


def screen(
    *,
    body: str,
    author_name: str,
    author_email: str,
    author_url: str | None,
    honeypot: str | None,
    blocklist: Iterable[str],
) -> Verdict:
    if honeypot:
        # Only a bot fills a field no person can see; it gets an ordinary answer and the spam queue.
        return Verdict(status=CommentStatus.SPAM)
    word = blocklisted_word((body, author_name, author_email, author_url), blocklist)
    if word is not None:
        return Verdict(held=f"contains the blocked word {word!r}")
    links = count_links(body)
    if links > MAX_LINKS:
        return Verdict(held=f"{links} links (more than {MAX_LINKS})")
    return Verdict()


def is_duplicate(*, article_id: int, author_email: str, body: str, now: datetime) -> bool:
    return (
        db.session.scalar(
            select(Comment.id)
            .where(
                Comment.article_id == article_id,
                Comment.author_email == author_email,
                Comment.body == body,
                Comment.created_at >= now - DUPLICATE_WINDOW,
            )
            .limit(1)
        )
        is not None
    )
