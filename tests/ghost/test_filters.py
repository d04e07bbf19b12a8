"""``filter=`` on posts: each supported field, negation, lists, comparisons, and/or with parentheses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cms.extensions import db
from tests.factories import make_article, make_author
from tests.ghost.conftest import GhostGet


@pytest.fixture
def library() -> None:
    lee, kim = make_author(name="Lee"), make_author(name="Kim")
    make_article(
        title="A",
        slug="a",
        tags=["News"],
        authors=[lee],
        featured=True,
        published_at=datetime(2024, 1, 10, tzinfo=UTC),
    )
    make_article(
        title="B",
        slug="b",
        tags=["News", "Chips"],
        authors=[kim],
        published_at=datetime(2024, 2, 10, tzinfo=UTC),
    )
    make_article(
        title="C",
        slug="c",
        tags=["Chips"],
        authors=[lee, kim],
        published_at=datetime(2024, 3, 10, tzinfo=UTC),
    )
    db.session.commit()  # fmt: skip


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(
    ("nql", "titles"),
    [
        ("tag:news", {"A", "B"}),
        ("tags:chips", {"B", "C"}),
        ("tag:-news", {"C"}),
        ("tag:[news,chips]", {"A", "B", "C"}),
        ("tags:-[news]", {"C"}),
        ("author:lee", {"A", "C"}),
        ("authors:kim+tag:chips", {"B", "C"}),
        ("authors.slug:kim+tags.slug:news", {"B"}),
        ("slug:a,slug:c", {"A", "C"}),
        ("slug:[a,b]+featured:false", {"B"}),
        ("featured:true", {"A"}),
        ("published_at:>'2024-02-10'", {"C"}),
        ("published_at:>='2024-02-10 00:00:00'", {"B", "C"}),
        ("published_at:<'2024-02-01T00:00:00Z'", {"A"}),
        ("published_at:<='2024-02-10'", {"A", "B"}),
        ("visibility:public", {"A", "B", "C"}),
        ("visibility:paid", set()),
        ("(tag:news,author:kim)+featured:false", {"B", "C"}),
        ("tag:news+featured:true,slug:c", {"A", "C"}),
    ],
)
def test_filtering_posts(ghost_get: GhostGet, nql: str, titles: set[str]) -> None:
    response = ghost_get("posts/", filter=nql)
    assert response.status_code == 200, response.get_json()
    assert {post["title"] for post in response.get_json()["posts"]} == titles


@pytest.mark.usefixtures("library")
def test_filtering_by_id(ghost_get: GhostGet) -> None:
    first = ghost_get("posts/", filter="slug:a").get_json()["posts"][0]
    found = ghost_get("posts/", filter=f"id:{first['id']}").get_json()["posts"]
    assert [p["title"] for p in found] == ["A"]
    assert ghost_get("posts/", filter="id:nonsense").get_json()["posts"] == []


@pytest.mark.parametrize("nql", ["featured:maybe", "published_at:>soon", "tag:>news"])
def test_filters_that_cannot_mean_anything_are_refused(ghost_get: GhostGet, nql: str) -> None:
    assert ghost_get("posts/", filter=nql).status_code == 400
