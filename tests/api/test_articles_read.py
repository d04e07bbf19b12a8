"""A frontend reads published articles: lists, filters, pages, single reads."""

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from cms.content.models import Status
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article, make_author


def publish_series(count: int) -> list:
    now = utcnow()
    articles = [
        make_article(title=f"Story {i:02d}", published_at=now - timedelta(hours=i)) for i in range(count)
    ]
    db.session.commit()
    return articles


def test_the_list_holds_only_public_articles_newest_first(client: FlaskClient) -> None:
    make_article(title="Old", published_at=utcnow() - timedelta(days=2))
    make_article(title="New", published_at=utcnow() - timedelta(hours=1))
    make_article(title="Draft", status=Status.DRAFT)
    make_article(title="Tomorrow", status=Status.SCHEDULED, published_at=utcnow() + timedelta(days=1))
    db.session.commit()
    body = client.get("/api/v1/articles").get_json()
    assert [a["title"] for a in body["data"]] == ["New", "Old"]
    assert body["meta"]["pagination"] == {
        "page": 1,
        "limit": 15,
        "pages": 1,
        "total": 2,
        "next": None,
        "prev": None,
        "next_cursor": None,
    }


def test_list_items_carry_the_documented_fields_but_not_html(client: FlaskClient) -> None:
    make_article(
        title="Seed",
        markdown="Body text",
        feature_image_url="https://img.example/gpu.jpg",
        feature_image_alt="GPUs",
        feature_image_caption="Stacked GPUs",
        tags=["KI"],
    )
    db.session.commit()
    item = client.get("/api/v1/articles").get_json()["data"][0]
    assert "html" not in item
    assert "authors" not in item  # relations come with include=
    assert item["feature_image"] == {
        "url": "https://img.example/gpu.jpg",
        "alt": "GPUs",
        "caption": "Stacked GPUs",
    }
    assert item["url"] == "http://cms.test/seed/"
    assert item["published_at"].endswith("Z") and item["updated_at"].endswith("Z")
    assert item["reading_time"] == 1


def test_include_embeds_authors_and_tags_with_primaries(client: FlaskClient) -> None:
    make_article(authors=[make_author(name="Kai"), make_author(name="Lee")], tags=["GPU", "China"])
    db.session.commit()
    item = client.get("/api/v1/articles?include=authors,tags").get_json()["data"][0]
    assert [a["name"] for a in item["authors"]] == ["Kai", "Lee"]
    assert item["primary_author"]["name"] == "Kai"
    assert [t["name"] for t in item["tags"]] == ["GPU", "China"]
    assert item["primary_tag"]["slug"] == "gpu"
    assert "email" not in str(item)


def test_fields_limits_the_output_and_can_ask_for_html(client: FlaskClient) -> None:
    make_article(markdown="*hi*")
    db.session.commit()
    item = client.get("/api/v1/articles?fields=id,title,html").get_json()["data"][0]
    assert set(item) == {"id", "title", "html"}
    assert item["html"] == "<p><em>hi</em></p>\n"


def test_pages_link_to_each_other(client: FlaskClient) -> None:
    publish_series(5)
    response = client.get("/api/v1/articles?limit=2&page=2")
    body = response.get_json()
    assert [a["title"] for a in body["data"]] == ["Story 02", "Story 03"]
    pagination = body["meta"]["pagination"]
    assert pagination | {"next_cursor": "..."} == {
        "page": 2, "limit": 2, "pages": 3, "total": 5, "next": 3, "prev": 1, "next_cursor": "...",
    }  # fmt: skip
    assert response.headers["Link"] == (
        '<http://cms.test/api/v1/articles?limit=2&page=3>; rel="next", '
        '<http://cms.test/api/v1/articles?limit=2&page=1>; rel="prev"'
    )


def test_a_page_past_the_end_is_empty_not_an_error(client: FlaskClient) -> None:
    publish_series(2)
    body = client.get("/api/v1/articles?page=9").get_json()
    assert body["data"] == []
    assert body["meta"]["pagination"]["total"] == 2


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("published_at desc", ["Story 00", "Story 01", "Story 02"]),
        ("published_at asc", ["Story 02", "Story 01", "Story 00"]),
        ("title desc", ["Story 02", "Story 01", "Story 00"]),
        ("title asc", ["Story 00", "Story 01", "Story 02"]),
    ],
)
def test_order(client: FlaskClient, order: str, expected: list[str]) -> None:
    publish_series(3)
    body = client.get("/api/v1/articles", query_string={"order": order}).get_json()
    assert [a["title"] for a in body["data"]] == expected


def test_filters_by_tag_author_language_and_featured(client: FlaskClient) -> None:
    kai = make_author(name="Kai", slug="kai")
    make_article(title="A", tags=["GPU"], authors=[kai], language="de", featured=True)
    make_article(title="B", tags=["GPU"], language="en")
    make_article(title="C", tags=["Politik"], authors=[kai], language="de")
    db.session.commit()

    def titles(**params: str) -> set[str]:
        return {a["title"] for a in client.get("/api/v1/articles", query_string=params).get_json()["data"]}

    assert titles(tag="gpu") == {"A", "B"}
    assert titles(author="kai") == {"A", "C"}
    assert titles(language="de") == {"A", "C"}
    assert titles(featured="true") == {"A"}
    assert titles(featured="false") == {"B", "C"}
    assert titles(tag="gpu", author="kai") == {"A"}
    assert titles(tag="nothing") == set()


def test_search_finds_words_in_title_excerpt_and_body(client: FlaskClient) -> None:
    make_article(title="Nvidia hortet", markdown="Chips aus Taiwan")
    make_article(title="Other", excerpt="Über Grafikkarten", markdown="nothing")
    make_article(title="Third", markdown="Die **Grafikkarten** von 01.AI")
    db.session.commit()

    def titles(q: str) -> set[str]:
        return {a["title"] for a in client.get("/api/v1/articles", query_string={"q": q}).get_json()["data"]}

    assert titles("nvidia") == {"Nvidia hortet"}
    assert titles("grafikkarten") == {"Other", "Third"}
    assert titles("taiwan chips") == {"Nvidia hortet"}
    assert titles("100%") == set()


def test_search_pages_count_and_order_only_public_matches(client: FlaskClient) -> None:
    for n, days in enumerate([5, 1, 3, 2, 4]):
        make_article(
            title=f"Reportage {'EDCBA'[n]}", published_at=utcnow() - timedelta(days=days), tags=["Bahn"]
        )
    make_article(title="Reportage draft", status=Status.DRAFT)
    make_article(title="Reportage later", published_at=utcnow() + timedelta(days=1))
    make_article(title="Something else", tags=["Bahn"])
    db.session.commit()

    def page(**args: object) -> tuple[list[str], dict[str, object]]:
        body = client.get("/api/v1/articles", query_string={"q": "reportage", "limit": 2, **args}).get_json()
        return [a["title"] for a in body["data"]], body["meta"]["pagination"]

    first, meta = page()
    assert first == ["Reportage D", "Reportage B"]  # newest first
    assert (meta["total"], meta["pages"], meta["next"]) == (5, 3, 2)
    assert page(page=3)[0] == ["Reportage E"]
    assert page(order="title asc")[0] == ["Reportage A", "Reportage B"]
    assert page(order="title desc", page=2)[0] == ["Reportage C", "Reportage B"]
    beyond, meta = page(page=9)
    assert (beyond, meta["total"]) == ([], 5)
    assert page(tag="bahn", limit=10)[1]["total"] == 5


@pytest.mark.parametrize("facet", ["tag", "author"])
def test_a_tag_or_author_page_lists_its_public_articles_by_date(client: FlaskClient, facet: str) -> None:
    kai = make_author(name="Kai")
    for days in (4, 1, 3, 2):
        make_article(
            title=f"{days} days ago",
            published_at=utcnow() - timedelta(days=days),
            tags=["Bahn"],
            authors=[kai],
        )
    make_article(title="draft", status=Status.DRAFT, tags=["Bahn"], authors=[kai])
    make_article(title="tomorrow", published_at=utcnow() + timedelta(days=1), tags=["Bahn"], authors=[kai])
    make_article(title="trashed", tags=["Bahn"], authors=[kai]).deleted_at = utcnow()
    make_article(title="elsewhere", tags=["Auto"])
    moved = make_article(
        title="moved", published_at=utcnow() - timedelta(days=9), tags=["Bahn"], authors=[kai]
    )
    db.session.commit()
    moved.published_at = utcnow() - timedelta(hours=12)  # re-dated: its links follow
    db.session.commit()
    value = "bahn" if facet == "tag" else kai.slug

    def titles(**args: object) -> list[str]:
        body = client.get("/api/v1/articles", query_string={facet: value, "limit": 2, **args}).get_json()
        assert body["meta"]["pagination"]["total"] == 5
        return [a["title"] for a in body["data"]]

    assert titles() == ["moved", "1 days ago"]
    assert titles(page=2) == ["2 days ago", "3 days ago"]
    assert titles(page=3) == ["4 days ago"]
    assert titles(order="published_at asc") == ["4 days ago", "3 days ago"]
    assert titles(order="title asc", page=3) == ["moved"]


def test_search_stems_each_article_in_its_own_language(client: FlaskClient) -> None:
    make_article(title="Die Häuser am Fluss", language="de")
    make_article(title="Running shoes compared", language="en")
    make_article(title="Hausse à la bourse", language="fr")
    db.session.commit()

    def titles(q: str) -> set[str]:
        return {a["title"] for a in client.get("/api/v1/articles", query_string={"q": q}).get_json()["data"]}

    assert titles("hausse") == {"Hausse à la bourse"}  # no configuration of its own: words as written
    if db.engine.dialect.name != "postgresql":
        return  # SQLite's FTS5 matches words as written, in every language
    assert titles("Haus") == {"Die Häuser am Fluss"}  # German stemming: Häuser, Haus
    assert titles("runs") == {"Running shoes compared"}  # English stemming: running, runs -> run


def test_read_by_id_and_by_slug_with_authors_and_tags(client: FlaskClient) -> None:
    article = make_article(title="Seed story", markdown="Body", tags=["KI"])
    db.session.commit()
    by_id = client.get(f"/api/v1/articles/{article.uuid}").get_json()["data"]
    by_slug = client.get("/api/v1/articles/slug/seed-story").get_json()["data"]
    assert by_id == by_slug
    assert by_id["html"] == "<p>Body</p>\n"
    assert by_id["tags"][0]["name"] == "KI"
    assert by_id["primary_author"] is not None


@pytest.mark.parametrize(
    "path",
    ["/api/v1/articles/{draft}", "/api/v1/articles/slug/draft-story", "/api/v1/articles/not-a-uuid",
     "/api/v1/articles/00000000-0000-0000-0000-000000000000"],
)  # fmt: skip
def test_hidden_or_missing_articles_are_404_problems(client: FlaskClient, path: str) -> None:
    draft = make_article(title="Draft story", status=Status.DRAFT)
    db.session.commit()
    response = client.get(path.format(draft=draft.uuid))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404
