"""Cache hits of the Content API are answered in front of Flask, exactly as Flask would answer them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from werkzeug.test import Client, TestResponse

from cms.api import response_cache
from cms.api.cache_front import CacheFront
from cms.api.caching import json_response
from cms.api.response_cache import public_response, response_store
from cms.auth.models import Role, User
from cms.extensions import db
from tests.factories import make_article, make_user

LIST = "/api/v1/articles?include=authors,tags&limit=1"


@pytest.fixture
def front(app: Flask) -> CacheFront:
    assert isinstance(app.wsgi_app, CacheFront)
    return app.wsgi_app


@pytest.fixture
def reached_flask(front: CacheFront, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the requests the front handed to Flask."""
    seen: list[str] = []
    behind = front.wsgi_app

    def counted(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen.append(environ["PATH_INFO"])
        return behind(environ, start_response)

    monkeypatch.setattr(front, "wsgi_app", counted)
    return seen


@pytest.fixture
def flask_only(front: CacheFront) -> Client:
    """A client of the app behind the front: what Flask itself answers."""
    return Client(front.wsgi_app, TestResponse)


@pytest.fixture
def cors_origins(app: Flask) -> Iterator[list[str]]:
    saved = app.config["CORS_ORIGINS"]
    app.config["CORS_ORIGINS"] = ["https://frontend.example"]
    yield app.config["CORS_ORIGINS"]
    app.config["CORS_ORIGINS"] = saved


def _headers(response: TestResponse) -> list[tuple[str, str]]:
    return sorted((name, value) for name, value in response.headers.items() if name != "Date")


def same_answer(a: TestResponse, b: TestResponse) -> None:
    """Alike but for Date, which a rendered answer carries and servers add to any other."""
    assert a.status == b.status
    assert _headers(a) == _headers(b)
    assert a.get_data() == b.get_data()


def test_a_hit_is_answered_without_flask_with_flasks_status_headers_and_body(
    client: FlaskClient, flask_only: Client, reached_flask: list[str]
) -> None:
    make_article(title="Front", tags=["News"])
    make_article(title="Second")
    db.session.commit()
    rendered = client.get(LIST)
    assert reached_flask == ["/api/v1/articles"]
    from_front = client.get(LIST)
    assert reached_flask == ["/api/v1/articles"]
    same_answer(from_front, rendered)
    same_answer(from_front, flask_only.get(LIST))  # Flask's own answer from the cache
    assert from_front.headers["Link"].endswith('rel="next"')


def test_head_and_conditional_gets_are_answered_in_front_too(
    client: FlaskClient, flask_only: Client, reached_flask: list[str]
) -> None:
    make_article()
    db.session.commit()
    etag = client.get(LIST).headers["ETag"]
    head = client.head(LIST)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Length"] == str(len(client.get(LIST).get_data()))
    conditional = client.get(LIST, headers={"If-None-Match": etag})
    assert conditional.status_code == 304 and conditional.get_data() == b""
    same_answer(conditional, flask_only.get(LIST, headers={"If-None-Match": etag}))
    assert reached_flask == ["/api/v1/articles"]


def test_cors_headers_follow_the_origin_as_flask_gives_them(
    client: FlaskClient, flask_only: Client, reached_flask: list[str], cors_origins: list[str]
) -> None:
    make_article()
    db.session.commit()
    client.get(LIST)
    for origin in ({"Origin": "https://frontend.example"}, {"Origin": "https://elsewhere.example"}, {}):
        answer = client.get(LIST, headers=origin)
        same_answer(answer, flask_only.get(LIST, headers=origin))
        etag = {"If-None-Match": answer.headers["ETag"]}
        same_answer(client.get(LIST, headers=origin | etag), flask_only.get(LIST, headers=origin | etag))
    allowed = client.get(LIST, headers={"Origin": "https://frontend.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://frontend.example"
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    assert allowed.headers["Vary"] == "Origin"
    assert (
        "Access-Control-Allow-Origin" not in client.get(LIST, headers={"Origin": "https://x.example"}).headers
    )
    assert reached_flask == ["/api/v1/articles"]


def test_a_write_is_seen_on_the_next_request(client: FlaskClient, reached_flask: list[str]) -> None:
    article = make_article(title="Before")
    db.session.commit()
    url = f"/api/v1/articles/slug/{article.slug}"
    first = client.get(url)
    assert client.get(url).get_json()["data"]["title"] == "Before"
    article.title = "After"
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["data"]["title"] == "After"
    assert reached_flask == [url, url]


def test_signed_in_and_authorized_requests_go_to_flask(
    client: FlaskClient,
    login: Callable[[FlaskClient, User], FlaskClient],
    reached_flask: list[str],
) -> None:
    make_article()
    db.session.commit()
    client.get(LIST)
    client.get(LIST, headers={"Authorization": "Bearer not-a-key"})
    assert len(reached_flask) == 2
    login(client, make_user(role=Role.EDITOR))
    db.session.commit()
    reached_flask.clear()
    assert client.get(LIST).status_code == 200
    assert reached_flask == ["/api/v1/articles"]


def test_content_keys_are_checked_in_front(app: Flask, client: FlaskClient, reached_flask: list[str]) -> None:
    make_article()
    db.session.commit()
    app.config["CONTENT_API_KEYS"] = ["frontend-key-1"]
    try:
        assert client.get(LIST, headers={"X-Content-Key": "frontend-key-1"}).status_code == 200
        assert client.get(LIST, headers={"X-Content-Key": "frontend-key-1"}).status_code == 200
        assert client.get(LIST + "&key=frontend-key-1").status_code == 200
        assert client.get(LIST + "&key=frontend-key-1").status_code == 200
        assert len(reached_flask) == 2  # the two first reads; their repeats came from the front
        assert client.get(LIST).status_code == 401
        assert client.get(LIST, headers={"X-Content-Key": "wrong"}).status_code == 401
        assert len(reached_flask) == 4
    finally:
        app.config["CONTENT_API_KEYS"] = []


def test_the_ghost_api_and_an_uncached_app_are_left_to_flask(
    client: FlaskClient, reached_flask: list[str], cache_config: dict[str, object]
) -> None:
    from cms.ghost.keys import create_content_key

    _, key = create_content_key("site")
    make_article()
    db.session.commit()
    ghost = f"/ghost/api/content/posts/?key={key}"
    client.get(ghost)
    client.get(ghost)
    assert reached_flask == ["/ghost/api/content/posts/"] * 2
    cache_config["API_CACHE"] = "off"
    reached_flask.clear()
    etag = client.get(LIST).headers["ETag"]
    assert client.get(LIST, headers={"If-None-Match": etag}).status_code == 304
    assert reached_flask == ["/api/v1/articles"] * 2


def test_entries_of_reads_with_another_guard_are_never_answered_in_front(app: Flask) -> None:
    checks: list[str] = []
    guarded = public_response(guard=lambda: checks.append("checked"))(lambda: json_response({"ok": True}))
    make_article()
    db.session.commit()
    with app.test_request_context("/api/v1/elsewhere"):
        assert guarded().status_code == 200
        token = response_cache.request_token(request.environ)
        entry = response_store(app).get(token.text, response_cache.request_key(request, app.config))
    assert entry is not None and entry.front is False
    assert checks == ["checked"]

    def behind(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        return [b"from flask"]

    front = CacheFront(app, behind)
    answer = Client(front, TestResponse).get("/api/v1/elsewhere")
    assert answer.get_data() == b"from flask"
