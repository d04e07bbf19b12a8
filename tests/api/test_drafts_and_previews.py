"""Frontends reading drafts: by key with ?status=, or through a preview link without one."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from cms.auth.api_keys import create_api_key
from cms.auth.models import Role
from cms.content.models import Status
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article, make_user


def _headers(role: Role = Role.EDITOR, scope: str = "content:read") -> dict[str, str]:
    user = make_user(role=role)
    _, key = create_api_key(user, name="frontend", scopes=[scope])
    db.session.commit()
    return {"Authorization": f"Bearer {key}"}


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(item["title"] for item in response.get_json()["data"])


def test_a_content_read_key_lists_drafts_scheduled_or_all(client: FlaskClient):
    make_article(title="Live")
    make_article(title="Draft", status=Status.DRAFT, published_at=None)
    make_article(title="Later", published_at=utcnow() + timedelta(days=1))
    trashed = make_article(title="Binned", status=Status.DRAFT, published_at=None)
    trashed.deleted_at = utcnow()
    headers = _headers()
    assert _titles(client.get("/api/v1/articles?status=draft", headers=headers)) == ["Draft"]
    assert _titles(client.get("/api/v1/articles?status=scheduled", headers=headers)) == ["Later"]
    assert _titles(client.get("/api/v1/articles?status=all", headers=headers)) == ["Draft", "Later", "Live"]
    response = client.get("/api/v1/articles?status=draft", headers=headers)
    assert "no-store" in response.headers["Cache-Control"]


def test_drafts_need_a_key(client: FlaskClient):
    make_article(title="Draft", status=Status.DRAFT, published_at=None)
    db.session.commit()
    assert client.get("/api/v1/articles?status=draft").status_code == 401
    assert client.get("/api/v1/articles?status=nonsense").status_code == 400


def test_an_authors_key_lists_only_their_own_drafts(client: FlaskClient):
    author = make_user(role=Role.AUTHOR)
    make_article(title="Mine", status=Status.DRAFT, published_at=None, by=author)
    make_article(title="Someone else's", status=Status.DRAFT, published_at=None)
    _, key = create_api_key(author, name="k", scopes=["content:read"])
    db.session.commit()
    response = client.get("/api/v1/articles?status=draft", headers={"Authorization": f"Bearer {key}"})
    assert _titles(response) == ["Mine"]


def test_a_preview_link_opens_the_draft_without_a_key(client: FlaskClient):
    draft = make_article(title="Sneak peek", markdown="**Secret**", status=Status.DRAFT, published_at=None)
    headers = _headers(Role.EDITOR)
    response = client.post(f"/api/v1/articles/{draft.uuid}/preview", headers=headers)
    assert response.status_code == 201
    link = response.get_json()["data"]
    assert link["url"] == f"http://cms.test/api/v1/articles/{draft.uuid}?preview={link['token']}"
    assert link["expires_at"].endswith("Z")
    shown = client.get(f"/api/v1/articles/{draft.uuid}?preview={link['token']}")
    assert shown.status_code == 200
    assert shown.get_json()["data"]["html"] == "<p><strong>Secret</strong></p>\n"
    assert "no-store" in shown.headers["Cache-Control"]


def test_a_preview_token_opens_no_other_article_and_expires(client: FlaskClient, app: Flask):
    draft = make_article(title="One", status=Status.DRAFT, published_at=None)
    other = make_article(title="Two", status=Status.DRAFT, published_at=None)
    headers = _headers(Role.EDITOR)
    token = client.post(f"/api/v1/articles/{draft.uuid}/preview", headers=headers).get_json()["data"]["token"]
    assert client.get(f"/api/v1/articles/{other.uuid}?preview={token}").status_code == 404
    assert client.get(f"/api/v1/articles/{draft.uuid}?preview=forged").status_code == 404
    foreign = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="another-purpose").dumps(
        {"article": str(draft.uuid)}
    )
    assert client.get(f"/api/v1/articles/{draft.uuid}?preview={foreign}").status_code == 404
    app.config["PREVIEW_MAX_AGE"] = -1
    try:
        assert client.get(f"/api/v1/articles/{draft.uuid}?preview={token}").status_code == 404
    finally:
        app.config["PREVIEW_MAX_AGE"] = 3600


def test_a_trashed_draft_cannot_be_previewed(client: FlaskClient):
    draft = make_article(title="Gone", status=Status.DRAFT, published_at=None)
    headers = _headers(Role.EDITOR)
    token = client.post(f"/api/v1/articles/{draft.uuid}/preview", headers=headers).get_json()["data"]["token"]
    assert (
        client.delete(
            f"/api/v1/articles/{draft.uuid}", headers=_headers(Role.EDITOR, "content:write")
        ).status_code
        == 204
    )
    assert client.get(f"/api/v1/articles/{draft.uuid}?preview={token}").status_code == 404
