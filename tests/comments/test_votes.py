"""Up and down votes: one per voter, changed by voting again, withdrawn with 0."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from cms.comments.models import Comment, CommentStatus, CommentVote
from cms.comments.visitors import VOTER_COOKIE
from cms.content.models import Article, Status
from cms.extensions import db
from tests.comments.calls import comments_url, thread
from tests.comments.conftest import SignedIn
from tests.factories import make_article, make_comment


def vote(client: FlaskClient, comment: Comment, value: object, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/comments/{comment.uuid}/votes", json={"value": value}, headers=headers or {})


def totals(
    client: FlaskClient, comment: Comment, value: int, headers: dict[str, str] | None = None
) -> tuple[int, int]:
    response = vote(client, comment, value, headers)
    assert response.status_code == 200, response.json
    return response.json["upvotes"], response.json["downvotes"]


def test_a_visitor_votes_changes_the_vote_and_withdraws_it(client: FlaskClient, article: Article) -> None:
    comment = make_comment(article)
    db.session.commit()

    assert totals(client, comment, 1) == (1, 0)
    assert totals(client, comment, 1) == (1, 0)
    assert totals(client, comment, -1) == (0, 1)
    assert totals(client, comment, 0) == (0, 0)
    assert totals(client, comment, 0) == (0, 0)
    assert db.session.scalar(db.select(db.func.count(CommentVote.id))) == 0


def test_the_visitor_is_known_by_a_signed_cookie(app: Flask, client: FlaskClient, article: Article) -> None:
    comment = make_comment(article)
    db.session.commit()

    first = vote(client, comment, 1)
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(f"{VOTER_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert totals(client, comment, 1) == (1, 0)
    # A second browser is a second voter; a forged cookie is no one's and starts afresh.
    assert totals(app.test_client(), comment, 1) == (2, 0)
    forger = app.test_client()
    forger.set_cookie(VOTER_COOKIE, client.get_cookie(VOTER_COOKIE, path="/api/v1").value + "x")
    assert totals(forger, comment, -1) == (2, 1)


def test_the_same_cookie_from_another_address_is_another_voter(app: Flask, article: Article) -> None:
    comment = make_comment(article)
    db.session.commit()
    home = app.test_client()
    vote(home, comment, 1)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    elsewhere.set_cookie(VOTER_COOKIE, home.get_cookie(VOTER_COOKIE, path="/api/v1").value)

    assert totals(elsewhere, comment, 1) == (2, 0)


def test_a_signed_in_user_has_one_vote_in_any_browser(
    article: Article, sign_in: Callable[..., SignedIn], app: Flask
) -> None:
    from tests.comments.calls import csrf_token
    from tests.comments.conftest import signed_in

    comment = make_comment(article)
    db.session.commit()
    client, user, headers = sign_in()
    assert totals(client, comment, 1, headers) == (1, 0)
    other_browser = signed_in(app, user)

    assert totals(other_browser, comment, -1, {"X-CSRF-Token": csrf_token(other_browser)}) == (0, 1)
    assert vote(client, comment, 1).status_code == 403  # the session needs its CSRF header


def test_votes_show_in_the_thread(client: FlaskClient, article: Article) -> None:
    comment = make_comment(article)
    db.session.commit()
    vote(client, comment, -1)

    assert (thread(client, article)[0]["upvotes"], thread(client, article)[0]["downvotes"]) == (0, 1)


def test_only_published_comments_take_votes(client: FlaskClient, article: Article) -> None:
    pending = make_comment(article, status=CommentStatus.PENDING)
    db.session.commit()

    assert vote(client, pending, 1).status_code == 404
    assert client.post("/api/v1/comments/nope/votes", json={"value": 1}).status_code == 404


def test_comments_of_an_article_taken_offline_take_no_votes(client: FlaskClient) -> None:
    unpublished = make_article()
    comment = make_comment(unpublished)
    unpublished.status = Status.DRAFT
    db.session.commit()

    assert vote(client, comment, 1).status_code == 404
    db.session.expire_all()
    assert (comment.upvotes, comment.downvotes) == (0, 0)


def test_the_thread_is_revalidated_so_a_new_vote_shows_on_reload(
    client: FlaskClient, article: Article
) -> None:
    comment = make_comment(article)
    db.session.commit()
    first = client.get(comments_url(article))
    assert "no-cache" in first.headers["Cache-Control"]
    unchanged = client.get(comments_url(article), headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304

    vote(client, comment, 1)

    changed = client.get(comments_url(article), headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.json["data"][0]["upvotes"] == 1


def test_a_vote_is_1_minus_1_or_0(client: FlaskClient, article: Article) -> None:
    comment = make_comment(article)
    db.session.commit()

    for value in (2, "1", True, None):
        response = vote(client, comment, value)
        assert response.status_code == 400
        assert response.json["errors"][0]["field"] == "value"
