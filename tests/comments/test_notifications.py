"""An article's authors hear about comments waiting for moderation by email, unless they switch it off."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.auth.models import Role, User
from cms.content.models import Article
from cms.extensions import db
from tests.comments.calls import csrf_token, post_comment
from tests.comments.conftest import SignedIn
from tests.factories import make_article, make_author, make_user
from tests.mailbox import Mailbox

SignIn = Callable[..., SignedIn]


def written_by(*users: User, **overrides: object) -> Article:
    article = make_article(
        title="Chinese AI company stockpiled GPUs",
        authors=[make_author(name=user.username, user_id=user.id) for user in users],
        **overrides,
    )
    db.session.commit()
    return article


def test_the_authors_are_emailed_when_a_comment_awaits_moderation(client: FlaskClient, smtp: Mailbox) -> None:
    writer = make_user(role=Role.AUTHOR, email="writer@example.org")
    editor = make_user(role=Role.EDITOR, email="editor@example.org")
    make_user(role=Role.EDITOR, email="bystander@example.org")
    article = written_by(writer, editor)

    answer = post_comment(client, article, author_name="Ada", body="Is the <b>figure</b> right?")

    assert answer.json["data"]["status"] == "pending"
    assert sorted(r for m in smtp.messages for r in m.recipients) == [
        "editor@example.org",
        "writer@example.org",
    ]
    notice = smtp.last("writer@example.org")
    assert notice.subject == 'A comment on "Chinese AI company stockpiled GPUs" awaits moderation'
    assert "Ada commented" in notice.text
    assert "Is the <b>figure</b> right?" in notice.text
    # An author cannot moderate, so only the editor is sent to the queue.
    assert "/admin/comments" not in notice.text
    assert smtp.last("editor@example.org").link("/admin/comments").endswith("/admin/comments?status=pending")


def test_the_reason_a_comment_was_held_is_in_the_notice(
    app: Flask, client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "COMMENTS_MODERATION", "none")
    monkeypatch.setitem(app.config, "COMMENTS_BLOCKLIST", ["casino"])
    writer = make_user(role=Role.AUTHOR)
    article = written_by(writer)

    post_comment(client, article, body="Visit my casino")

    assert "contains the blocked word 'casino'" in smtp.last(writer.email).text


def test_no_email_for_a_comment_published_at_once_or_caught_as_spam(
    app: Flask, client: FlaskClient, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = make_user(role=Role.AUTHOR)
    article = written_by(writer)

    post_comment(client, article, body="Buy now", honeypot="filled by a bot")
    monkeypatch.setitem(app.config, "COMMENTS_MODERATION", "none")
    post_comment(client, article, body="Published straight away")

    assert smtp.messages == []


def test_notices_follow_the_language_of_the_account(client: FlaskClient, smtp: Mailbox) -> None:
    writer = make_user(role=Role.AUTHOR, language="de")
    article = written_by(writer)

    post_comment(client, article)

    assert smtp.last(writer.email).subject.startswith("Ein Kommentar zu")


def test_an_author_switches_notices_off_and_on_from_their_account_page(
    app: Flask, client: FlaskClient, smtp: Mailbox, sign_in: SignIn
) -> None:
    browser, writer, _ = sign_in(Role.AUTHOR)
    article = written_by(writer)
    page = browser.get("/account").get_data(as_text=True)
    assert "Comment notifications" in page
    assert re.search(r'name="notify_comments" value="y" checked', page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token

    # An unticked checkbox is simply left out of the form.
    off = browser.post("/account/notifications", data={"csrf_token": token.group(1)})
    assert off.status_code == 302
    page = browser.get("/account").get_data(as_text=True)
    assert "Emails about comments awaiting moderation are off." in page
    assert not re.search(r'name="notify_comments" value="y" checked', page)
    post_comment(client, article, body="Nobody is told about this one")
    assert smtp.messages == []

    browser.post("/account/notifications", data={"csrf_token": token.group(1), "notify_comments": "y"})
    db.session.expire_all()
    assert writer.notify_comments is True
    post_comment(client, article, body="This one is announced")
    assert "This one is announced" in smtp.last(writer.email).text


def test_the_switch_needs_the_csrf_token_and_a_signed_in_user(client: FlaskClient, sign_in: SignIn) -> None:
    browser, writer, _ = sign_in(Role.AUTHOR)

    refused = browser.post("/account/notifications", data={})

    assert refused.status_code == 400
    db.session.expire_all()
    assert writer.notify_comments is True
    anonymous = client.post("/account/notifications", data={"csrf_token": csrf_token(client)})
    assert anonymous.status_code == 302 and "/login" in anonymous.location


def test_readers_are_not_offered_a_switch_they_have_no_use_for(sign_in: SignIn) -> None:
    reader, _, _ = sign_in(Role.READER)

    assert "Comment notifications" not in reader.get("/account").get_data(as_text=True)
