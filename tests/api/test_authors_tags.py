"""Authors and tags: lists with counts of public articles, reads by id and slug, never an email."""

import pytest
from flask.testing import FlaskClient

from cms.content.models import Status
from cms.extensions import db
from tests.factories import make_article, make_author, make_tag, make_user


@pytest.mark.parametrize("plural", ["authors", "tags"])
def test_reads_by_id_and_slug_agree_and_unknown_ones_are_404(client: FlaskClient, plural: str) -> None:
    item = make_author(name="Kai Lee") if plural == "authors" else make_tag(name="Kai Lee")
    db.session.commit()
    by_id = client.get(f"/api/v1/{plural}/{item.uuid}")
    by_slug = client.get(f"/api/v1/{plural}/slug/kai-lee")
    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.get_json() == by_slug.get_json()
    assert by_id.get_json()["data"]["name"] == "Kai Lee"
    for path in (f"/api/v1/{plural}/slug/nobody", f"/api/v1/{plural}/123"):
        response = client.get(path)
        assert (response.status_code, response.mimetype) == (404, "application/problem+json")


def test_article_counts_include_only_public_articles(client: FlaskClient) -> None:
    kai = make_author(name="Kai")
    make_author(name="Idle")
    make_article(authors=[kai], tags=["GPU"])
    make_article(authors=[kai], tags=["GPU"])
    make_article(authors=[kai], tags=["GPU"], status=Status.DRAFT)
    db.session.commit()
    authors = client.get("/api/v1/authors").get_json()["data"]
    assert {a["name"]: a["article_count"] for a in authors} == {"Idle": 0, "Kai": 2}
    tag = client.get("/api/v1/tags/slug/gpu").get_json()["data"]
    assert tag["article_count"] == 2


def test_an_author_linked_to_a_user_never_shows_the_email(client: FlaskClient) -> None:
    user = make_user(email="kai@example.org")
    make_author(name="Kai", user_id=user.id)
    db.session.commit()
    text = client.get("/api/v1/authors").get_data(as_text=True)
    assert "kai@example.org" not in text
    assert "email" not in text


def test_tag_lists_are_paginated_by_name(client: FlaskClient) -> None:
    for name in ["c", "a", "b"]:
        make_tag(name=name)
    db.session.commit()
    body = client.get("/api/v1/tags?limit=2").get_json()
    assert [t["name"] for t in body["data"]] == ["a", "b"]
    assert body["meta"]["pagination"]["next"] == 2
