"""Posting a comment from a frontend: what is accepted, what is refused, and what status it gets."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.auth.models import Role
from cms.comments.models import Comment, CommentStatus
from cms.content.models import Article, Status
from cms.extensions import db
from tests.comments.calls import comments_url, post_comment, thread
from tests.comments.conftest import SignedIn
from tests.factories import make_article


@pytest.fixture
def moderation(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    return lambda mode: monkeypatch.setitem(app.config, "COMMENTS_MODERATION", mode)


def approve_all() -> None:
    for comment in db.session.scalars(db.select(Comment)):
        comment.status = CommentStatus.APPROVED
    db.session.commit()


def test_a_visitor_posts_a_comment_that_waits_for_moderation(client: FlaskClient, article: Article) -> None:
    response = post_comment(client, article, body="Interesting *read*.", author_url="https://ada.example.org")

    assert response.status_code == 201
    data = response.json["data"]
    assert data["status"] == "pending"
    assert data["author_name"] == "Ada"
    assert data["author_url"] == "https://ada.example.org"
    assert data["html"] == "<p>Interesting *read*.</p>"
    assert data["upvotes"] == data["downvotes"] == 0
    assert data["created_at"].endswith("Z")
    assert thread(client, article) == []


def test_neither_email_nor_ip_ever_reaches_public_output(
    client: FlaskClient, article: Article, moderation: Callable[[str], None]
) -> None:
    moderation("none")
    posted = post_comment(client, article, author_email="Secret.Person@Example.org")
    listed = client.get(comments_url(article))
    stored = db.session.scalar(db.select(Comment))

    for response in (posted, listed):
        text = response.get_data(as_text=True).lower()
        assert "secret.person@example.org" not in text
        assert "127.0.0.1" not in text
        assert stored.ip_hash not in text
        assert "email" not in json.dumps(response.json) and "ip" not in _keys(response.json)
    assert stored.author_email == "secret.person@example.org"
    assert "127.0.0.1" not in stored.ip_hash


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_comments_closed_on_the_article_are_refused(client: FlaskClient) -> None:
    closed = make_article(comments_enabled=False)
    db.session.commit()

    response = post_comment(client, closed)

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "closed" in response.json["detail"]


@pytest.mark.parametrize(
    "article_state",
    [{"status": Status.DRAFT, "published_at": None}, {"deleted": True}],
    ids=["draft", "trashed"],
)
def test_no_comments_on_articles_the_public_cannot_see(
    client: FlaskClient, article_state: dict[str, Any]
) -> None:
    from cms.db import utcnow

    deleted = article_state.pop("deleted", False)
    hidden = make_article(**article_state)
    if deleted:
        hidden.deleted_at = utcnow()
    db.session.commit()

    assert post_comment(client, hidden).status_code == 404
    assert client.get(comments_url(hidden)).status_code == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n\n  "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"author_email": "not-an-address"}, "author_email"),
        ({"author_email": None}, "author_email"),
        ({"author_name": None}, "author_name"),
        ({"author_name": "  "}, "author_name"),
        ({"author_url": "javascript:alert(1)"}, "author_url"),
        ({"author_url": "ftp://files.example.org"}, "author_url"),
        ({"author_url": "not a url"}, "author_url"),
        ({"body": 42}, "body"),
        ({"parent_id": "not-a-uuid"}, "parent_id"),
    ],
    ids=[
        "empty-body", "blank-body", "body-of-5001", "bad-email", "no-email", "no-name", "blank-name",
        "javascript-url", "ftp-url", "not-a-url", "body-not-a-string", "parent-not-an-id",
    ],
)  # fmt: skip
def test_invalid_fields_are_refused_naming_the_field(
    client: FlaskClient, article: Article, fields: dict[str, Any], field: str
) -> None:
    response = post_comment(client, article, **fields)

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert [error["field"] for error in response.json["errors"]] == [field]
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_a_body_of_exactly_5000_characters_is_accepted(client: FlaskClient, article: Article) -> None:
    assert post_comment(client, article, body="x" * 5000).status_code == 201


def test_unknown_fields_and_non_json_bodies_are_refused(client: FlaskClient, article: Article) -> None:
    assert post_comment(client, article, is_admin=True).status_code == 400
    form = client.post(
        comments_url(article), data={"body": "hi", "author_name": "A", "author_email": "a@b.org"}
    )
    assert form.status_code == 415


def test_a_reply_must_answer_an_approved_comment_on_the_same_article(
    client: FlaskClient, article: Article, moderation: Callable[[str], None]
) -> None:
    moderation("all")
    elsewhere = make_article()
    db.session.commit()
    pending_id = post_comment(client, article, body="Still pending").json["data"]["id"]
    other_id = post_comment(client, elsewhere, body="On another article").json["data"]["id"]
    approve_all()
    post_comment(client, article, body="Pending again", author_email="new@example.org")
    still_pending = db.session.scalar(db.select(Comment).where(Comment.status == CommentStatus.PENDING))

    for parent_id in (other_id, str(still_pending.uuid), "00000000-0000-4000-8000-000000000000"):
        response = post_comment(client, article, body="A reply", parent_id=parent_id)
        assert response.status_code == 400
        assert response.json["errors"][0]["field"] == "parent_id"
    reply = post_comment(client, article, body="A reply", parent_id=pending_id)
    assert reply.status_code == 201
    assert reply.json["data"]["parent_id"] == pending_id


class TestModerationModes:
    def test_all_holds_every_comment(
        self, client: FlaskClient, article: Article, moderation: Callable[[str], None]
    ) -> None:
        moderation("all")
        post_comment(client, article, body="First")
        approve_all()

        assert post_comment(client, article, body="Second").json["data"]["status"] == "pending"

    def test_first_holds_a_commenter_until_one_comment_is_approved(
        self, client: FlaskClient, article: Article, moderation: Callable[[str], None]
    ) -> None:
        moderation("first")
        assert post_comment(client, article, body="First").json["data"]["status"] == "pending"
        assert post_comment(client, article, body="Second").json["data"]["status"] == "pending"
        approve_all()

        assert post_comment(client, article, body="Third").json["data"]["status"] == "approved"
        # Matched by address, whatever its case; another address starts again.
        upper = post_comment(client, article, body="Fourth", author_email="ADA@example.org")
        assert upper.json["data"]["status"] == "approved"
        other = post_comment(client, article, body="Fifth", author_email="bob@example.org")
        assert other.json["data"]["status"] == "pending"

    def test_none_publishes_at_once(
        self, client: FlaskClient, article: Article, moderation: Callable[[str], None]
    ) -> None:
        moderation("none")
        response = post_comment(client, article)

        assert response.json["data"]["status"] == "approved"
        assert [c["id"] for c in thread(client, article)] == [response.json["data"]["id"]]

    def test_is_first_by_default(self, app: Flask) -> None:
        assert app.config["COMMENTS_MODERATION"] == "first"


class TestSignedInCommenters:
    def test_a_confirmed_user_may_leave_out_name_and_email(
        self, article: Article, sign_in: Callable[..., SignedIn]
    ) -> None:
        client, user, headers = sign_in()

        response = post_comment(client, article, author_name=None, author_email=None, headers=headers)

        assert response.status_code == 201, response.json
        assert response.json["data"]["author_name"] == user.username
        stored = db.session.scalar(db.select(Comment))
        assert stored.author_email == user.email
        assert stored.user_id == user.id

    def test_an_unconfirmed_user_must_give_them(
        self, article: Article, sign_in: Callable[..., SignedIn]
    ) -> None:
        client, _, headers = sign_in(email_confirmed_at=None)

        response = post_comment(client, article, author_name=None, author_email=None, headers=headers)

        assert response.status_code == 400
        assert response.json["errors"][0]["field"] == "author_name"

    def test_the_session_needs_the_csrf_header(
        self, article: Article, sign_in: Callable[..., SignedIn]
    ) -> None:
        client, _, _ = sign_in()

        assert post_comment(client, article, author_name=None, author_email=None).status_code == 403

    def test_moderators_comments_are_published_at_once(
        self, article: Article, sign_in: Callable[..., SignedIn], moderation: Callable[[str], None]
    ) -> None:
        moderation("all")
        client, _, headers = sign_in(Role.EDITOR)

        response = post_comment(client, article, author_name=None, author_email=None, headers=headers)

        assert response.json["data"]["status"] == "approved"
        article_json = client.get(f"/api/v1/articles/{article.uuid}").json["data"]
        assert article_json["comment_count"] == 1
