"""Filling in the account pages' forms as a browser would: fetch the page, take its CSRF token, post."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def path_of(link: str) -> str:
    """The path (and query) of an emailed link, to follow it with the test client."""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def submit(
    client: FlaskClient, page: str, data: dict[str, str], *, action: str | None = None
) -> TestResponse:
    """Open ``page``, then post ``data`` with the page's CSRF token to ``action`` (or the page itself)."""
    opened = client.get(page)
    assert opened.status_code == 200, opened.text
    return client.post(action or page, data={"csrf_token": csrf_token(opened.text), **data})


#: Headers that differ between any two responses: the clock, the re-signed cookie, the limit window.
_CHANGING = {"Date", "Set-Cookie", "X-RateLimit-Reset"}


def same_headers(one: TestResponse, other: TestResponse) -> bool:
    """True when the responses carry the same headers (names, values, order), bar the ever-changing."""
    return [h for h in one.headers if h[0] not in _CHANGING] == [
        h for h in other.headers if h[0] not in _CHANGING
    ]
