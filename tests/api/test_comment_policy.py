"""GET /api/v1/comments/policy: what a frontend's comment form should say and send."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

SEED_NOTE = (
    'You may use these HTML tags and attributes: <a href="" title=""> <abbr title=""> <acronym title=""> '
    '<b> <blockquote cite=""> <cite> <code> <del datetime=""> <em> <i> <q cite=""> <s> <strike> <strong>'
)


def test_the_policy_words_the_allowed_tags_as_the_seed_page_does(client: FlaskClient) -> None:
    response = client.get("/api/v1/comments/policy")
    assert response.status_code == 200
    policy = response.get_json()["data"]
    assert policy["allowed_tags_note"] == SEED_NOTE
    assert policy["allowed_tags"]["a"] == ["href", "title"]
    assert policy["allowed_tags"]["strong"] == []
    assert policy["honeypot_field"] == "honeypot"


def test_the_policy_follows_the_settings(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "COMMENTS_MODERATION", "all")
    monkeypatch.setitem(app.config, "COMMENTS_MAX_DEPTH", 3)
    policy = client.get("/api/v1/comments/policy").get_json()["data"]
    assert (policy["moderation"], policy["max_depth"]) == ("all", 3)


def test_the_policy_is_in_the_openapi_description(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "get" in spec["paths"]["/api/v1/comments/policy"]
