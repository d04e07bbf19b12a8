"""Writing articles through the API with keys and sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from cms.audit.models import AuditEntry
from cms.auth.api_keys import create_api_key, revoke_api_key
from cms.auth.models import Role, User
from cms.content.models import Article, Status
from cms.db import rfc3339, utcnow
from cms.extensions import db
from tests.factories import make_article, make_author, make_tag, make_user


def key_for(role: Role, scopes: tuple[str, ...] = ("content:write",)) -> tuple[User, dict[str, str]]:
    user = make_user(role=role)
    make_author(name=f"{user.username} byline", slug=f"{user.username}-byline", user_id=user.id)
    _, key = create_api_key(user, name="script", scopes=scopes)
    db.session.commit()
    return user, {"Authorization": f"Bearer {key}"}


def test_an_author_creates_a_draft_with_tags_and_is_its_author(client: FlaskClient):
    make_tag(name="Science")
    user, auth = key_for(Role.AUTHOR)
    response = client.post(
        "/api/v1/articles",
        json={"title": "Hello *world*", "markdown": "# Hi\n\nBody text.", "tags": ["science", "New topic"]},
        headers=auth,
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["status"] == "draft"
    assert data["slug"] == "hello-world"
    assert [t["slug"] for t in data["tags"]] == ["science", "new-topic"]
    assert [a["slug"] for a in data["authors"]] == [f"{user.username}-byline"]
    assert response.headers["ETag"] == '"v1"'
    assert response.headers["Location"].endswith(f"/api/v1/articles/{data['id']}/edit")
    # Drafts stay out of the public API.
    assert client.get(f"/api/v1/articles/{data['id']}").status_code == 404


def test_a_contributor_may_not_create_tags_or_publish(client: FlaskClient):
    _, auth = key_for(Role.CONTRIBUTOR)
    refused = client.post("/api/v1/articles", json={"title": "T", "tags": ["brand new"]}, headers=auth)
    assert refused.status_code == 403
    refused = client.post("/api/v1/articles", json={"title": "T", "status": "published"}, headers=auth)
    assert refused.status_code == 403
    created = client.post("/api/v1/articles", json={"title": "T"}, headers=auth)
    article_id = created.get_json()["data"]["id"]
    publish = client.patch(f"/api/v1/articles/{article_id}", json={"status": "published"}, headers=auth)
    assert publish.status_code == 403
    assert db.session.scalar(db.select(Article.status)) is Status.DRAFT


def test_publishing_makes_the_article_public_and_is_audited(client: FlaskClient):
    user, auth = key_for(Role.AUTHOR)
    article_id = client.post("/api/v1/articles", json={"title": "Going live"}, headers=auth).get_json()[
        "data"
    ]["id"]
    response = client.patch(
        f"/api/v1/articles/{article_id}", json={"status": "published"}, headers={**auth, "If-Match": '"v1"'}
    )
    assert response.status_code == 200
    assert response.get_json()["data"]["status"] == "published"
    assert client.get("/api/v1/articles/slug/going-live").status_code == 200
    entry = db.session.scalar(db.select(AuditEntry))
    assert (entry.action, entry.actor_id) == ("article.publish", user.id)


def test_scheduling_keeps_the_article_hidden_until_its_time(client: FlaskClient):
    _, auth = key_for(Role.EDITOR)
    when = utcnow() + timedelta(days=1)
    response = client.post(
        "/api/v1/articles",
        json={"title": "Tomorrow", "status": "published", "published_at": rfc3339(when)},
        headers=auth,
    )
    assert response.get_json()["data"]["status"] == "scheduled"
    assert client.get("/api/v1/articles/slug/tomorrow").status_code == 404


def test_two_saves_of_the_same_version_one_wins_and_nothing_is_lost(client: FlaskClient):
    _, editor = key_for(Role.EDITOR)
    article = make_article(title="Shared", markdown="Original")
    db.session.commit()
    url = f"/api/v1/articles/{article.uuid}"
    first = client.patch(url, json={"markdown": "Editor's fix"}, headers={**editor, "If-Match": '"v1"'})
    second = client.patch(url, json={"title": "Author's title"}, headers={**editor, "If-Match": '"v1"'})
    assert first.status_code == 200
    assert second.status_code == 412
    assert second.mimetype == "application/problem+json"
    problem = second.get_json()
    assert problem["current"]["markdown"] == "Editor's fix"
    assert problem["current"]["version"] == 2
    assert second.headers["ETag"] == '"v2"'
    db.session.expire_all()
    assert (article.title, article.markdown) == ("Shared", "Editor's fix")


def test_a_save_racing_another_transaction_is_refused(client: FlaskClient, app):
    """The editor loaded version 1; another connection commits version 2 before the save lands."""
    from cms.content import editing

    user = make_user(role=Role.EDITOR)
    article = make_article(title="Raced")
    db.session.commit()
    loaded_version = article.version
    with db.engine.begin() as other:
        other.execute(db.update(Article).where(Article.id == article.id).values(version=2, title="Theirs"))
    with pytest.raises(editing.StaleVersion):
        editing.save(article, user, {"title": "Mine"}, expected_version=loaded_version)
    db.session.rollback()
    assert db.session.get(Article, article.id).title == "Theirs"


def test_deleting_moves_to_the_trash_and_only_editors_restore(client: FlaskClient):
    _, author = key_for(Role.AUTHOR)
    _, editor = key_for(Role.EDITOR)
    article_id = client.post("/api/v1/articles", json={"title": "Bin me"}, headers=author).get_json()["data"][
        "id"
    ]
    assert client.delete(f"/api/v1/articles/{article_id}", headers=author).status_code == 204
    assert client.post(f"/api/v1/articles/{article_id}/restore", headers=author).status_code == 403
    restored = client.post(f"/api/v1/articles/{article_id}/restore", headers=editor)
    assert restored.status_code == 200
    assert restored.get_json()["data"]["deleted_at"] is None


def test_others_articles_are_invisible_to_authors(client: FlaskClient):
    _, author = key_for(Role.AUTHOR)
    article = make_article(title="Not yours")
    db.session.commit()
    assert (
        client.patch(f"/api/v1/articles/{article.uuid}", json={"title": "x"}, headers=author).status_code
        == 404
    )


def test_a_published_slug_changes_only_for_editors(client: FlaskClient):
    user, author = key_for(Role.AUTHOR)
    _, editor = key_for(Role.EDITOR)
    article = make_article(title="Stable", by=user)
    db.session.commit()
    url = f"/api/v1/articles/{article.uuid}"
    assert client.patch(url, json={"slug": "moved"}, headers=author).status_code == 403
    assert (
        client.patch(url, json={"title": "Retitled"}, headers=author).get_json()["data"]["slug"] == "stable"
    )
    assert client.patch(url, json={"slug": "moved"}, headers=editor).get_json()["data"]["slug"] == "moved"


def test_revisions_list_every_save_and_restore_brings_content_back(client: FlaskClient):
    _, auth = key_for(Role.AUTHOR)
    article_id = client.post(
        "/api/v1/articles", json={"title": "Draft one", "markdown": "First words"}, headers=auth
    ).get_json()["data"]["id"]
    client.patch(f"/api/v1/articles/{article_id}", json={"markdown": "Second words"}, headers=auth)
    revisions = client.get(f"/api/v1/articles/{article_id}/revisions", headers=auth).get_json()["data"]
    assert [r["number"] for r in revisions] == [2, 1]
    assert revisions[0]["summary"] == "Edited markdown"
    restored = client.post(f"/api/v1/articles/{article_id}/revisions/1/restore", headers=auth)
    assert restored.get_json()["data"]["markdown"] == "First words"
    assert client.post(f"/api/v1/articles/{article_id}/revisions/9/restore", headers=auth).status_code == 404


def test_keys_need_the_right_scope_and_must_be_live(client: FlaskClient):
    user, reader_key = key_for(Role.EDITOR, scopes=("content:read",))
    assert client.post("/api/v1/articles", json={"title": "x"}, headers=reader_key).status_code == 403
    assert client.post("/api/v1/articles", json={"title": "x"}).status_code == 401
    bogus = {"Authorization": "Bearer cms_nope_nope"}
    assert client.post("/api/v1/articles", json={"title": "x"}, headers=bogus).status_code == 401
    row, key = create_api_key(user, name="old", scopes=["content:write"])
    revoke_api_key(row)
    db.session.commit()
    revoked = {"Authorization": f"Bearer {key}"}
    assert client.post("/api/v1/articles", json={"title": "x"}, headers=revoked).status_code == 401


def test_invalid_bodies_name_the_field(client: FlaskClient):
    _, auth = key_for(Role.EDITOR)
    response = client.post("/api/v1/articles", json={"title": "", "colour": "red"}, headers=auth)
    assert response.status_code == 400
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert fields == {"title", "colour"}


def test_required_fields_cannot_be_nulled_and_scheduling_needs_a_future_time(client: FlaskClient):
    _, auth = key_for(Role.EDITOR)
    article_id = client.post("/api/v1/articles", json={"title": "Keep"}, headers=auth).get_json()["data"][
        "id"
    ]
    nulled = client.patch(f"/api/v1/articles/{article_id}", json={"title": None}, headers=auth)
    assert nulled.status_code == 400
    assert nulled.get_json()["errors"] == [{"field": "title", "message": "may be left out but not null"}]
    undated = client.post("/api/v1/articles", json={"title": "When?", "status": "scheduled"}, headers=auth)
    assert undated.status_code == 400
    assert undated.get_json()["errors"][0]["field"] == "published_at"
