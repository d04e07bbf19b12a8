"""The Content API reads articles as rows (cms/api/article_reads.py), not ORM objects. Its JSON must be,
byte for byte, what the ORM representation (cms/api/representations.py ``article_json``, still used by
staff reads and webhooks) makes of the same articles."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import orjson
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from cms.api.representations import article_json
from cms.content.models import Article, Status
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article, make_author, make_tag

LONG_BODY = " ".join(f"Word{n}, and more text." for n in range(80))


def _varied_articles() -> None:
    """Bylines in several orders, tags with and without a description, images with and without
    alt and caption, hand-written, empty and derived excerpts; plus articles that must stay hidden."""
    ada = make_author(
        name="Ada",
        bio="Writes about engines.",
        avatar_url="https://img.test/ada.png",
        cover_image_url="https://img.test/ada-cover.png",
        website="https://ada.test",
        location="London",
    )
    bo = make_author(name="Bo")
    make_tag(name="Zeta", description="Last letter")
    make_tag(name="Alpha")
    hour = timedelta(hours=1)
    make_article(
        title="Bylines reversed",
        authors=[bo, ada],
        tags=["Zeta", "Alpha"],
        excerpt="Written by hand.",
        feature_image_url="https://img.test/one.jpg",
        feature_image_alt="A photo",
        feature_image_caption="Taken at noon",
        featured=True,
        meta_title="Meta title",
        meta_description="Meta description",
        language="de",
        published_at=utcnow() - 5 * hour,
    )
    make_article(
        title="Derived excerpt",
        authors=[ada, bo],
        tags=["Alpha"],
        markdown=LONG_BODY,
        feature_image_url="https://img.test/two.jpg",
        published_at=utcnow() - 4 * hour,
    )
    make_article(title="No tags, empty excerpt", authors=[ada], excerpt="", published_at=utcnow() - 3 * hour)
    make_article(
        title="Short body", authors=[bo], tags=["Zeta"], markdown="Tiny.", published_at=utcnow() - 2 * hour
    )
    moment = utcnow() - hour  # a tie: the later id comes first, newest first
    make_article(title="Same time A", authors=[bo], tags=["Alpha", "Zeta"], published_at=moment)
    make_article(title="Same time B", authors=[ada], published_at=moment)
    make_article(title="A draft", status=Status.DRAFT)
    make_article(title="Not yet", status=Status.SCHEDULED, published_at=utcnow() + hour)
    trashed = make_article(title="In the trash")
    trashed.deleted_at = utcnow()
    db.session.commit()


def _orm_articles(ids: Sequence[str]) -> list[Article]:
    db.session.expire_all()
    by_id = {str(a.uuid): a for a in db.session.scalars(select(Article))}
    return [by_id[i] for i in ids]


def _expected_list(body: bytes, include: list[str], fields: list[str] | None, ids: list[str]) -> bytes:
    """The list body the ORM representation gives for the articles ``ids``, with the same meta."""
    parsed = orjson.loads(body)
    articles = _orm_articles(ids)
    data = [article_json(a, include=include, fields=fields) for a in articles]
    return orjson.dumps({"data": data, "meta": parsed["meta"]})


#: (query string, the include it asks for); fields= is read from the query string.
LISTS: list[tuple[str, list[str]]] = [
    ("", []),
    ("include=authors", ["authors"]),
    ("include=tags", ["tags"]),
    ("include=authors,tags", ["authors", "tags"]),
    ("include=tags,authors&order=title asc", ["tags", "authors"]),
    ("include=authors,tags&order=published_at asc&limit=2&page=2", ["authors", "tags"]),
    ("include=authors,tags&order=title desc&tag=alpha", ["authors", "tags"]),
    ("include=authors&author=ada&featured=false", ["authors"]),
    ("fields=html,title,id", []),
    ("fields=excerpt", []),
    ("fields=primary_tag,tags,primary_author&include=tags", ["tags"]),
    ("fields=id,primary_author,id&include=authors,tags", ["authors", "tags"]),
    ("fields=url,feature_image,published_at,updated_at,featured,comment_count", []),
]


@pytest.mark.parametrize(("params", "include"), LISTS)
def test_lists_are_what_the_orm_representation_makes(
    client: FlaskClient, params: str, include: list[str]
) -> None:
    _varied_articles()
    fields = params.split("fields=")[1].split("&")[0].split(",") if "fields=" in params else None
    response = client.get(f"/api/v1/articles?{params}")
    assert response.status_code == 200
    assert orjson.loads(response.data)["data"], "the case must show some articles"
    # The same page without fields= says which articles it shows.
    unlimited = "&".join(p for p in params.split("&") if not p.startswith("fields="))
    ids = [a["id"] for a in client.get(f"/api/v1/articles?{unlimited}").get_json()["data"]]
    assert response.data == _expected_list(response.data, include, fields, ids)


def test_the_public_list_shows_exactly_the_public_articles_newest_first(client: FlaskClient) -> None:
    _varied_articles()
    titles = [a["title"] for a in client.get("/api/v1/articles?limit=100").get_json()["data"]]
    assert titles[:4] == ["Same time B", "Same time A", "Short body", "No tags, empty excerpt"]
    assert titles[4:] == ["Derived excerpt", "Bylines reversed"]


def test_derived_and_hand_written_excerpts(client: FlaskClient) -> None:
    _varied_articles()
    excerpts = {a["title"]: a["excerpt"] for a in client.get("/api/v1/articles").get_json()["data"]}
    assert excerpts["Bylines reversed"] == "Written by hand."
    assert excerpts["Derived excerpt"].endswith("…") and len(excerpts["Derived excerpt"]) <= 301
    assert excerpts["Short body"] == "Tiny."


def test_a_cursor_page_is_what_the_orm_representation_makes(client: FlaskClient) -> None:
    _varied_articles()
    first = client.get("/api/v1/articles?limit=2&include=authors,tags").get_json()
    cursor = first["meta"]["pagination"]["next_cursor"]
    response = client.get(f"/api/v1/articles?limit=2&include=authors,tags&after={cursor}")
    assert response.status_code == 200
    ids = [a["id"] for a in orjson.loads(response.data)["data"]]
    assert response.data == _expected_list(response.data, ["authors", "tags"], None, ids)


@pytest.mark.parametrize(
    ("params", "include", "fields"),
    [
        ("", ["authors", "tags"], None),
        ("include=tags", ["tags"], None),
        ("include=", [], None),
        ("fields=title,html,primary_tag", ["authors", "tags"], ["title", "html", "primary_tag"]),
        ("fields=excerpt,primary_author&include=tags", ["tags"], ["excerpt", "primary_author"]),
    ],
)
def test_detail_is_what_the_orm_representation_makes(
    client: FlaskClient, params: str, include: list[str], fields: list[str] | None
) -> None:
    _varied_articles()
    for title in ("Bylines reversed", "Derived excerpt", "No tags, empty excerpt"):
        article = db.session.scalars(select(Article).where(Article.title == title)).one()
        for path in (f"/api/v1/articles/slug/{article.slug}", f"/api/v1/articles/{article.uuid}"):
            response = client.get(f"{path}?{params}")
            assert response.status_code == 200
            (orm,) = _orm_articles([str(article.uuid)])
            expected = article_json(orm, include=include, fields=fields, with_html=True)
            assert response.data == orjson.dumps({"data": expected})


def test_hidden_articles_have_no_detail(client: FlaskClient) -> None:
    _varied_articles()
    for title in ("A draft", "Not yet", "In the trash"):
        slug = db.session.scalars(select(Article.slug).where(Article.title == title)).one()
        assert client.get(f"/api/v1/articles/slug/{slug}").status_code == 404


def test_article_urls_follow_the_configured_template(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "ARTICLE_URL_TEMPLATE", "{public_url}/{language}/{id}/{slug}.html")
    _varied_articles()
    response = client.get("/api/v1/articles?include=authors,tags")
    data: list[dict[str, Any]] = orjson.loads(response.data)["data"]
    first = next(a for a in data if a["title"] == "Bylines reversed")
    assert first["url"] == f"http://cms.test/de/{first['id']}/{first['slug']}.html"
    ids = [a["id"] for a in orjson.loads(response.data)["data"]]
    assert response.data == _expected_list(response.data, ["authors", "tags"], None, ids)
