"""Cursor pagination: ``after=`` walks a list page by page, as cheaply deep down as at the top."""

from __future__ import annotations

import base64
from datetime import timedelta
from itertools import chain
from typing import Any

import orjson
import pytest
from flask.testing import FlaskClient

from cms.content.models import Article
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article


def walk(client: FlaskClient, url: str) -> list[list[str]]:
    """Every page's titles, following next_cursor from the first page until it is null."""
    pages = []
    body = client.get(url).get_json()
    while True:
        pages.append([a["title"] for a in body["data"]])
        cursor = body["meta"]["pagination"]["next_cursor"]
        if cursor is None:
            return pages
        body = client.get(f"{url}&after={cursor}").get_json()


def test_following_cursors_visits_every_article_once_in_order(client: FlaskClient) -> None:
    now = utcnow()
    for i in range(7):
        make_article(title=f"Story {i}", published_at=now - timedelta(hours=i))
    # Three published at the very same moment: the id breaks the tie, nothing is skipped or repeated.
    same = now - timedelta(minutes=30)
    for name in ("Tie a", "Tie b", "Tie c"):
        make_article(title=name, published_at=same)
    db.session.commit()
    by_offset = [
        [a["title"] for a in client.get(f"/api/v1/articles?limit=3&page={n}").get_json()["data"]]
        for n in range(1, 5)
    ]
    by_cursor = walk(client, "/api/v1/articles?limit=3")
    assert by_cursor == by_offset
    assert sorted(chain.from_iterable(by_cursor)) == sorted(
        [f"Story {i}" for i in range(7)] + ["Tie a", "Tie b", "Tie c"]
    )
    assert by_cursor[0] == ["Story 0", "Tie c", "Tie b"]


@pytest.mark.parametrize("order", ["published_at asc", "title asc", "title desc"])
def test_cursors_follow_every_order_and_filter(client: FlaskClient, order: str) -> None:
    now = utcnow()
    for i, title in enumerate(["Delta", "Alpha", "Echo", "Bravo", "Charlie"]):
        make_article(title=title, tags=["Wanted"], published_at=now - timedelta(hours=i))
    make_article(title="Unwanted", tags=["Other"])
    db.session.commit()
    url = f"/api/v1/articles?limit=2&tag=wanted&order={order.replace(' ', '+')}"
    titles = list(chain.from_iterable(walk(client, url)))
    expected = {
        "published_at asc": ["Charlie", "Bravo", "Echo", "Alpha", "Delta"],
        "title asc": ["Alpha", "Bravo", "Charlie", "Delta", "Echo"],
        "title desc": ["Echo", "Delta", "Charlie", "Bravo", "Alpha"],
    }
    assert titles == expected[order]


def test_a_cursor_page_links_to_the_next_and_says_what_it_knows(client: FlaskClient) -> None:
    now = utcnow()
    for i in range(5):
        make_article(title=f"Story {i}", published_at=now - timedelta(hours=i))
    db.session.commit()
    first = client.get("/api/v1/articles?limit=2&page=1")
    cursor = first.get_json()["meta"]["pagination"]["next_cursor"]
    second = client.get(f"/api/v1/articles?limit=2&after={cursor}")
    body = second.get_json()
    assert [a["title"] for a in body["data"]] == ["Story 2", "Story 3"]
    pagination = body["meta"]["pagination"]
    assert {k: v for k, v in pagination.items() if k != "next_cursor"} == {
        "page": None, "limit": 2, "pages": 3, "total": 5, "next": None, "prev": None,
    }  # fmt: skip
    assert second.headers["Link"] == (
        f'<http://cms.test/api/v1/articles?limit=2&after={pagination["next_cursor"]}>; rel="next"'
    )
    last = client.get(f"/api/v1/articles?limit=2&after={pagination['next_cursor']}")
    assert [a["title"] for a in last.get_json()["data"]] == ["Story 4"]
    assert last.get_json()["meta"]["pagination"]["next_cursor"] is None
    assert "Link" not in last.headers


def test_a_cursor_survives_its_article_being_unpublished(client: FlaskClient) -> None:
    now = utcnow()
    for i in range(4):
        make_article(title=f"Story {i}", published_at=now - timedelta(hours=i))
    db.session.commit()
    cursor = client.get("/api/v1/articles?limit=2").get_json()["meta"]["pagination"]["next_cursor"]
    gone = db.session.scalar(db.select(Article).where(Article.title == "Story 1"))
    db.session.delete(gone)
    db.session.commit()
    after = client.get(f"/api/v1/articles?limit=2&after={cursor}").get_json()
    assert [a["title"] for a in after["data"]] == ["Story 2", "Story 3"]


def _forged(payload: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        _forged({"order": "published_at desc"}),
        _forged(["published_at desc", "yesterday", "0" * 32]),
        _forged(["published_at desc", "2026-01-01T00:00:00", "0" * 32]),  # no time zone
        _forged(["published_at desc", "2026-01-01T00:00:00+00:00", "not-a-uuid"]),
        _forged(["random", "x", "0" * 32]),
        _forged(["title asc", "Alpha", "0" * 32]),  # made for another order
    ],
)
def test_a_bad_cursor_is_a_400_naming_after(client: FlaskClient, cursor: str) -> None:
    response = client.get(f"/api/v1/articles?after={cursor}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert [e["field"] for e in response.get_json()["errors"]] == ["after"]


def test_the_openapi_document_describes_after(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert "next_cursor" in parameters["after"]["description"]
    assert parameters["after"]["in"] == "query"
