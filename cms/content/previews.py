"""Draft previews: a signed, expiring token that lets a frontend fetch one unpublished article.

The token names the article and is signed with its own salt, so no other token of the CMS (a reset
link, a session) can pass for it, and a token for one article opens no other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from cms.content.models import Article
from cms.db import utcnow

SALT = "cms.article-preview"


@dataclass(frozen=True)
class PreviewLink:
    token: str
    url: str
    expires_at: datetime


def _serializer() -> URLSafeTimedSerializer:
    # itsdangerous signs with the last key and accepts all; Flask lists fallbacks newest first.
    keys = [*reversed(current_app.config["SECRET_KEY_FALLBACKS"]), current_app.config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=SALT)


def preview_link(article: Article) -> PreviewLink:
    token = _serializer().dumps({"article": str(article.uuid)})
    max_age = int(current_app.config["PREVIEW_MAX_AGE"])
    url = current_app.config["PREVIEW_URL_TEMPLATE"].format(
        public_url=current_app.config["PUBLIC_URL"], id=article.uuid, slug=article.slug, token=token
    )
    return PreviewLink(token=token, url=url, expires_at=utcnow() + timedelta(seconds=max_age))


def previewed_article_id(token: str) -> str | None:
    """The article id the token opens, or None when it is forged, foreign or expired."""
    try:
        data = _serializer().loads(token, max_age=int(current_app.config["PREVIEW_MAX_AGE"]))
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("article"), str):
        return None
    return data["article"]
