"""Reading the comment section: approved comments as threads, oldest first, nested to a maximum depth."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.auth.models import Role
from cms.comments import service
from cms.comments.models import CommentStatus
from cms.content.models import Article
from cms.db import utcnow
from cms.extensions import db
from tests.comments.calls import comments_url, thread
from tests.factories import make_article, make_comment, make_user


def names(threads: list[dict[str, Any]]) -> list[Any]:
    """``[name, [replies...]]`` for each thread: the shape a reader sees."""
    return [[t["author_name"], names(t["replies"])] if t["replies"] else t["author_name"] for t in threads]


def test_the_seed_pages_comment_section_can_be_rendered(client: FlaskClient, article: Article) -> None:
    first = make_comment(
        article, author_name="Ada", body="Have your say!", author_url="https://ada.example.org"
    )
    make_comment(article, author_name="Bob", parent=first, body="Antwort: <b>yes</b>")
    db.session.commit()

    [shown] = thread(client, article)

    assert set(shown) == {
        "id", "parent_id", "author_name", "author_url", "html", "created_at",
        "upvotes", "downvotes", "replies",
    }  # fmt: skip
    assert shown["id"] == str(first.uuid) and shown["parent_id"] is None
    assert (shown["upvotes"], shown["downvotes"]) == (0, 0)
    assert shown["author_url"] == "https://ada.example.org"
    [reply] = shown["replies"]
    assert reply["parent_id"] == str(first.uuid)
    assert reply["html"] == "<p>Antwort: <b>yes</b></p>"
    assert reply["replies"] == []


def test_only_approved_comments_are_shown_oldest_first(client: FlaskClient, article: Article) -> None:
    now = utcnow()
    make_comment(article, author_name="later", created_at=now - timedelta(minutes=1))
    make_comment(article, author_name="earlier", created_at=now - timedelta(minutes=5))
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH):
        make_comment(article, author_name=status.value, status=status)
    make_comment(make_article(), author_name="elsewhere")
    db.session.commit()

    assert names(thread(client, article)) == ["earlier", "later"]


def test_a_reply_to_a_comment_taken_down_moves_up_to_its_nearest_approved_ancestor(
    client: FlaskClient, article: Article
) -> None:
    root = make_comment(article, author_name="root")
    removed = make_comment(article, author_name="removed", parent=root, status=CommentStatus.TRASH)
    make_comment(article, author_name="answer", parent=removed)
    orphan_parent = make_comment(article, author_name="spam", status=CommentStatus.SPAM)
    make_comment(article, author_name="orphan", parent=orphan_parent)
    db.session.commit()

    threads = thread(client, article)

    assert names(threads) == [["root", ["answer"]], "orphan"]
    assert threads[0]["replies"][0]["parent_id"] == str(root.uuid)
    assert threads[1]["parent_id"] is None


@pytest.mark.parametrize(
    ("max_depth", "shape"),
    [
        (5, [["1", [["2", [["3", [["4", ["5"]]]]]]]]]),
        (3, [["1", [["2", ["3", "4", "5"]]]]]),
        (1, ["1", "2", "3", "4", "5"]),
    ],
)
def test_replies_nest_to_the_maximum_depth_then_line_up_at_the_deepest_level(
    app: Flask,
    client: FlaskClient,
    article: Article,
    monkeypatch: pytest.MonkeyPatch,
    max_depth: int,
    shape: list[Any],
) -> None:
    monkeypatch.setitem(app.config, "COMMENTS_MAX_DEPTH", max_depth)
    parent = None
    chain = []
    for n in range(1, 6):
        parent = make_comment(article, author_name=str(n), parent=parent)
        chain.append(parent)
    db.session.commit()

    threads = thread(client, article)

    assert names(threads) == shape
    # However they are laid out, each reply still names the comment it answers.
    flat = _flatten(threads)
    assert [c["parent_id"] for c in flat] == [None, *(str(c.uuid) for c in chain[:-1])]


def _flatten(threads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for t in threads for c in (t, *_flatten(t["replies"]))]


def test_the_default_maximum_depth_is_five(app: Flask) -> None:
    assert app.config["COMMENTS_MAX_DEPTH"] == 5


def test_threads_are_paginated_like_every_other_list(client: FlaskClient, article: Article) -> None:
    now = utcnow()
    roots = [
        make_comment(article, author_name=f"t{n}", created_at=now - timedelta(minutes=10 - n))
        for n in range(3)
    ]
    make_comment(article, author_name="reply", parent=roots[0], created_at=now)
    db.session.commit()

    response = client.get(comments_url(article), query_string={"limit": 2, "page": 1})
    second = client.get(comments_url(article), query_string={"limit": 2, "page": 2})

    assert names(response.json["data"]) == [["t0", ["reply"]], "t1"]
    assert names(second.json["data"]) == ["t2"]
    assert response.json["meta"]["pagination"] == {
        "page": 1, "limit": 2, "pages": 2, "total": 3, "next": 2, "prev": None,
    }  # fmt: skip
    assert 'rel="next"' in response.headers["Link"]
    assert client.get(comments_url(article), query_string={"limit": 0}).status_code == 400


def test_article_json_counts_approved_comments_only(client: FlaskClient, article: Article) -> None:
    editor = make_user(role=Role.EDITOR)
    service.submit_comment(
        article, body="Shown", author_name="A", author_email="a@example.org", ip_hash="h", user=editor
    )
    held = service.submit_comment(
        article, body="Held", author_name="B", author_email="b@example.org", ip_hash="h"
    )
    db.session.commit()

    def count() -> int:
        return client.get(f"/api/v1/articles/{article.uuid}").json["data"]["comment_count"]

    assert count() == 1
    listed = client.get("/api/v1/articles").json["data"]
    assert [a["comment_count"] for a in listed] == [1]
    service.moderate([held], CommentStatus.APPROVED, by=editor)
    db.session.commit()
    assert count() == 2
    service.moderate([held], CommentStatus.TRASH, by=editor)
    db.session.commit()
    assert count() == 1
    assert client.get(comments_url(article)).json["meta"]["comment_count"] == 1


def test_listing_comments_costs_the_same_queries_for_a_small_and_a_large_thread(
    client: FlaskClient, article: Article
) -> None:
    from tests.api.test_query_counts import queries_for

    other = make_article()
    make_comment(other)
    parent = None
    for _ in range(40):
        parent = make_comment(article, parent=parent if parent and parent.id % 3 else None)
    db.session.commit()

    assert queries_for(client, comments_url(other)) == queries_for(client, comments_url(article))


def test_comments_of_an_unknown_article_are_not_found(client: FlaskClient) -> None:
    assert client.get("/api/v1/articles/not-a-uuid/comments").status_code == 404
    assert client.get("/api/v1/articles/00000000-0000-4000-8000-000000000000/comments").status_code == 404
