"""The response cache answers repeated public reads from memory (or Redis), and never with old content."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from cms.api import response_cache
from cms.api.cache_stores import CachedResponse, MemoryStore, RedisStore
from cms.auth.models import Role, User
from cms.comments.models import CommentStatus
from cms.comments.service import moderate
from cms.content.models import Article
from cms.content.previews import preview_link
from cms.content.token_reads import read_token_fast
from cms.content.versioning import ContentToken
from cms.db import utcnow
from cms.extensions import db
from tests.api.test_articles_write import key_for
from tests.api.test_query_counts import counting_queries
from tests.factories import make_article, make_comment, make_user
from tests.needs import need

REDIS_URL = os.environ.get("CMS_CACHE_REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_available(url: str = REDIS_URL) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@dataclass
class Cost:
    status: int
    statements: list[str]  # run through SQLAlchemy: what rendering a response takes
    token_reads: int  # content token reads (on a connection of their own, see cms/content/token_reads.py)


def cost_of(client: FlaskClient, url: str, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> Cost:
    reads = []

    def counted(engine: Engine) -> ContentToken:
        reads.append(engine)
        return read_token_fast(engine)

    monkeypatch.setattr(response_cache, "read_token_fast", counted)
    with counting_queries() as statements:
        response = client.get(url, **kwargs)
    monkeypatch.undo()
    return Cost(response.status_code, statements, len(reads))


def test_a_repeated_read_costs_one_small_query_and_gives_the_same_bytes(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_article(title="Cached", tags=["News"])
    db.session.commit()
    first = client.get("/api/v1/articles?include=authors,tags")
    assert cost_of(client, "/api/v1/articles?include=authors,tags", monkeypatch) == Cost(200, [], 1)
    again = client.get("/api/v1/articles?include=authors,tags")
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, max-age=60"


def test_a_matching_if_none_match_is_a_304_after_one_query(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = make_article(slug="conditional")
    db.session.commit()
    etag = client.get(f"/api/v1/articles/{article.uuid}").headers["ETag"]
    url = f"/api/v1/articles/{article.uuid}"
    assert cost_of(client, url, monkeypatch, headers={"If-None-Match": etag}) == Cost(304, [], 1)


def test_an_edit_changes_the_answer_and_the_etag(client: FlaskClient) -> None:
    article = make_article(title="Before")
    db.session.commit()
    first = client.get("/api/v1/articles/slug/" + article.slug)
    client.get("/api/v1/articles/slug/" + article.slug)
    article.title = "After"
    db.session.commit()
    second = client.get(
        "/api/v1/articles/slug/" + article.slug, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert second.status_code == 200
    assert second.get_json()["data"]["title"] == "After"
    assert second.headers["ETag"] != first.headers["ETag"]


def test_tag_and_author_changes_reach_article_lists(client: FlaskClient) -> None:
    make_article(tags=["Old name"])
    db.session.commit()
    assert client.get("/api/v1/articles?include=tags").get_json()["data"][0]["tags"][0]["name"] == "Old name"
    tag = db.session.scalar(db.select(Article)).tags[0]
    tag.name = "New name"
    db.session.commit()
    assert client.get("/api/v1/articles?include=tags").get_json()["data"][0]["tags"][0]["name"] == "New name"
    assert client.get("/api/v1/tags").get_json()["data"][0]["name"] == "New name"


def test_a_scheduled_article_appears_on_time_without_any_write(client: FlaskClient) -> None:
    now = utcnow()
    make_article(slug="later", published_at=now + timedelta(milliseconds=300))
    db.session.commit()
    before = client.get("/api/v1/articles")
    assert before.get_json()["meta"]["pagination"]["total"] == 0
    while utcnow() <= now + timedelta(milliseconds=300):
        client.get("/api/v1/articles")  # keeps the cache warm until the moment passes
    after = client.get("/api/v1/articles", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert [a["slug"] for a in after.get_json()["data"]] == ["later"]


def test_different_queries_are_different_entries(client: FlaskClient) -> None:
    make_article(title="One", language="de")
    make_article(title="Two", language="en")
    db.session.commit()
    german = client.get("/api/v1/articles?language=de").get_json()["data"]
    english = client.get("/api/v1/articles?language=en").get_json()["data"]
    assert [a["title"] for a in german] == ["One"]
    assert [a["title"] for a in english] == ["Two"]
    # The order of parameters does not matter; their values do.
    a = client.get("/api/v1/articles?limit=1&page=2")
    b = client.get("/api/v1/articles?page=2&limit=1")
    assert a.get_data() == b.get_data() and a.headers["ETag"] == b.headers["ETag"]


def test_drafts_for_keys_and_previews_are_never_cached(client: FlaskClient) -> None:
    user, auth = key_for(Role.EDITOR, scopes=("content:read",))
    draft = make_article(title="Secret draft", status="draft", published_at=None)
    make_article(title="Public")
    db.session.commit()
    public = client.get("/api/v1/articles")
    drafts = client.get("/api/v1/articles?status=draft", headers=auth)
    assert drafts.status_code == 200
    assert [a["title"] for a in drafts.get_json()["data"]] == ["Secret draft"]
    assert "private" in drafts.headers["Cache-Control"]
    # A public request for the same URL without the key is not answered from the key holder's response.
    assert client.get("/api/v1/articles?status=draft").status_code in (401, 403)
    assert client.get("/api/v1/articles").get_data() == public.get_data()
    token = preview_link(draft).token
    previewed = client.get(f"/api/v1/articles/{draft.uuid}?preview={token}")
    assert previewed.status_code == 200
    assert "no-store" in previewed.headers["Cache-Control"]
    assert client.get(f"/api/v1/articles/{draft.uuid}").status_code == 404
    assert user.id  # the key's owner exists


def test_signed_in_requests_skip_the_cache(
    client: FlaskClient, login: Callable[[FlaskClient, User], FlaskClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_article()
    db.session.commit()
    login(client, make_user(role=Role.EDITOR))
    db.session.commit()
    client.get("/api/v1/articles")
    cost = cost_of(client, "/api/v1/articles", monkeypatch)
    assert (cost.status, cost.token_reads) == (200, 0)
    assert len(cost.statements) >= 2  # rendered: the count and the page, at least


def test_content_keys_are_checked_before_a_cached_answer(app: Flask, client: FlaskClient) -> None:
    make_article()
    db.session.commit()
    app.config["CONTENT_API_KEYS"] = ["frontend-key-1"]
    try:
        assert client.get("/api/v1/articles", headers={"X-Content-Key": "frontend-key-1"}).status_code == 200
        assert client.get("/api/v1/articles").status_code == 401
        assert client.get("/api/v1/articles", headers={"X-Content-Key": "wrong"}).status_code == 401
    finally:
        app.config["CONTENT_API_KEYS"] = []


def test_cache_off_renders_every_200_and_answers_304_from_the_token(
    client: FlaskClient, cache_config: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = make_article()
    db.session.commit()
    cache_config["API_CACHE"] = "off"
    first = client.get("/api/v1/articles")
    rendered = cost_of(client, "/api/v1/articles", monkeypatch)
    assert (rendered.status, rendered.token_reads) == (200, 1)
    assert len(rendered.statements) >= 1  # no body is kept: the page is read again
    etag = {"If-None-Match": first.headers["ETag"]}
    assert cost_of(client, "/api/v1/articles", monkeypatch, headers=etag) == Cost(304, [], 1)
    article.title = "Changed"
    db.session.commit()
    changed = client.get("/api/v1/articles", headers=etag)
    assert changed.status_code == 200
    assert changed.get_json()["data"][0]["title"] == "Changed"


def test_the_ghost_api_is_cached_and_fresh_too(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from cms.ghost.keys import create_content_key

    _, key = create_content_key("site")
    article = make_article(title="Ghostly")
    db.session.commit()
    url = f"/ghost/api/content/posts/?key={key}"
    first = client.get(url)
    cost = cost_of(client, url, monkeypatch)
    assert (cost.status, len(cost.statements), cost.token_reads) == (200, 1, 1)  # the key; the token
    article.title = "Ghostlier"
    db.session.commit()
    assert client.get(url).get_json()["posts"][0]["title"] == "Ghostlier"
    assert client.get(f"/ghost/api/content/posts/?key={'0' * 26}").status_code == 401
    assert first.headers["Vary"] == "Accept-Version"


def test_the_memory_store_keeps_to_its_size_and_to_the_newest_token() -> None:
    store = MemoryStore(max_bytes=3000)
    entry = CachedResponse(b"x" * 800, "application/json", None)
    assert store.get("t1", "k0") is None  # the first sight of a token
    for n in range(5):
        store.put("t1", f"k{n}", entry)
    assert len(store) == 3
    assert store.get("t1", "k0") is None and store.get("t1", "k4") == entry
    assert store.get("t2", "k4") is None  # a new token: everything older is gone
    store.put("t1", "k4", entry)  # rendered under the old token while the new one arrived
    assert len(store) == 0


def test_a_redis_store_is_shared_and_expires(cache_config: dict[str, object]) -> None:
    need(redis_available(), "a Redis server on 127.0.0.1:6379")
    prefix = f"test:{uuid.uuid4().hex}:"
    one = RedisStore(REDIS_URL, prefix=prefix, ttl=60)
    other = RedisStore(REDIS_URL, prefix=prefix, ttl=60)
    entry = CachedResponse(b'{"data":[]}', "application/json", '<http://x>; rel="next"')
    one.put("t1", "GET /a", entry)
    assert other.get("t1", "GET /a") == entry
    assert other.get("t2", "GET /a") is None
    client = redis.Redis.from_url(REDIS_URL)
    names = client.keys(prefix + "*")
    assert len(names) == 1 and 0 < client.ttl(names[0]) <= 60
    one.clear()
    assert client.keys(prefix + "*") == []


def test_reads_go_through_redis_when_configured(
    client: FlaskClient, cache_config: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    need(redis_available(), "a Redis server on 127.0.0.1:6379")
    prefix = f"test:{uuid.uuid4().hex}:"
    cache_config.update(CACHE_REDIS_URL=REDIS_URL, CACHE_REDIS_PREFIX=prefix)
    article = make_article(title="Through Redis")
    db.session.commit()
    first = client.get("/api/v1/articles")
    assert redis.Redis.from_url(REDIS_URL).keys(prefix + "*")
    assert cost_of(client, "/api/v1/articles", monkeypatch) == Cost(200, [], 1)
    article.title = "Changed"
    db.session.commit()
    changed = client.get("/api/v1/articles")
    assert changed.get_json()["data"][0]["title"] == "Changed"
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_a_redis_that_is_down_means_uncached_not_failed(
    client: FlaskClient, cache_config: dict[str, object]
) -> None:
    cache_config["CACHE_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    make_article(title="Still served")
    db.session.commit()
    for _ in range(2):
        response = client.get("/api/v1/articles")
        assert response.status_code == 200
        assert response.get_json()["data"][0]["title"] == "Still served"


def test_approving_a_comment_changes_the_cached_comment_count(client: FlaskClient) -> None:
    article = make_article(title="Discussed")
    comment = make_comment(article, status=CommentStatus.PENDING)
    editor = make_user(role=Role.EDITOR)
    db.session.commit()
    url = f"/api/v1/articles/{article.uuid}"
    assert client.get(url).json["data"]["comment_count"] == 0
    assert client.get(url).json["data"]["comment_count"] == 0  # now from the cache
    moderate([comment], CommentStatus.APPROVED, by=editor)
    db.session.commit()
    assert client.get(url).json["data"]["comment_count"] == 1
