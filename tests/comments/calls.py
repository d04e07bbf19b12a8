"""What a frontend does with the comments API, as one-line calls for the tests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from cms.content.models import Article

VISITOR = {"author_name": "Ada", "author_email": "ada@example.org"}


def comments_url(article: Article) -> str:
    return f"/api/v1/articles/{article.uuid}/comments"


def post_comment(
    client: FlaskClient, article: Article, *, headers: dict[str, str] | None = None, **fields: Any
) -> TestResponse:
    """Post as the visitor Ada unless told otherwise; a field given as ``None`` is left out."""
    payload: dict[str, Any] = {**VISITOR, "body": "Have your say!", **fields}
    payload = {key: value for key, value in payload.items() if value is not None}
    return client.post(comments_url(article), json=payload, headers=headers or {})


def thread(client: FlaskClient, article: Article, **params: Any) -> list[dict[str, Any]]:
    """The public comment threads of ``article``, as a frontend would render them."""
    response = client.get(comments_url(article), query_string=params)
    assert response.status_code == 200, response.json
    data: list[dict[str, Any]] = response.json["data"]  # type: ignore[index]
    return data


def csrf_token(client: FlaskClient) -> str:
    response = client.get("/api/v1/auth/csrf")
    assert response.status_code == 200
    token: str = response.json["csrf_token"]  # type: ignore[index]
    return token
