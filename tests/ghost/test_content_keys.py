"""Making and deleting content keys: in /admin (admins only) and with ``cms content-keys``."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from cms.auth.models import Role
from cms.extensions import db
from cms.ghost.keys import ContentKey, create_content_key
from tests.auth.browser import csrf_token, submit

SignedIn = Callable[[Role], FlaskClient]


def test_an_admin_creates_a_key_that_the_ghost_api_accepts(signed_in: SignedIn) -> None:
    admin = signed_in(Role.ADMIN)
    page = submit(admin, "/admin/content-keys", {"name": "Marketing site"})
    assert page.status_code == 200
    shown = re.search(r'value="([0-9a-f]{26})"', page.text)
    assert shown, page.text
    response = admin.get(f"/ghost/api/content/settings/?key={shown.group(1)}")
    assert response.status_code == 200
    assert "Marketing site" in admin.get("/admin/content-keys").text
    assert shown.group(1) not in admin.get("/admin/content-keys").text


def test_deleting_a_key_locks_its_frontend_out(signed_in: SignedIn) -> None:
    row, key = create_content_key("Old site")
    db.session.commit()
    admin = signed_in(Role.ADMIN)
    token = csrf_token(admin.get("/admin/content-keys").text)
    deleted = admin.post(f"/admin/content-keys/{row.id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 302
    assert admin.get(f"/ghost/api/content/posts/?key={key}").status_code == 401


def test_editors_cannot_manage_content_keys(signed_in: SignedIn) -> None:
    editor = signed_in(Role.EDITOR)
    assert editor.get("/admin/content-keys").status_code == 403
    assert "Content keys" not in editor.get("/admin/").text


def test_the_cli_prints_the_key_as_its_last_line(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["content-keys", "create", "--name", "Gatsby build"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"[0-9a-f]{26}", key)
    assert db.session.query(ContentKey).one().name == "Gatsby build"
    listed = app.test_cli_runner().invoke(args=["content-keys", "list"])
    assert "Gatsby build" in listed.output and key not in listed.output
    refused = app.test_cli_runner().invoke(args=["content-keys", "create", "--name", "  "])
    assert refused.exit_code != 0
