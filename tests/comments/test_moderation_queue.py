"""The moderation queue in /admin: tabs per status, actions on one comment or many, replies as staff."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from cms.auth.models import Role
from cms.comments.models import Comment, CommentStatus
from cms.content.models import Article
from cms.extensions import db
from tests.comments.calls import post_comment, thread
from tests.comments.conftest import SignedIn
from tests.factories import make_comment

SignIn = Callable[..., SignedIn]


def page_csrf(client: FlaskClient, url: str = "/admin/comments") -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "the page has a CSRF token"
    return match.group(1)


def status_of(comment: Comment) -> CommentStatus:
    db.session.expire(comment)
    return comment.status


def tab_sizes(page: str) -> dict[str, int]:
    return {
        name.lower(): int(size) for name, size in re.findall(r'(\w+) <span class="badge">(\d+)</span>', page)
    }


def test_a_visitors_comment_shows_in_the_pending_tab_with_its_email(
    client: FlaskClient, article: Article, sign_in: SignIn
) -> None:
    post_comment(client, article, body="Waiting <i>patiently</i>", author_email="ada@example.org")
    make_comment(article, author_name="Already shown")
    make_comment(article, author_name="Junk seller", status=CommentStatus.SPAM)
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)

    page = editor.get("/admin/comments").get_data(as_text=True)

    assert "Waiting <i>patiently</i>" in page
    assert "ada@example.org" in page
    assert article.title in page
    assert "Already shown" not in page and "Junk seller" not in page
    assert tab_sizes(page) == {"pending": 1, "approved": 1, "spam": 1, "trash": 0}
    assert "Junk seller" in editor.get("/admin/comments?status=spam").get_data(as_text=True)
    # An unknown tab falls back to the pending queue rather than failing.
    assert "Waiting" in editor.get("/admin/comments?status=bogus").get_data(as_text=True)


def test_approving_one_comment_publishes_it(client: FlaskClient, article: Article, sign_in: SignIn) -> None:
    comment = make_comment(article, author_name="Ada", status=CommentStatus.PENDING)
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)

    answer = editor.post(
        f"/admin/comments?action=approve&id={comment.uuid}",
        data={"csrf_token": page_csrf(editor), "back": "/admin/comments?status=pending"},
    )

    assert answer.status_code == 302 and answer.location.endswith("/admin/comments?status=pending")
    assert status_of(comment) is CommentStatus.APPROVED
    assert [t["author_name"] for t in thread(client, article)] == ["Ada"]
    assert "Approve: 1 comment." in editor.get(answer.location).get_data(as_text=True)


def test_bulk_actions_spam_trash_restore_and_delete(article: Article, sign_in: SignIn) -> None:
    first, second, third = (make_comment(article, status=CommentStatus.PENDING) for _ in range(3))
    db.session.commit()
    editor, _, _ = sign_in(Role.ADMIN)
    token = page_csrf(editor)

    def apply(action: str, *comments: Comment) -> None:
        data = {"csrf_token": token, "action": action, "ids": [str(c.uuid) for c in comments]}
        assert editor.post("/admin/comments", data=data).status_code == 302

    apply("spam", first, second)
    assert [status_of(c) for c in (first, second, third)] == [
        CommentStatus.SPAM, CommentStatus.SPAM, CommentStatus.PENDING,
    ]  # fmt: skip
    apply("trash", second, third)
    assert [status_of(c) for c in (second, third)] == [CommentStatus.TRASH, CommentStatus.TRASH]
    apply("pending", third)
    assert status_of(third) is CommentStatus.PENDING
    # "Delete for good" only removes what is in spam or trash: the pending one stays.
    apply("delete", first, second, third)
    assert db.session.scalars(db.select(Comment.uuid)).all() == [third.uuid]


def test_deleting_a_comment_for_good_takes_its_replies_with_it(article: Article, sign_in: SignIn) -> None:
    root = make_comment(article, status=CommentStatus.SPAM)
    make_comment(article, parent=root)
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)

    token = page_csrf(editor, "/admin/comments?status=spam")
    editor.post(f"/admin/comments?action=delete&id={root.uuid}", data={"csrf_token": token})

    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_nothing_ticked_or_an_unknown_action_is_explained(article: Article, sign_in: SignIn) -> None:
    make_comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)
    token = page_csrf(editor)

    nothing = editor.post("/admin/comments", data={"csrf_token": token, "action": "approve"})
    assert "Select at least one comment." in editor.get(nothing.location).get_data(as_text=True)
    unknown = editor.post("/admin/comments", data={"csrf_token": token, "action": "explode", "ids": ["x"]})
    assert unknown.status_code == 400
    assert "Choose one of the actions offered." in unknown.get_data(as_text=True)


def test_moderation_needs_the_csrf_token(article: Article, sign_in: SignIn) -> None:
    comment = make_comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)

    answer = editor.post("/admin/comments", data={"action": "approve", "ids": [str(comment.uuid)]})
    forged = editor.post(
        "/admin/comments", data={"csrf_token": "forged", "action": "approve", "ids": [str(comment.uuid)]}
    )

    assert answer.status_code == forged.status_code == 400
    assert status_of(comment) is CommentStatus.PENDING


def test_a_redirect_back_goes_only_to_the_queue(article: Article, sign_in: SignIn) -> None:
    comment = make_comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)

    answer = editor.post(
        f"/admin/comments?action=approve&id={comment.uuid}",
        data={"csrf_token": page_csrf(editor), "back": "https://evil.example/admin/comments"},
    )

    assert answer.location == "/admin/comments"


def test_authors_and_readers_cannot_moderate(article: Article, sign_in: SignIn) -> None:
    comment = make_comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    author, _, _ = sign_in(Role.AUTHOR)
    reader, _, _ = sign_in(Role.READER)

    assert author.get("/admin/comments").status_code == 403
    assert "/admin/comments" not in author.get("/admin/").get_data(as_text=True)
    token = page_csrf(author, "/admin/")
    refused = author.post(
        "/admin/comments", data={"csrf_token": token, "action": "approve", "ids": [str(comment.uuid)]}
    )
    assert refused.status_code == 403
    assert reader.get("/admin/comments").status_code == 403
    anonymous = reader.application.test_client().get("/admin/comments")
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    assert status_of(comment) is CommentStatus.PENDING


def test_a_staff_reply_is_published_at_once_and_approves_the_comment_it_answers(
    client: FlaskClient, article: Article, sign_in: SignIn
) -> None:
    question = make_comment(
        article, author_name="Ada", body="Is this <b>true</b>?", status=CommentStatus.PENDING
    )
    db.session.commit()
    editor, user, _ = sign_in(Role.EDITOR)
    url = f"/admin/comments/{question.uuid}/reply"

    form = editor.get(url).get_data(as_text=True)
    assert "Is this <b>true</b>?" in form and "Replying approves this comment too." in form
    answer = editor.post(url, data={"csrf_token": page_csrf(editor, url), "body": "Yes, <em>checked</em>."})

    assert answer.status_code == 302
    [shown] = thread(client, article)
    assert shown["author_name"] == "Ada"
    [reply] = shown["replies"]
    assert reply["author_name"] == user.username
    assert reply["html"] == "<p>Yes, <em>checked</em>.</p>"
    assert "Your reply is published." in editor.get(answer.location).get_data(as_text=True)


def test_an_empty_staff_reply_is_refused_on_the_form(article: Article, sign_in: SignIn) -> None:
    question = make_comment(article)
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)
    url = f"/admin/comments/{question.uuid}/reply"

    answer = editor.post(url, data={"csrf_token": page_csrf(editor, url), "body": ""})

    assert answer.status_code == 200
    assert "This field is required." in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1
    assert editor.get("/admin/comments/not-an-id/reply").status_code == 404
