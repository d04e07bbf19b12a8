"""The rest of the staff article pages: the dashboard, list filters and pages, every editor field,
unpublishing, any-two-revision diffs, and refusals that keep what the user typed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask.testing import FlaskClient

from cms.audit.models import AuditEntry
from cms.auth.models import Role, User
from cms.comments.models import CommentStatus
from cms.content.models import Status
from cms.db import utcnow
from cms.extensions import db
from tests.admin.test_article_editor import article_by_title, csrf, editor_form
from tests.factories import make_article, make_author, make_comment, make_tag

StaffClient = Callable[..., tuple[FlaskClient, User]]


def section(page: str, heading: str) -> str:
    """The dashboard card under ``heading``."""
    match = re.search(rf"<h2>{heading}</h2>(.*?)</section>", page, re.S)
    assert match, f"the dashboard has a {heading!r} card"
    return match.group(1)


def test_the_dashboard_shows_my_drafts_scheduled_recent_and_pending_comments(staff_client: StaffClient):
    editor, user = staff_client(Role.EDITOR)
    make_article(title="My own draft", status=Status.DRAFT, published_at=None, by=user)
    _, colleague = staff_client(Role.EDITOR)
    make_article(title="Someone's draft", status=Status.DRAFT, published_at=None, by=colleague)
    make_article(title="Tomorrow's piece", status=Status.SCHEDULED, published_at=utcnow() + timedelta(days=1))
    live = make_article(title="Out already")
    make_comment(live, status=CommentStatus.PENDING)
    make_comment(live, status=CommentStatus.PENDING)
    make_comment(live)
    db.session.commit()

    page = editor.get("/admin/").get_data(as_text=True)
    assert "My own draft" in section(page, "My drafts")
    assert "Someone" not in section(page, "My drafts")
    assert "Tomorrow&#39;s piece" in section(page, "Scheduled")
    assert "Out already" in section(page, "Recently published")
    assert "Tomorrow" not in section(page, "Recently published")
    assert "<strong>2</strong> waiting for moderation" in section(page, "Comments")

    author, _ = staff_client(Role.AUTHOR)
    page = author.get("/admin/").get_data(as_text=True)
    assert "No drafts." in section(page, "My drafts")
    assert "Out already" not in page  # not theirs
    assert "waiting for moderation" not in page  # authors do not moderate


def test_the_list_filters_by_author_and_tag_and_pages_keep_the_filters(staff_client: StaffClient):
    editor, _ = staff_client(Role.EDITOR)
    lena, sam = make_author(name="Lena"), make_author(name="Sam")
    for n in range(23):
        make_article(title=f"Lena piece {n:02d}", authors=[lena], tags=["Birds"] if n % 2 else [])
    make_article(title="Sam piece", authors=[sam], tags=["Birds"])
    db.session.commit()

    by_sam = editor.get("/admin/articles?author=sam").get_data(as_text=True)
    assert "Sam piece" in by_sam and "Lena piece" not in by_sam
    birds = editor.get("/admin/articles?tag=birds&author=lena").get_data(as_text=True)
    assert "11 articles" in birds
    assert "Sam piece" not in birds and "Lena piece 01" in birds and "Lena piece 02" not in birds
    assert '<option value="lena">Lena</option>' in by_sam  # the filters suggest slugs

    first = editor.get("/admin/articles?author=lena").get_data(as_text=True)
    assert "23 articles" in first and "Page 1 of 2" in first
    assert len(re.findall(r"Lena piece \d\d", first)) == 20
    next_link = re.search(r'href="(/admin/articles\?[^"]*page=2[^"]*)"', first)
    assert next_link and "author=lena" in next_link.group(1)
    second = editor.get(next_link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Page 2 of 2" in second
    assert len(re.findall(r"Lena piece \d\d", second)) == 3
    assert editor.get("/admin/articles?page=abc&status=nonsense").status_code == 200


def test_every_editor_field_is_saved_and_authors_keep_their_order(staff_client: StaffClient):
    editor, _ = staff_client(Role.EDITOR)
    make_author(name="Zoe", slug="zoe")
    make_author(name="Adam", slug="adam")
    make_tag(name="Science")
    db.session.commit()
    form = editor_form(
        editor, "/admin/articles/new", title="Full house", slug="full-house-2026", excerpt="Short.",
        markdown="Body **text**.", tags="Science, New topic", authors="zoe, adam", language="de-AT",
        featured="y", feature_image_url="https://img.example.org/a.jpg", feature_image_alt="A view",
        feature_image_caption="Caption", meta_title="Meta T", meta_description="Meta D",
    )  # fmt: skip
    del form["comments_enabled"]  # an unticked checkbox is not sent
    assert editor.post("/admin/articles/new", data=form).status_code == 302
    article = article_by_title("Full house")
    assert [a.slug for a in article.authors] == ["zoe", "adam"]
    assert [t.name for t in article.tags] == ["Science", "New topic"]
    assert (article.slug, article.excerpt, article.language) == ("full-house-2026", "Short.", "de-AT")
    assert (article.featured, article.comments_enabled) == (True, False)
    assert (article.feature_image_url, article.feature_image_alt, article.feature_image_caption) == (
        "https://img.example.org/a.jpg", "A view", "Caption",
    )  # fmt: skip
    assert (article.meta_title, article.meta_description) == ("Meta T", "Meta D")

    url = f"/admin/articles/{article.uuid}/edit"
    page = editor.get(url).get_data(as_text=True)
    assert 'value="zoe, adam"' in page and 'value="de-AT"' in page
    reordered = editor_form(editor, url, title="Full house", authors="adam, zoe", version="1",
                            comments_enabled="y")  # fmt: skip
    assert editor.post(url, data=reordered).status_code == 302
    article = article_by_title("Full house")
    assert [a.slug for a in article.authors] == ["adam", "zoe"]
    assert article.comments_enabled is True


def test_bad_editor_input_is_reported_on_the_fields(staff_client: StaffClient):
    editor, _ = staff_client(Role.EDITOR)
    form = editor_form(editor, "/admin/articles/new", title="", authors="nobody-here",
                       feature_image_url="not a url")  # fmt: skip
    page = editor.post("/admin/articles/new", data=form)
    assert page.status_code == 200
    assert "Please fix the marked fields." in page.get_data(as_text=True)
    form = editor_form(editor, "/admin/articles/new", title="Ok", authors="nobody-here")
    page = editor.post("/admin/articles/new", data=form).get_data(as_text=True)
    assert "no author with slug" in page


def test_unpublishing_takes_the_article_down_and_is_audited(staff_client: StaffClient):
    author, user = staff_client(Role.AUTHOR)
    article = make_article(title="Too early", by=user)
    db.session.commit()
    assert author.get("/api/v1/articles/slug/too-early").status_code == 200
    url = f"/admin/articles/{article.uuid}/edit"
    done = author.post(url, data=editor_form(author, url, title="Too early", version="1", action="unpublish"))
    assert done.status_code == 302
    assert article_by_title("Too early").status is Status.DRAFT
    assert author.get("/api/v1/articles/slug/too-early").status_code == 404
    assert db.session.scalar(db.select(AuditEntry.action)) == "article.unpublish"


def test_refused_steps_keep_the_text_in_the_editor(staff_client: StaffClient):
    contributor, user = staff_client(Role.CONTRIBUTOR)
    article = make_article(title="Draft", status=Status.DRAFT, published_at=None, by=user)
    db.session.commit()
    url = f"/admin/articles/{article.uuid}/edit"
    form = editor_form(
        contributor, url, title="Draft", markdown="Long careful text.", tags="Brand new tag", version="1"
    )
    refused = contributor.post(url, data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "Not saved: You may use existing tags only" in page
    assert "Long careful text." in page

    author, writer = staff_client(Role.AUTHOR)
    live = make_article(title="Live", slug="live", by=writer)
    db.session.commit()
    url = f"/admin/articles/{live.uuid}/edit"
    moved = author.post(url, data=editor_form(author, url, title="Live", slug="moved", version="1"))
    assert moved.status_code == 403
    assert article_by_title("Live").slug == "live"


def test_a_published_slug_stays_when_the_title_changes(staff_client: StaffClient):
    author, user = staff_client(Role.AUTHOR)
    article = make_article(title="Old headline", by=user)
    db.session.commit()
    url = f"/admin/articles/{article.uuid}/edit"
    form = editor_form(author, url, title="New headline", slug="", version="1")
    assert author.post(url, data=form).status_code == 302
    assert article_by_title("New headline").slug == "old-headline"
    editor, _ = staff_client(Role.EDITOR)
    form = editor_form(editor, url, title="New headline", slug="new-headline", version="2")
    assert editor.post(url, data=form).status_code == 302
    assert article_by_title("New headline").slug == "new-headline"


def test_history_compares_any_two_revisions(staff_client: StaffClient):
    editor, _ = staff_client(Role.EDITOR)
    editor.post("/admin/articles/new",
                data=editor_form(editor, "/admin/articles/new", title="Three", markdown="alpha"))  # fmt: skip
    article = article_by_title("Three")
    url = f"/admin/articles/{article.uuid}/edit"
    for version, body in ((1, "beta"), (2, "gamma")):
        editor.post(url, data=editor_form(editor, url, title="Three", markdown=body, version=str(version)))
    history = f"/admin/articles/{article.uuid}/revisions"
    page = editor.get(f"{history}?a=1&b=3").get_data(as_text=True)
    assert "revision 1" in page and "revision 3" in page
    assert '<span class="diff-del">-alpha</span>' in page and '<span class="diff-add">+gamma</span>' in page
    assert "beta" not in page
    assert "No differences." in editor.get(f"{history}?a=2&b=2").get_data(as_text=True)
    assert editor.get(f"{history}?a=1&b=9").status_code == 404
    token = csrf(editor, history)
    stale = editor.post(f"{history.replace('/revisions', '')}/revisions/1/restore",
                        data={"csrf_token": token, "version": "1"}, follow_redirects=True)  # fmt: skip
    assert "The article changed while you were looking" in stale.get_data(as_text=True)
    assert article_by_title("Three").markdown == "gamma"


def test_staff_choose_their_time_zone_and_scheduling_follows_it(staff_client: StaffClient):
    client, user = staff_client(Role.AUTHOR)
    assert "Times are shown in UTC" in client.get("/admin/").get_data(as_text=True)
    token = csrf(client, "/admin/time-zone")
    bad = client.post("/admin/time-zone", data={"csrf_token": token, "timezone": "Mars/Olympus"})
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True)
    saved = client.post("/admin/time-zone", data={"csrf_token": token, "timezone": "America/New_York"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert user.timezone == "America/New_York"
    assert "Your time zone: America/New_York" in client.get("/admin/articles/new").get_data(as_text=True)
    form = editor_form(client, "/admin/articles/new", title="Eastern", action="schedule",
                       publish_at="2099-07-01T06:00")  # fmt: skip
    assert client.post("/admin/articles/new", data=form).status_code == 302
    assert article_by_title("Eastern").published_at.isoformat() == "2099-07-01T10:00:00+00:00"
