"""Authors, tags, users, API keys and the audit log, as staff use them."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from cms.audit.models import AuditEntry
from cms.auth.api_keys import ApiKey, authenticate_api_key
from cms.auth.models import Role, User
from cms.content.models import Author, Tag
from cms.extensions import db
from tests.admin.test_article_editor import csrf
from tests.factories import make_tag, make_user

StaffClient = Callable[..., tuple[FlaskClient, User]]


def test_editors_manage_tags_and_authors_do_not(staff_client: StaffClient):
    editor, _ = staff_client(Role.EDITOR)
    token = csrf(editor, "/admin/tags/new")
    created = editor.post("/admin/tags/new", data={"csrf_token": token, "name": "Night Sky", "slug": ""})
    assert created.status_code == 302
    tag = db.session.scalar(db.select(Tag))
    assert (tag.name, tag.slug) == ("Night Sky", "night-sky")
    renamed = editor.post(
        f"/admin/tags/{tag.uuid}", data={"csrf_token": token, "name": "Stars", "slug": "stars"}
    )
    assert renamed.status_code == 302
    db.session.expire_all()
    assert tag.slug == "stars"

    author, _ = staff_client(Role.AUTHOR)
    assert author.get("/admin/tags").status_code == 403
    assert "Tags</a>" not in author.get("/admin/").get_data(as_text=True)


def test_a_taken_slug_is_reported_on_the_field(staff_client: StaffClient):
    editor, _ = staff_client(Role.EDITOR)
    make_tag(name="Taken", slug="taken")
    db.session.commit()
    token = csrf(editor, "/admin/tags/new")
    page = editor.post("/admin/tags/new", data={"csrf_token": token, "name": "Other", "slug": "taken"})
    assert "&#39;taken&#39; is already in use" in page.get_data(as_text=True)


def test_an_author_edits_their_own_byline_only(staff_client: StaffClient):
    author, user = staff_client(Role.AUTHOR)
    staff_client(Role.AUTHOR)
    byline = db.session.scalar(db.select(Author).where(Author.user_id == user.id))
    token = csrf(author, f"/admin/authors/{byline.uuid}")
    saved = author.post(
        f"/admin/authors/{byline.uuid}", data={"csrf_token": token, "name": "Ada L.", "bio": "Writes."}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert (byline.name, byline.bio) == ("Ada L.", "Writes.")
    someone_else = db.session.scalar(db.select(Author).where(Author.user_id != user.id))
    assert author.get(f"/admin/authors/{someone_else.uuid}").status_code == 403


def test_admins_change_roles_and_deactivate_with_an_audit_trail(staff_client: StaffClient):
    admin, me = staff_client(Role.ADMIN)
    writer = make_user(role=Role.AUTHOR, username="writer")
    db.session.commit()
    token = csrf(admin, "/admin/users")
    assert (
        admin.post(f"/admin/users/{writer.id}/role", data={"csrf_token": token, "role": "editor"}).status_code
        == 302
    )
    assert admin.post(f"/admin/users/{writer.id}/active/0", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert (writer.role, writer.active) == (Role.EDITOR, False)
    summaries = db.session.scalars(db.select(AuditEntry.summary).order_by(AuditEntry.id)).all()
    assert summaries == ["Changed writer from author to editor", "Deactivated writer"]
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert "Deactivated writer" in log and me.username in log
    # An admin cannot lock themself out.
    admin.post(f"/admin/users/{me.id}/role", data={"csrf_token": token, "role": "reader"})
    db.session.expire_all()
    assert me.role is Role.ADMIN


def test_only_admins_see_users_and_the_audit_log(staff_client: StaffClient):
    editor, _ = staff_client(Role.EDITOR)
    assert editor.get("/admin/users").status_code == 403
    assert editor.get("/admin/audit").status_code == 403


def test_an_admin_invites_a_new_staff_member(staff_client: StaffClient):
    admin, _ = staff_client(Role.ADMIN)
    token = csrf(admin, "/admin/users")
    response = admin.post(
        "/admin/users/invite",
        data={"csrf_token": token, "email": "new@example.org", "username": "newbie", "role": "author"},
    )
    assert response.status_code == 302
    invited = db.session.scalar(db.select(User).where(User.username == "newbie"))
    assert invited is not None
    assert (invited.role, invited.password_hash) == (Role.AUTHOR, None)


def test_a_new_key_is_shown_once_and_works(staff_client: StaffClient):
    client, user = staff_client(Role.AUTHOR)
    token = csrf(client, "/admin/api-keys")
    page = client.post(
        "/admin/api-keys", data={"csrf_token": token, "name": "site build", "scopes": ["content:read"]}
    ).get_data(as_text=True)
    shown = re.search(r'id="new-key"[^>]*|value="(cms_[^"]+)"', page) and re.search(
        r'value="(cms_[^"]+)"', page
    )
    assert shown, "the new key is on the page"
    row = authenticate_api_key(shown.group(1))
    assert row is not None and row.user_id == user.id
    db.session.commit()
    assert shown.group(1) not in client.get("/admin/api-keys").get_data(as_text=True)
    assert "admin" not in re.findall(r'value="([a-z:]+)"', page)


def test_keys_are_revoked_from_the_list(staff_client: StaffClient):
    client, _ = staff_client(Role.EDITOR)
    token = csrf(client, "/admin/api-keys")
    client.post("/admin/api-keys", data={"csrf_token": token, "name": "old", "scopes": ["content:write"]})
    row = db.session.scalar(db.select(ApiKey))
    assert client.post(f"/admin/api-keys/{row.prefix}/revoke", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert row.revoked
    stranger, _ = staff_client(Role.EDITOR)
    token = csrf(stranger, "/admin/api-keys")
    assert (
        stranger.post(f"/admin/api-keys/{row.prefix}/revoke", data={"csrf_token": token}).status_code == 404
    )


def test_the_key_list_shows_when_a_key_was_last_used_and_revoking_stops_it(staff_client: StaffClient):
    client, _ = staff_client(Role.EDITOR)
    token = csrf(client, "/admin/api-keys")
    page = client.post(
        "/admin/api-keys", data={"csrf_token": token, "name": "nightly import", "scopes": ["content:write"]}
    ).get_data(as_text=True)
    key = re.search(r'value="(cms_[^"]+)"', page)
    assert key
    row = db.session.scalar(db.select(ApiKey))
    listed = client.get("/admin/api-keys").get_data(as_text=True)
    assert re.search(r"nightly import.*?<td>never</td>", listed, re.S)

    bearer = {"Authorization": f"Bearer {key.group(1)}"}
    assert client.get("/api/v1/articles?status=draft", headers=bearer).status_code == 200
    listed = client.get("/admin/api-keys").get_data(as_text=True)
    assert not re.search(r"nightly import.*?<td>never</td>", listed, re.S)
    assert re.search(r"nightly import.*?<time datetime=", listed, re.S)

    client.post(f"/admin/api-keys/{row.prefix}/revoke", data={"csrf_token": token})
    assert client.get("/api/v1/articles?status=draft", headers=bearer).status_code == 401
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["api_key.create", "api_key.revoke"]
