"""Moderation over JSON: the queue by status and article, and PATCH status, for editors and admins only."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from cms.auth.api_keys import create_api_key
from cms.auth.models import Role
from cms.comments.models import Comment, CommentStatus
from cms.content.models import Article
from cms.extensions import db
from tests.comments.calls import post_comment, thread
from tests.comments.conftest import SignedIn
from tests.factories import make_article, make_comment, make_user

SignIn = Callable[..., SignedIn]


def test_an_editor_lists_the_pending_queue_with_what_a_moderator_needs(
    client: FlaskClient, article: Article, sign_in: SignIn
) -> None:
    post_comment(client, article, body="First <b>post</b>", author_email="Ada@Example.org")
    make_comment(article, author_name="Shown already")
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)

    response = editor.get("/api/v1/comments")

    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    [item] = response.json["data"]
    assert item["status"] == "pending"
    assert item["author_email"] == "ada@example.org"
    assert item["body"] == "First <b>post</b>"
    assert item["html"] == "<p>First <b>post</b></p>"
    assert item["article"] == {"id": str(article.uuid), "slug": article.slug, "title": article.title}
    assert "ip_hash" not in item
    assert response.json["meta"]["pagination"]["total"] == 1


def test_the_queue_filters_by_status_and_article(article: Article, sign_in: SignIn) -> None:
    other = make_article()
    make_comment(article, author_name="here", status=CommentStatus.SPAM)
    make_comment(other, author_name="there", status=CommentStatus.SPAM)
    make_comment(article, author_name="pending here", status=CommentStatus.PENDING)
    db.session.commit()
    admin, _, _ = sign_in(Role.ADMIN)

    def names(**params: str) -> list[str]:
        response = admin.get("/api/v1/comments", query_string=params)
        assert response.status_code == 200, response.json
        return sorted(item["author_name"] for item in response.json["data"])

    assert names(status="spam") == ["here", "there"]
    assert names(status="spam", article=str(article.uuid)) == ["here"]
    assert names(article=str(article.uuid)) == ["pending here"]
    assert names(status="all", article=str(article.uuid)) == ["here", "pending here"]
    bad = admin.get("/api/v1/comments", query_string={"status": "deleted"})
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert admin.get("/api/v1/comments", query_string={"article": "nope"}).status_code == 400


def test_patch_status_approves_and_the_public_thread_follows(
    client: FlaskClient, article: Article, sign_in: SignIn
) -> None:
    comment = make_comment(article, author_name="Ada", status=CommentStatus.PENDING)
    db.session.commit()
    editor, _, headers = sign_in(Role.EDITOR)

    response = editor.patch(f"/api/v1/comments/{comment.uuid}", json={"status": "approved"}, headers=headers)

    assert response.status_code == 200
    assert response.json["data"]["status"] == "approved"
    assert [c["author_name"] for c in thread(client, article)] == ["Ada"]
    assert client.get(f"/api/v1/articles/{article.uuid}").json["data"]["comment_count"] == 1
    spam = editor.patch(f"/api/v1/comments/{comment.uuid}", json={"status": "spam"}, headers=headers)
    assert spam.json["data"]["status"] == "spam"
    assert thread(client, article) == []
    invalid = editor.patch(f"/api/v1/comments/{comment.uuid}", json={"status": "gone"}, headers=headers)
    assert invalid.status_code == 400


def test_an_api_key_with_write_scope_moderates(client: FlaskClient, article: Article) -> None:
    comment = make_comment(article, status=CommentStatus.PENDING)
    editor = make_user(role=Role.EDITOR)
    _, write_key = create_api_key(editor, name="moderation bot", scopes=["content:read", "content:write"])
    _, read_key = create_api_key(editor, name="reader bot", scopes=["content:read"])
    db.session.commit()

    listed = client.get("/api/v1/comments", headers={"Authorization": f"Bearer {read_key}"})
    read_only = client.patch(
        f"/api/v1/comments/{comment.uuid}",
        json={"status": "trash"},
        headers={"Authorization": f"Bearer {read_key}"},
    )
    trashed = client.patch(
        f"/api/v1/comments/{comment.uuid}",
        json={"status": "trash"},
        headers={"Authorization": f"Bearer {write_key}"},
    )

    assert listed.status_code == 200 and len(listed.json["data"]) == 1
    assert read_only.status_code == 403
    assert trashed.status_code == 200
    db.session.expire_all()
    assert db.session.scalars(db.select(Comment.status)).all() == [CommentStatus.TRASH]


def test_only_editors_and_admins_moderate(client: FlaskClient, article: Article, sign_in: SignIn) -> None:
    comment = make_comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    author, _, author_headers = sign_in(Role.AUTHOR)
    reader, _, reader_headers = sign_in(Role.READER)
    url = f"/api/v1/comments/{comment.uuid}"

    assert client.get("/api/v1/comments").status_code == 401
    assert author.get("/api/v1/comments").status_code == 403
    assert reader.get("/api/v1/comments").status_code == 403
    assert client.patch(url, json={"status": "approved"}).status_code == 401
    assert author.patch(url, json={"status": "approved"}, headers=author_headers).status_code == 403
    assert reader.patch(url, json={"status": "approved"}, headers=reader_headers).status_code == 403
    db.session.expire_all()
    assert comment.status is CommentStatus.PENDING


def test_a_session_patch_needs_the_csrf_header(article: Article, sign_in: SignIn) -> None:
    comment = make_comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    editor, _, _ = sign_in(Role.EDITOR)

    response = editor.patch(f"/api/v1/comments/{comment.uuid}", json={"status": "approved"})

    assert response.status_code == 403
    db.session.expire_all()
    assert comment.status is CommentStatus.PENDING


def test_patching_an_unknown_comment_is_not_found(sign_in: SignIn) -> None:
    editor, _, headers = sign_in(Role.EDITOR)

    for id in ("not-a-uuid", "00000000-0000-4000-8000-000000000000"):
        response = editor.patch(f"/api/v1/comments/{id}", json={"status": "approved"}, headers=headers)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
