"""What a frontend needs to render the seed page's comment section without hard-coding anything."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from cms.comments.sanitize import ALLOWED
from cms.content.models import Article
from cms.extensions import db
from tests.comments.calls import comments_url
from tests.factories import make_article

SEED = Path(__file__).parents[3] / "shared" / "seed" / "000_47825efefae5d390.txt"
#: The line under the seed page's comment form, as a fallback when the seed directory is not mounted.
SEED_NOTE = (
    'You may use these HTML tags and attributes: <a href="" title=""> <abbr title=""> <acronym title=""> '
    '<b> <blockquote cite=""> <cite> <code> <del datetime=""> <em> <i> <q cite=""> <s> <strike> <strong>'
)


def test_the_allowed_tags_note_is_the_seed_pages_sentence(client: FlaskClient) -> None:
    response = client.get("/api/v1/comments/policy")

    assert response.status_code == 200
    policy = response.json["data"]
    assert policy["allowed_tags_note"] == SEED_NOTE
    if SEED.exists():
        assert SEED_NOTE in SEED.read_text(encoding="utf-8")
    assert policy["allowed_tags"] == {tag: sorted(attributes) for tag, attributes in ALLOWED.items()}


def test_the_policy_states_the_limits_the_service_applies(app: Flask, client: FlaskClient) -> None:
    policy = client.get("/api/v1/comments/policy").json["data"]

    assert policy["moderation"] == app.config["COMMENTS_MODERATION"] == "first"
    assert policy["max_depth"] == 5
    assert policy["max_body_length"] == 5000
    assert policy["edit_window_minutes"] == 15
    assert policy["honeypot_field"] == "honeypot"


def test_the_comment_list_says_whether_the_form_is_open(client: FlaskClient, article: Article) -> None:
    closed = make_article(comments_enabled=False)
    db.session.commit()

    assert client.get(comments_url(article)).json["meta"]["comments_open"] is True
    assert client.get(comments_url(closed)).json["meta"]["comments_open"] is False


def test_the_openapi_document_lists_every_comment_endpoint(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]

    operations = {
        (path, method)
        for path, item in paths.items()
        if "comment" in path
        for method in item
        if method != "parameters"
    }
    assert operations >= {
        ("/api/v1/articles/{id}/comments", "get"),
        ("/api/v1/articles/{id}/comments", "post"),
        ("/api/v1/comments/{id}/votes", "post"),
        ("/api/v1/comments/{id}", "patch"),
        ("/api/v1/comments/{id}", "delete"),
        ("/api/v1/comments", "get"),
        ("/api/v1/comments/policy", "get"),
    }
    post = paths["/api/v1/articles/{id}/comments"]["post"]
    assert {"201", "400", "403", "409", "429"} <= set(post["responses"])
    queue = {p["name"]: p for p in paths["/api/v1/comments"]["get"]["parameters"]}
    assert set(queue["status"]["schema"]["enum"]) == {"pending", "approved", "spam", "trash", "all"}
    assert "article" in queue
