"""The write API holds every role to the permission matrix: articles, authors and tags, over HTTP,
with keys and with the session cookie plus ``X-CSRF-Token``."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
import pytest
from flask.testing import FlaskClient

from cms.audit.models import AuditEntry
from cms.auth.models import Role, User
from cms.content.models import Author, Status, Tag
from cms.extensions import db
from tests.api.test_articles_write import key_for
from tests.factories import make_article, make_author, make_tag, make_user

A, E, AU, C = Role.ADMIN, Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR
STAFF = (A, E, AU, C)


def expect(role: Role, allowed: set[Role], yes: int, no: int = 403) -> int:
    return yes if role in allowed else no


@pytest.mark.parametrize("role", STAFF)
def test_article_actions_by_role(client: FlaskClient, role: Role):
    user, auth = key_for(role)
    others = make_article(title="Someone else's", status=Status.DRAFT, published_at=None)
    db.session.commit()
    others_url = f"/api/v1/articles/{others.uuid}"

    draft = client.post("/api/v1/articles", json={"title": "A draft"}, headers=auth)
    assert draft.status_code == 201
    published = client.post("/api/v1/articles", json={"title": "Live", "status": "published"}, headers=auth)
    assert published.status_code == expect(role, {A, E, AU}, 201)
    own_url = f"/api/v1/articles/{draft.get_json()['data']['id']}"
    going_live = client.patch(own_url, json={"status": "published"}, headers=auth)
    assert going_live.status_code == expect(role, {A, E, AU}, 200)

    # Others' drafts are invisible to authors and contributors, not merely forbidden.
    assert client.patch(others_url, json={"title": "Mine now"}, headers=auth).status_code == expect(
        role, {A, E}, 200, 404
    )
    assert client.delete(others_url, headers=auth).status_code == expect(role, {A, E}, 204, 404)

    mine = make_article(title="Mine to bin", status=Status.DRAFT, published_at=None, by=user)
    db.session.commit()
    assert client.delete(f"/api/v1/articles/{mine.uuid}", headers=auth).status_code == 204
    restored = client.post(f"/api/v1/articles/{mine.uuid}/restore", headers=auth)
    assert restored.status_code == expect(role, {A, E}, 200)


@pytest.mark.parametrize("role", STAFF)
def test_tag_and_author_writes_by_role(client: FlaskClient, role: Role):
    user, auth = key_for(role)
    tag, author = make_tag(name="Weather"), make_author(name="Somebody")
    own_profile = db.session.scalar(db.select(Author).where(Author.user_id == user.id))
    db.session.commit()
    managers = {A, E}

    assert client.post("/api/v1/tags", json={"name": "Climate"}, headers=auth).status_code == expect(
        role, managers, 201
    )
    changed = client.patch(f"/api/v1/tags/{tag.uuid}", json={"description": "Rain"}, headers=auth)
    assert changed.status_code == expect(role, managers, 200)
    assert client.post("/api/v1/authors", json={"name": "New"}, headers=auth).status_code == expect(
        role, managers, 201
    )
    assert client.patch(
        f"/api/v1/authors/{author.uuid}", json={"bio": "Hi"}, headers=auth
    ).status_code == expect(role, managers, 200)
    # Every staff member keeps their own byline up to date.
    assert (
        client.patch(
            f"/api/v1/authors/{own_profile.uuid}", json={"bio": "About me"}, headers=auth
        ).status_code
        == 200
    )
    assert client.delete(f"/api/v1/tags/{tag.uuid}", headers=auth).status_code == expect(role, managers, 204)
    assert client.delete(f"/api/v1/authors/{author.uuid}", headers=auth).status_code == expect(
        role, managers, 204
    )


def test_tags_and_authors_are_created_changed_and_deleted(client: FlaskClient):
    _, auth = key_for(Role.EDITOR)
    made = client.post("/api/v1/tags", json={"name": "Night sky", "description": "Stars"}, headers=auth)
    assert made.status_code == 201
    tag = made.get_json()["data"]
    assert tag["slug"] == "night-sky"
    assert client.get(made.headers["Location"]).get_json()["data"]["name"] == "Night sky"
    renamed = client.patch(f"/api/v1/tags/{tag['id']}", json={"name": "Stars", "slug": "stars"}, headers=auth)
    assert renamed.get_json()["data"]["slug"] == "stars"
    assert client.get("/api/v1/tags/slug/stars").status_code == 200
    taken = client.post("/api/v1/tags", json={"name": "Other", "slug": "stars"}, headers=auth)
    assert taken.status_code == 400
    assert taken.get_json()["errors"][0]["field"] == "slug"
    assert client.delete(f"/api/v1/tags/{tag['id']}", headers=auth).status_code == 204
    assert client.get("/api/v1/tags/slug/stars").status_code == 404
    assert client.delete(f"/api/v1/tags/{tag['id']}", headers=auth).status_code == 404

    person = client.post("/api/v1/authors", json={"name": "Ida Wells", "bio": "Reporter"}, headers=auth)
    assert person.status_code == 201
    author_id = person.get_json()["data"]["id"]
    changed = client.patch(f"/api/v1/authors/{author_id}", json={"location": "Memphis"}, headers=auth)
    assert changed.get_json()["data"]["location"] == "Memphis"
    assert client.delete(f"/api/v1/authors/{author_id}", headers=auth).status_code == 204
    assert db.session.scalar(db.select(Tag.id)) is None
    assert db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all() == [
        "tag.delete",
        "author.delete",
    ]
    assert client.post("/api/v1/tags", json={"name": ""}, headers=auth).status_code == 400
    assert client.patch("/api/v1/tags/not-a-uuid", json={"name": "x"}, headers=auth).status_code == 404


def _session(client: FlaskClient, login: Callable[[FlaskClient, User], FlaskClient], role: Role) -> str:
    user = make_user(role=role)
    make_author(name=f"{user.username} byline", user_id=user.id)
    db.session.commit()
    login(client, user)
    token: str = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    return token


def test_a_signed_in_session_writes_with_the_csrf_header(
    client: FlaskClient, login: Callable[[FlaskClient, User], FlaskClient]
):
    token = _session(client, login, Role.AUTHOR)
    refused = client.post("/api/v1/articles", json={"title": "No token"})
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.get_json()["detail"]
    made = client.post("/api/v1/articles", json={"title": "With token"}, headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    url = f"/api/v1/articles/{made.get_json()['data']['id']}"
    headers = {"X-CSRF-Token": token, "If-Match": made.headers["ETag"]}
    saved = client.patch(url, json={"markdown": "Hi"}, headers=headers)
    assert saved.status_code == 200 and saved.headers["ETag"] == '"v2"'


def test_readers_cannot_write_even_when_signed_in(
    client: FlaskClient, login: Callable[[FlaskClient, User], FlaskClient]
):
    token = _session(client, login, Role.READER)
    refused = client.post("/api/v1/articles", json={"title": "Mine"}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    assert client.get("/api/v1/articles?status=draft").status_code == 403


def test_two_clients_patching_the_same_version_at_once_one_wins(live_server: str):
    """Real HTTP, two threads released together: one save lands, the other gets 412 and the winner's
    text, never a 500 and never a silent overwrite."""
    _, auth = key_for(Role.EDITOR)
    article = make_article(title="Contested", markdown="Original")
    db.session.commit()
    url = f"{live_server}/api/v1/articles/{article.uuid}"
    start = threading.Barrier(2)

    def patch(text: str) -> tuple[int, dict[str, Any]]:
        body = orjson.dumps({"markdown": text})
        headers = {**auth, "If-Match": '"v1"', "Content-Type": "application/json"}
        request = urllib.request.Request(url, data=body, method="PATCH", headers=headers)  # noqa: S310
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                return response.status, orjson.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, orjson.loads(error.read())

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(patch, ["First writer", "Second writer"]))
    assert sorted(status for status, _ in answers) == [200, 412]
    winner = next(body["data"]["markdown"] for status, body in answers if status == 200)
    loser = next(body for status, body in answers if status == 412)
    assert loser["current"]["markdown"] == winner
    db.session.expire_all()
    assert (article.markdown, article.version) == (winner, 2)
