"""Staff stories in the article editor: write, preview, publish, schedule, conflicts, trash, history."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from cms.audit.models import AuditEntry
from cms.auth.models import Role, User
from cms.content.models import Article, Status
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article

StaffClient = Callable[..., tuple[FlaskClient, User]]


def csrf(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "the page has a CSRF token"
    return match.group(1)


def editor_form(client: FlaskClient, url: str, **fields: str) -> dict[str, str]:
    values = {"csrf_token": csrf(client, url), "title": "Untitled", "markdown": "", "language": "en",
              "comments_enabled": "y", "action": "save"}  # fmt: skip
    values.update(fields)
    return values


def article_by_title(title: str) -> Article:
    db.session.expire_all()
    article = db.session.scalar(db.select(Article).where(Article.title == title))
    assert article is not None
    return article


def test_an_author_writes_previews_and_publishes(staff_client: StaffClient):
    client, user = staff_client(Role.AUTHOR)
    form = editor_form(client, "/admin/articles/new", title="Field notes", markdown="Some *emphasis*.")
    preview = client.post("/admin/articles/new", data={**form, "action": "preview"})
    assert "<em>emphasis</em>" in preview.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Article)) == 0

    saved = client.post("/admin/articles/new", data=form)
    assert saved.status_code == 302
    article = article_by_title("Field notes")
    assert (article.status, article.created_by_id) == (Status.DRAFT, user.id)

    url = f"/admin/articles/{article.uuid}/edit"
    published = client.post(
        url, data=editor_form(client, url, title="Field notes", version="1", action="publish")
    )
    assert published.status_code == 302
    assert client.get("/api/v1/articles/slug/field-notes").status_code == 200
    assert "Published." in client.get(url).get_data(as_text=True)


def test_a_contributor_sees_no_publish_button_and_cannot_force_one(staff_client: StaffClient):
    client, user = staff_client(Role.CONTRIBUTOR)
    article = make_article(title="Mine", status=Status.DRAFT, published_at=None, by=user)
    db.session.commit()
    url = f"/admin/articles/{article.uuid}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="publish"' not in page
    forced = client.post(url, data=editor_form(client, url, title="Mine", version="1", action="publish"))
    assert forced.status_code == 403
    assert article_by_title("Mine").status is Status.DRAFT


def test_scheduling_reads_the_time_in_the_staff_members_zone(staff_client: StaffClient):
    client, _ = staff_client(Role.EDITOR, timezone="Europe/Berlin")
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo("Europe/Berlin")).date()
    form = editor_form(client, "/admin/articles/new", title="Morning news", action="schedule",
                       publish_at=f"{tomorrow.isoformat()}T06:00")  # fmt: skip
    assert client.post("/admin/articles/new", data=form).status_code == 302
    article = article_by_title("Morning news")
    expected = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 6, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert article.status is Status.SCHEDULED
    assert article.published_at == expected.astimezone(ZoneInfo("UTC"))
    page = client.get(f"/admin/articles/{article.uuid}/edit").get_data(as_text=True)
    assert f"{tomorrow.isoformat()} 06:00 Europe/Berlin" in page
    assert client.get("/api/v1/articles/slug/morning-news").status_code == 404


def test_scheduling_in_the_past_is_refused_on_the_field(staff_client: StaffClient):
    client, _ = staff_client(Role.EDITOR)
    form = editor_form(
        client, "/admin/articles/new", title="Late", action="schedule", publish_at="2001-01-01T06:00"
    )
    page = client.post("/admin/articles/new", data=form).get_data(as_text=True)
    assert "choose a time in the future" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Article)) == 0


def test_a_conflicting_save_shows_both_versions_and_overwrites_nothing(staff_client: StaffClient):
    editor, _ = staff_client(Role.EDITOR)
    author, user = staff_client(Role.AUTHOR)
    article = make_article(title="Shared story", markdown="First draft.", by=user)
    db.session.commit()
    url = f"/admin/articles/{article.uuid}/edit"
    editor_form_v1 = editor_form(
        editor, url, title="Shared story", markdown="Editor fixed a typo.", version="1"
    )
    author_form_v1 = editor_form(
        author, url, title="Shared story", markdown="Author rewrote it.", version="1"
    )

    assert editor.post(url, data=editor_form_v1).status_code == 302
    clash = author.post(url, data=author_form_v1)
    page = clash.get_data(as_text=True)
    assert clash.status_code == 200
    assert "Someone else saved this article" in page
    assert "Editor fixed a typo." in page and "Author rewrote it." in page
    assert article_by_title("Shared story").markdown == "Editor fixed a typo."
    # The form now carries the saved version: saving again is a deliberate overwrite.
    assert 'name="version" type="hidden" value="2"' in page


def test_trash_and_restore(staff_client: StaffClient):
    author, user = staff_client(Role.AUTHOR)
    editor, _ = staff_client(Role.EDITOR)
    article = make_article(title="Oops", by=user)
    db.session.commit()
    edit_url = f"/admin/articles/{article.uuid}/edit"
    token = csrf(author, edit_url)
    assert author.post(f"/admin/articles/{article.uuid}/trash", data={"csrf_token": token}).status_code == 302
    assert client_sees(author, "/admin/articles?status=trash", "Oops")
    refused = author.post(f"/admin/articles/{article.uuid}/restore", data={"csrf_token": token})
    assert refused.status_code == 403
    token = csrf(editor, edit_url)
    assert (
        editor.post(f"/admin/articles/{article.uuid}/restore", data={"csrf_token": token}).status_code == 302
    )
    assert article_by_title("Oops").deleted_at is None
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["article.trash", "article.restore"]


def client_sees(client: FlaskClient, url: str, text: str) -> bool:
    return text in client.get(url).get_data(as_text=True)


def test_history_shows_a_diff_and_restores_a_revision(staff_client: StaffClient):
    client, _ = staff_client(Role.EDITOR)
    client.post("/admin/articles/new", data=editor_form(client, "/admin/articles/new", title="Diffed",
                                                        markdown="Line one.\nLine two."))  # fmt: skip
    article = article_by_title("Diffed")
    url = f"/admin/articles/{article.uuid}/edit"
    client.post(
        url, data=editor_form(client, url, title="Diffed", markdown="Line one.\nLine 2.", version="1")
    )
    history = client.get(f"/admin/articles/{article.uuid}/revisions").get_data(as_text=True)
    assert '<span class="diff-del">-Line two.</span>' in history
    assert '<span class="diff-add">+Line 2.</span>' in history
    token = csrf(client, f"/admin/articles/{article.uuid}/revisions")
    restored = client.post(
        f"/admin/articles/{article.uuid}/revisions/1/restore", data={"csrf_token": token, "version": "2"}
    )
    assert restored.status_code == 302
    assert article_by_title("Diffed").markdown == "Line one.\nLine two."


def test_the_list_filters_by_status_and_search_and_hides_others_drafts_from_authors(
    staff_client: StaffClient,
):
    client, user = staff_client(Role.AUTHOR)
    make_article(title="My draft about owls", status=Status.DRAFT, published_at=None, by=user)
    make_article(title="My published piece", by=user)
    make_article(title="Someone else's owls")
    db.session.commit()
    assert client_sees(client, "/admin/articles?status=draft", "My draft about owls")
    assert not client_sees(client, "/admin/articles?status=draft", "My published piece")
    assert not client_sees(client, "/admin/articles?q=owls", "Someone else")
    editor, _ = staff_client(Role.EDITOR)
    assert client_sees(editor, "/admin/articles?q=owls", "Someone else&#39;s owls")


def test_a_preview_link_can_be_made_from_the_editor(staff_client: StaffClient):
    client, user = staff_client(Role.AUTHOR)
    article = make_article(title="Peek", status=Status.DRAFT, published_at=None, by=user)
    db.session.commit()
    url = f"/admin/articles/{article.uuid}/edit"
    page = client.post(f"/admin/articles/{article.uuid}/preview-link", data={"csrf_token": csrf(client, url)})
    link = re.search(r'value="(http://cms.test/api/v1/articles/[^"]+)"', page.get_data(as_text=True))
    assert link
    api_path = link.group(1).replace("http://cms.test", "").replace("&amp;", "&")
    assert client.get(api_path).get_json()["data"]["title"] == "Peek"
