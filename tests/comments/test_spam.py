"""Spam defences: the honeypot, the blocklist, too many links, duplicates and rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.comments import service
from cms.comments.models import Comment, CommentStatus
from cms.config import DEFAULTS
from cms.content.models import Article
from cms.db import utcnow
from cms.errors import Conflict
from cms.extensions import db
from tests.comments.calls import post_comment, thread
from tests.factories import make_article


@pytest.fixture(autouse=True)
def _no_moderation(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """With moderation off, anything held back was held by a spam rule."""
    monkeypatch.setitem(app.config, "COMMENTS_MODERATION", "none")


def stored() -> Comment:
    comment = db.session.scalar(db.select(Comment).order_by(Comment.id.desc()))
    assert comment is not None
    return comment


def test_a_filled_honeypot_goes_to_the_spam_queue_without_telling_the_bot(
    client: FlaskClient, article: Article
) -> None:
    response = post_comment(client, article, honeypot="http://cheap.example")

    assert response.status_code == 201
    assert response.json["data"]["status"] == "pending"
    assert stored().status is CommentStatus.SPAM
    assert thread(client, article) == []


def test_an_empty_honeypot_is_fine(client: FlaskClient, article: Article) -> None:
    assert post_comment(client, article, honeypot="").json["data"]["status"] == "approved"


def test_a_blocklisted_word_holds_the_comment_for_a_person(
    app: Flask, client: FlaskClient, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "COMMENTS_BLOCKLIST", ["casino", "Cheap Pills"])

    in_body = post_comment(client, article, body="Best CASINO bonus")
    assert in_body.json["data"]["status"] == "pending"
    assert "casino" in stored().held_reason
    in_name = post_comment(client, article, body="Hello", author_name="cheap pills shop")
    assert in_name.json["data"]["status"] == "pending"
    clean = post_comment(client, article, body="A thoughtful remark")
    assert clean.json["data"]["status"] == "approved"


def test_the_blocklist_is_read_from_a_comma_separated_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cms import create_app

    monkeypatch.setenv("CMS_COMMENTS_BLOCKLIST", "casino, pills ,")
    app = create_app({"SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    assert app.config["COMMENTS_BLOCKLIST"] == ["casino", "pills"]


def test_more_than_two_links_hold_the_comment(client: FlaskClient, article: Article) -> None:
    two = 'See https://a.example and <a href="https://b.example">https://b.example</a>.'
    three = "https://a.example https://b.example www.c.example"

    assert post_comment(client, article, body=two).json["data"]["status"] == "approved"
    assert post_comment(client, article, body=three).json["data"]["status"] == "pending"
    assert stored().held_reason == "3 links (more than 2)"


def test_the_same_comment_twice_from_one_address_is_refused(client: FlaskClient, article: Article) -> None:
    assert post_comment(client, article, body="Same words").status_code == 201

    again = post_comment(client, article, body="  Same words  ", author_email="ADA@example.org")
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    # Someone else may agree in the same words, and Ada may say it under another article.
    assert post_comment(client, article, body="Same words", author_email="bob@example.org").status_code == 201
    assert post_comment(client, make_article(), body="Same words").status_code == 201


def test_a_duplicate_is_only_a_duplicate_for_a_day() -> None:
    fields = {"body": "Once a day", "author_name": "Ada", "author_email": "ada@example.org", "ip_hash": "h"}
    now = utcnow()
    article = make_article(published_at=now - timedelta(days=3))
    service.submit_comment(article, now=now - timedelta(days=1, hours=2), **fields)

    assert (
        service.submit_comment(article, now=now - timedelta(hours=1), **fields).status
        is CommentStatus.APPROVED
    )
    with pytest.raises(Conflict):
        service.submit_comment(article, now=now, **fields)


def test_comments_are_rate_limited_per_address(
    app: Flask, client: FlaskClient, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "COMMENTS_RATE_LIMIT", DEFAULTS["COMMENTS_RATE_LIMIT"])
    per_minute = int(DEFAULTS["COMMENTS_RATE_LIMIT"].split()[0])

    statuses = [
        post_comment(client, article, body=f"Comment {n}", author_email=f"p{n}@example.org").status_code
        for n in range(per_minute + 1)
    ]

    assert statuses == [201] * per_minute + [429]
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    assert post_comment(other_address, article, body="From elsewhere").status_code == 201


def test_comments_are_rate_limited_per_email(
    app: Flask, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "COMMENTS_EMAIL_RATE_LIMIT", DEFAULTS["COMMENTS_EMAIL_RATE_LIMIT"])
    per_minute = int(DEFAULTS["COMMENTS_EMAIL_RATE_LIMIT"].split()[0])
    statuses = []
    for n in range(per_minute + 1):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
        statuses.append(
            post_comment(client, article, body=f"Comment {n}", author_email="Ada@Example.org").status_code
        )

    assert statuses == [201] * per_minute + [429]
    refused = post_comment(client, article, body="Once more", author_email="ada@example.org")
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert "Retry-After" in refused.headers
