"""A signed-in reader may edit or delete their own comment, for 15 minutes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.comments import service
from cms.comments.models import Comment, CommentStatus
from cms.content.models import Article
from cms.db import utcnow
from cms.errors import Forbidden
from cms.extensions import db
from tests.comments.calls import post_comment, thread
from tests.comments.conftest import SignedIn
from tests.factories import make_comment, make_user


@pytest.fixture(autouse=True)
def _no_moderation(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "COMMENTS_MODERATION", "none")


@pytest.fixture
def my_comment(article: Article, sign_in: Callable[..., SignedIn]) -> tuple[FlaskClient, dict[str, str], str]:
    client, _, headers = sign_in()
    response = post_comment(
        client, article, body="First thought", author_name=None, author_email=None, headers=headers
    )
    assert response.status_code == 201
    return client, headers, response.json["data"]["id"]


def patch(client: FlaskClient, id: str, headers: dict[str, str], **body: Any):  # type: ignore[no-untyped-def]
    return client.patch(f"/api/v1/comments/{id}", json=body, headers=headers)


def backdate(id: str, minutes: int) -> None:
    """Move the comment into the past: the clock a test controls."""
    comment = db.session.scalar(db.select(Comment).where(Comment.uuid == uuid.UUID(id)))
    comment.created_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


def test_a_reader_edits_their_comment(
    client: FlaskClient, article: Article, my_comment: tuple[Any, ...]
) -> None:
    mine, headers, id = my_comment

    response = patch(mine, id, headers, body="Second <em>thought</em>")

    assert response.status_code == 200
    assert response.json["data"]["html"] == "<p>Second <em>thought</em></p>"
    assert "author_email" not in response.json["data"]
    assert thread(client, article)[0]["html"] == "<p>Second <em>thought</em></p>"


def test_an_edit_that_adds_spam_sends_the_comment_back_to_moderation(
    client: FlaskClient, article: Article, my_comment: tuple[Any, ...]
) -> None:
    mine, headers, id = my_comment

    response = patch(mine, id, headers, body="https://a.example https://b.example https://c.example")

    assert response.json["data"]["status"] == "pending"
    assert thread(client, article) == []


def test_a_reader_deletes_their_comment(
    client: FlaskClient, article: Article, my_comment: tuple[Any, ...]
) -> None:
    mine, headers, id = my_comment

    assert mine.delete(f"/api/v1/comments/{id}", headers=headers).status_code == 204
    assert thread(client, article) == []
    assert client.get(f"/api/v1/articles/{article.uuid}").json["data"]["comment_count"] == 0
    assert mine.delete(f"/api/v1/comments/{id}", headers=headers).status_code == 404


def test_after_15_minutes_the_comment_stays_as_it_is(my_comment: tuple[Any, ...]) -> None:
    mine, headers, id = my_comment
    backdate(id, 14)
    assert patch(mine, id, headers, body="Still in time").status_code == 200

    backdate(id, 16)

    late = patch(mine, id, headers, body="Too late")
    assert late.status_code == 403
    assert "15 minutes" in late.json["detail"]
    assert mine.delete(f"/api/v1/comments/{id}", headers=headers).status_code == 403


def test_the_window_is_measured_on_the_clock_given(article: Article) -> None:
    user = make_user()
    comment = make_comment(article, user_id=user.id, created_at=utcnow())

    service.edit_own_comment(comment, user=user, body="ok", now=comment.created_at + timedelta(minutes=15))
    with pytest.raises(Forbidden):
        service.edit_own_comment(
            comment, user=user, body="no", now=comment.created_at + timedelta(minutes=15, seconds=1)
        )


def test_nobody_else_may_touch_it(
    app: Flask, client: FlaskClient, my_comment: tuple[Any, ...], sign_in: Callable[..., SignedIn]
) -> None:
    _, _, id = my_comment
    other, _, other_headers = sign_in()

    assert patch(other, id, other_headers, body="Hijacked").status_code == 403
    assert other.delete(f"/api/v1/comments/{id}", headers=other_headers).status_code == 403
    assert patch(client, id, {}, body="Anonymous").status_code == 401
    assert client.delete(f"/api/v1/comments/{id}").status_code == 401


def test_changes_need_the_csrf_header(my_comment: tuple[Any, ...]) -> None:
    mine, _, id = my_comment

    assert patch(mine, id, {}, body="Forged").status_code == 403
    assert mine.delete(f"/api/v1/comments/{id}").status_code == 403


def test_a_reader_cannot_moderate(my_comment: tuple[Any, ...]) -> None:
    mine, headers, id = my_comment

    assert patch(mine, id, headers, status="approved").status_code == 403
    assert db.session.scalar(db.select(Comment.status)) is CommentStatus.APPROVED


class Clock:
    """The time the comment rules read, moved by the test."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def test_the_15_minutes_run_on_the_clock_over_the_api(
    article: Article, sign_in: Callable[..., SignedIn], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(service, "utcnow", clock)
    mine, _, headers = sign_in()
    posted = post_comment(mine, article, body="Typo", author_name=None, author_email=None, headers=headers)
    id = posted.json["data"]["id"]

    clock.advance(minutes=14, seconds=59)
    fixed = patch(mine, id, headers, body="Fixed typo")
    assert fixed.status_code == 200
    assert fixed.json["data"]["html"] == "<p>Fixed typo</p>"
    clock.advance(seconds=2)
    assert patch(mine, id, headers, body="Second thoughts").status_code == 403
    assert mine.delete(f"/api/v1/comments/{id}", headers=headers).status_code == 403
    [shown] = thread(mine, article)
    assert shown["html"] == "<p>Fixed typo</p>"
