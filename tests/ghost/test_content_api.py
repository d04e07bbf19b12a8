"""The Ghost Content API as a Ghost frontend sees it: envelopes, field names, includes and errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from cms.content.models import Status
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article, make_author, make_tag
from tests.ghost.conftest import GhostGet


def _titles(response: object) -> list[str]:
    return [post["title"] for post in response.get_json()["posts"]]  # type: ignore[attr-defined]


def test_browsing_posts_answers_with_ghosts_envelope_and_field_names(ghost_get: GhostGet) -> None:
    make_article(
        title="Chips hoarded",
        excerpt="Eighteen months of GPUs.",
        feature_image_url="https://img.example/gpu.jpg",
        feature_image_alt="Racks",
        feature_image_caption="A data centre",
        featured=True,
    )
    db.session.commit()
    response = ghost_get("posts/")
    assert response.status_code == 200
    body = response.get_json()
    assert body["meta"] == {
        "pagination": {"page": 1, "limit": 15, "pages": 1, "total": 1, "next": None, "prev": None}
    }
    post = body["posts"][0]
    assert post["title"] == "Chips hoarded"
    assert post["uuid"] == post["id"]
    assert post["feature_image"] == "https://img.example/gpu.jpg"
    assert (post["feature_image_alt"], post["feature_image_caption"]) == ("Racks", "A data centre")
    assert post["custom_excerpt"] == post["excerpt"] == "Eighteen months of GPUs."
    assert post["featured"] is True
    assert post["visibility"] == "public"
    assert post["url"] == "http://cms.test/chips-hoarded/"
    assert post["html"].startswith("<p>Body of article")
    assert "plaintext" not in post
    assert "authors" not in post and "primary_tag" not in post
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_drafts_scheduled_and_trashed_articles_stay_out(ghost_get: GhostGet) -> None:
    make_article(title="Live")
    make_article(title="Draft", status=Status.DRAFT)
    make_article(title="Later", published_at=utcnow() + timedelta(days=1))
    make_article(title="Binned").deleted_at = utcnow()
    db.session.commit()
    assert _titles(ghost_get("posts/")) == ["Live"]
    assert ghost_get("posts/slug/draft/").status_code == 404


def test_include_adds_authors_tags_and_their_primaries(ghost_get: GhostGet) -> None:
    lee, kim = make_author(name="Kai Lee"), make_author(name="Kim")
    make_article(title="GPUs", authors=[lee, kim], tags=["Hardware", "China"])
    db.session.commit()
    post = ghost_get("posts/", include="authors,tags").get_json()["posts"][0]
    assert [a["name"] for a in post["authors"]] == ["Kai Lee", "Kim"]
    assert post["primary_author"]["slug"] == "kai-lee"
    assert post["primary_author"]["url"] == "http://cms.test/author/kai-lee/"
    assert [t["name"] for t in post["tags"]] == ["Hardware", "China"]
    assert post["primary_tag"]["url"] == "http://cms.test/tag/hardware/"


def test_reads_by_id_and_by_slug_return_one_post_without_meta(ghost_get: GhostGet) -> None:
    article = make_article(title="Read me")
    db.session.commit()
    by_id = ghost_get(f"posts/{article.uuid}/").get_json()
    by_slug = ghost_get("posts/slug/read-me/", slug="read-me").get_json()
    assert by_id == by_slug
    assert list(by_id) == ["posts"]
    assert [p["title"] for p in by_id["posts"]] == ["Read me"]


def test_fields_and_formats_shape_each_post(ghost_get: GhostGet) -> None:
    make_article(title="Shaped", markdown="Some **bold** words.")
    db.session.commit()
    narrow = ghost_get("posts/", fields="title,url").get_json()["posts"][0]
    assert narrow == {"title": "Shaped", "url": "http://cms.test/shaped/"}
    both = ghost_get("posts/", formats="html,plaintext").get_json()["posts"][0]
    assert both["plaintext"] == "Some bold words."
    assert "<strong>bold</strong>" in both["html"]
    plain = ghost_get("posts/", formats="plaintext").get_json()["posts"][0]
    assert "html" not in plain


def test_limit_page_and_order(ghost_get: GhostGet) -> None:
    for hours, title in enumerate(["Newest", "Middle", "Oldest"], start=1):
        make_article(title=title, published_at=utcnow() - timedelta(hours=hours))
    db.session.commit()
    first = ghost_get("posts/", limit=2).get_json()
    assert _titles_of(first) == ["Newest", "Middle"]
    assert first["meta"]["pagination"] | {} == {
        "page": 1,
        "limit": 2,
        "pages": 2,
        "total": 3,
        "next": 2,
        "prev": None,
    }
    second = ghost_get("posts/", limit=2, page=2).get_json()
    assert _titles_of(second) == ["Oldest"]
    assert second["meta"]["pagination"]["prev"] == 1
    assert _titles_of(ghost_get("posts/", order="title asc").get_json()) == ["Middle", "Newest", "Oldest"]
    assert _titles_of(ghost_get("posts/", order="published_at asc").get_json()) == [
        "Oldest",
        "Middle",
        "Newest",
    ]


def _titles_of(body: dict) -> list[str]:  # type: ignore[type-arg]
    return [post["title"] for post in body["posts"]]


def test_limit_all_and_oversized_limits_are_capped_at_100_like_ghost_6(ghost_get: GhostGet) -> None:
    for value in ("all", "500"):
        assert ghost_get("posts/", limit=value).get_json()["meta"]["pagination"]["limit"] == 100


@pytest.mark.parametrize(
    ("query", "status", "error_type"),
    [
        ({"limit": "0"}, 422, "ValidationError"),
        ({"limit": "ten"}, 422, "ValidationError"),
        ({"page": "-1"}, 422, "ValidationError"),
        ({"include": "comments"}, 422, "ValidationError"),
        ({"formats": "mobiledoc"}, 422, "ValidationError"),
        ({"order": "password desc"}, 400, "BadRequestError"),
        ({"filter": "tag:[a,b"}, 400, "BadRequestError"),
        ({"filter": "password:secret"}, 400, "BadRequestError"),
    ],
)
def test_bad_parameters_get_ghosts_error_shape(
    ghost_get: GhostGet, query: dict[str, str], status: int, error_type: str
) -> None:
    response = ghost_get("posts/", **query)
    assert response.status_code == status
    (error,) = response.get_json()["errors"]
    assert error["type"] == error_type
    assert error["message"]


def test_a_filter_error_says_what_is_wrong(ghost_get: GhostGet) -> None:
    error = ghost_get("posts/", filter="password:secret").get_json()["errors"][0]
    assert error["message"] == "Error parsing filter"
    assert "cannot filter on 'password'" in error["context"]


def test_the_key_is_required_and_must_be_known(client: FlaskClient, content_key: str) -> None:
    missing = client.get("/ghost/api/content/posts/")
    assert missing.status_code == 403
    assert missing.get_json()["errors"][0]["type"] == "NoPermissionError"
    unknown = client.get("/ghost/api/content/posts/?key=0123456789abcdef0123456789")
    assert unknown.status_code == 401
    assert unknown.get_json()["errors"][0]["message"] == "Unknown Content API Key"
    twice = client.get(f"/ghost/api/content/posts/?key={content_key}&key={content_key}")
    assert twice.status_code == 400


def test_unknown_resources_get_ghosts_404(ghost_get: GhostGet) -> None:
    for path in ("posts/slug/nothing/", "posts/00000000-0000-0000-0000-000000000000/", "tags/slug/x/",
                 "members/", "pages/slug/about/"):  # fmt: skip
        response = ghost_get(path)
        assert response.status_code == 404, path
        assert response.get_json()["errors"][0]["type"] == "NotFoundError"
    assert ghost_get("posts/not-an-id/").status_code == 422


def test_pages_are_an_empty_list(ghost_get: GhostGet) -> None:
    body = ghost_get("pages/").get_json()
    assert body["pages"] == []
    assert body["meta"]["pagination"]["total"] == 0
    filtered = ghost_get("pages/", filter="tag:news", limit="5", page="2").get_json()
    assert filtered["meta"]["pagination"] | {} == {
        "page": 2, "limit": 5, "pages": 1, "total": 0, "next": None, "prev": 1,
    }  # fmt: skip


def test_pages_check_their_parameters_as_posts_do(ghost_get: GhostGet) -> None:
    assert ghost_get("pages/", filter="tag:[oops").status_code == 400
    assert ghost_get("pages/", order="password asc").status_code == 400
    assert ghost_get("pages/", limit="0").status_code == 422


def test_authors_and_tags_count_only_public_posts(ghost_get: GhostGet) -> None:
    lee = make_author(name="Kai Lee")
    make_author(name="Idle")
    make_article(authors=[lee], tags=["GPU"])
    make_article(authors=[lee], tags=["GPU"], status=Status.DRAFT)
    db.session.commit()
    authors = ghost_get("authors/", include="count.posts").get_json()["authors"]
    assert {a["name"]: a["count"]["posts"] for a in authors} == {"Idle": 0, "Kai Lee": 1}
    assert "count" not in ghost_get("authors/").get_json()["authors"][0]
    tag = ghost_get("tags/slug/gpu/", include="count.posts").get_json()["tags"][0]
    assert (tag["name"], tag["count"], tag["visibility"]) == ("GPU", {"posts": 1}, "public")
    by_id = ghost_get(f"authors/{lee.uuid}/", fields="name").get_json()
    assert by_id == {"authors": [{"name": "Kai Lee"}]}


def test_tags_and_authors_can_be_filtered(ghost_get: GhostGet) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        make_tag(name=name)
    db.session.commit()
    tags = ghost_get("tags/", filter="slug:[alpha,gamma]+visibility:public").get_json()["tags"]
    assert [t["name"] for t in tags] == ["Alpha", "Gamma"]
    assert ghost_get("tags/", filter="visibility:internal").get_json()["tags"] == []


def test_settings_describe_the_site(ghost_get: GhostGet) -> None:
    body = ghost_get("settings/").get_json()
    assert body["meta"] == {}
    assert body["settings"]["title"] == "CMS"
    assert body["settings"]["url"] == "http://cms.test/"


def test_clients_that_put_the_version_in_the_path_are_served(client: FlaskClient, content_key: str) -> None:
    make_article(title="Old client")
    db.session.commit()
    response = client.get(f"/ghost/api/v4/content/posts/?key={content_key}")
    assert _titles(response) == ["Old client"]


def test_a_browser_preflight_is_allowed_from_any_origin(client: FlaskClient) -> None:
    response = client.options(
        "/ghost/api/content/posts/",
        headers={"Origin": "https://site.example", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "accept-version"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept-Version" in response.headers["Access-Control-Allow-Headers"]
