"""Bad input gets a problem+json naming the parameter; every GET is cacheable and CORS-readable."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms import create_app
from cms.extensions import db
from tests.conftest import TEST_SECRET
from tests.factories import make_article


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("limit=1000", "limit"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("include=comments", "include"),
        ("order=random", "order"),
        ("fields=id,password", "fields"),
        ("featured=maybe", "featured"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_parameters_get_400_problems_naming_the_field(
    client: FlaskClient, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/articles?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400
    assert [e["field"] for e in body["errors"]] == [field]
    assert "Traceback" not in response.get_data(as_text=True)


def test_unknown_routes_and_wrong_methods_are_problems_too(client: FlaskClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.mimetype) == (404, "application/problem+json")
    wrong = client.delete("/api/v1/openapi.json")
    assert (wrong.status_code, wrong.mimetype) == (405, "application/problem+json")
    assert "GET" in wrong.headers["Allow"]


def test_an_unexpected_failure_is_a_500_problem_without_a_traceback(app: Flask) -> None:
    fresh = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @fresh.get("/api/v1/test-explodes")
    def explode() -> str:
        raise RuntimeError("secret internals")

    response = fresh.test_client().get("/api/v1/test-explodes")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "secret internals" not in response.get_data(as_text=True)


def test_html_pages_get_an_html_error_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Not Found" in response.get_data(as_text=True)


def test_gets_have_a_strong_etag_and_answer_if_none_match_with_304(client: FlaskClient) -> None:
    make_article()
    db.session.commit()
    first = client.get("/api/v1/articles")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert "Cookie" not in first.headers.get("Vary", "")
    again = client.get("/api/v1/articles", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_the_etag_changes_when_the_content_does(client: FlaskClient) -> None:
    article = make_article(title="Before")
    db.session.commit()
    etag = client.get("/api/v1/articles").headers["ETag"]
    article.title = "After"
    db.session.commit()
    response = client.get("/api/v1/articles", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_cache_seconds_come_from_configuration(app: Flask, client: FlaskClient) -> None:
    app.config["API_CACHE_SECONDS"] = 300
    try:
        assert client.get("/api/v1/tags").headers["Cache-Control"] == "public, max-age=300"
    finally:
        app.config["API_CACHE_SECONDS"] = 60


def test_cors_preflight_and_exposed_headers(client: FlaskClient) -> None:
    preflight = client.options(
        "/api/v1/articles",
        headers={"Origin": "https://site.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    response = client.get("/api/v1/articles", headers={"Origin": "https://site.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert {"ETag", "Link"} <= {
        h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }


def test_cors_with_named_origins_echoes_only_those(app: Flask, client: FlaskClient) -> None:
    app.config["CORS_ORIGINS"] = ["https://good.example"]
    try:
        good = client.get("/api/v1/articles", headers={"Origin": "https://good.example"})
        bad = client.get("/api/v1/articles", headers={"Origin": "https://evil.example"})
    finally:
        app.config["CORS_ORIGINS"] = ["*"]
    assert good.headers["Access-Control-Allow-Origin"] == "https://good.example"
    assert good.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in good.headers["Vary"]
    assert "Access-Control-Allow-Origin" not in bad.headers


def test_content_keys_when_configured_guard_every_read(app: Flask, client: FlaskClient) -> None:
    make_article()
    db.session.commit()
    app.config["CONTENT_API_KEYS"] = ["frontend-key-1"]
    try:
        refused = client.get("/api/v1/articles")
        wrong = client.get("/api/v1/authors?key=nope")
        by_query = client.get("/api/v1/articles?key=frontend-key-1")
        by_header = client.get("/api/v1/tags", headers={"X-Content-Key": "frontend-key-1"})
    finally:
        app.config["CONTENT_API_KEYS"] = []
    assert (refused.status_code, refused.mimetype) == (401, "application/problem+json")
    assert wrong.status_code == 401
    assert by_query.status_code == 200 and len(by_query.get_json()["data"]) == 1
    assert by_header.status_code == 200
