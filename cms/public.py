"""Public, non-JSON pages: the front page, the API docs, the Atom feed and the sitemap."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

from cms.api.openapi import build_document
from cms.api.representations import article_url
from cms.content.models import Article
from cms.content.queries import visible_articles
from cms.db import rfc3339, utcnow
from cms.extensions import db

public = Blueprint("public", __name__)

FEED_SIZE = 20
#: The sitemap protocol's limit for one file.
SITEMAP_LIMIT = 50_000


@public.get("/")
def index() -> str:
    return render_template("index.html")


@public.get("/api/docs")
def api_docs() -> str:
    return render_template("api_docs.html", spec=build_document())


@public.get("/feed.xml")
def feed() -> Response:
    articles = db.session.scalars(
        visible_articles().order_by(Article.published_at.desc(), Article.id.desc()).limit(FEED_SIZE)
    ).all()
    updated = max((a.updated_at for a in articles), default=utcnow())
    body = render_template(
        "feed.xml",
        articles=articles,
        updated=rfc3339(updated),
        rfc3339=rfc3339,
        article_url=article_url,
        public_url=current_app.config["PUBLIC_URL"],
    )
    response = Response(body, mimetype="application/atom+xml")
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["API_CACHE_SECONDS"])
    return response


@public.get("/sitemap.xml")
def sitemap() -> Response:
    rows = db.session.execute(
        visible_articles()
        .with_only_columns(Article.slug, Article.uuid, Article.language, Article.updated_at)
        .order_by(Article.published_at.desc())
        .limit(SITEMAP_LIMIT)
    ).all()
    body = render_template("sitemap.xml", rows=rows, article_url=article_url, rfc3339=rfc3339)
    response = Response(body, mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["API_CACHE_SECONDS"])
    return response
