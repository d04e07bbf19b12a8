"""An author's day in the staff UI, in a real browser: log in, write, preview, publish, schedule,
collide with an editor, log out. And a newcomer's first minutes as the demo admin."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from cms.auth.models import Role, User
from cms.content.models import Article, Status
from cms.db import utcnow
from cms.demo import DEMO_ADMIN_FILE
from cms.extensions import db
from tests.browser.conftest import Shot
from tests.factories import DEFAULT_PASSWORD, make_author, make_user

pytestmark = pytest.mark.browser


def _staff(role: Role, username: str, timezone: str = "UTC") -> User:
    user = make_user(role=role, username=username, timezone=timezone)
    make_author(name=username.capitalize(), user_id=user.id)
    return user


def _log_in(page: Any, base: str, username: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto(f"{base}/admin/")
    assert "/login" in page.url
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


@pytest.fixture
def previews_on_live_server(app: Flask, live_server: str) -> Iterator[None]:
    """Preview links point at the live server, as they would point at the CMS's public address."""
    saved = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = live_server
    yield
    app.config["PUBLIC_URL"] = saved


def test_an_author_writes_publishes_schedules_and_survives_a_conflict(
    live_server: str, browser: Any, shot: Shot, screenshot_dir: Path, previews_on_live_server: None
) -> None:
    _staff(Role.AUTHOR, "ada", timezone="Europe/Berlin")
    _staff(Role.EDITOR, "eddie")
    db.session.commit()

    author_context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = author_context.new_page()

    # Log in.
    page.goto(f"{live_server}/admin/")
    shot(page, "login")
    _log_in(page, live_server, "ada")
    assert page.is_visible("text=My drafts")
    shot(page, "dashboard")

    # Write a Markdown article and preview it in the editor.
    page.click("text=Write an article")
    page.fill("#title", "Owls at dusk")
    page.fill("#markdown", "Owls hunt **quietly**.\n\n- barn owl\n- tawny owl")
    page.fill("#tags", "Birds")
    page.click("button[value=preview]")
    assert page.inner_html(".preview .rendered").count("<strong>quietly</strong>") == 1
    shot(page, "preview")

    # Save the draft and open its preview link, as a frontend would: the draft, without a key.
    page.click("button[value=save]")
    assert page.is_visible("text=Saved.")
    editor_url = page.url
    page.click("button:has-text('Get a preview link')")
    shot(page, "preview-link")
    page.click("text=Open the preview")
    draft = json.loads(page.inner_text("body"))["data"]
    assert draft["title"] == "Owls at dusk"
    assert "<strong>quietly</strong>" in draft["html"]
    shot(page, "preview-in-the-api")
    assert page.request.get(f"{live_server}/api/v1/articles/slug/owls-at-dusk").status == 404
    page.goto(editor_url)

    # Publish it and find it in the JSON API.
    page.click("button[value=publish]")
    assert page.is_visible("text=Published.")
    shot(page, "published")
    page.goto(f"{live_server}/api/v1/articles/slug/owls-at-dusk")
    article = json.loads(page.inner_text("body"))["data"]
    assert article["title"] == "Owls at dusk"
    assert [tag["name"] for tag in article["tags"]] == ["Birds"]
    shot(page, "in-the-api")

    # Schedule another for tomorrow 06:00, Berlin time: stored as the same moment in UTC.
    berlin = ZoneInfo("Europe/Berlin")
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(berlin).date()
    page.goto(f"{live_server}/admin/articles/new")
    page.fill("#title", "Morning chorus")
    page.fill("#markdown", "Birds wake up early.")
    page.fill("#publish_at", f"{tomorrow.isoformat()}T06:00")
    page.click("button[value=schedule]")
    assert page.is_visible(f"text=Scheduled for {tomorrow.isoformat()} 06:00 (Europe/Berlin).")
    shot(page, "scheduled")
    scheduled = db.session.scalar(select(Article).where(Article.slug == "morning-chorus"))
    assert scheduled is not None and scheduled.status is Status.SCHEDULED
    expected = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 6, 0, tzinfo=berlin)
    assert scheduled.published_at == expected.astimezone(ZoneInfo("UTC"))
    assert page.request.get(f"{live_server}/api/v1/articles/slug/morning-chorus").status == 404

    # The author and an editor edit the published article at the same time.
    page.goto(f"{live_server}/admin/articles?q=owls")
    page.click("text=Owls at dusk")
    editor_context = browser.new_context()
    editor_page = editor_context.new_page()
    _log_in(editor_page, live_server, "eddie")
    editor_page.goto(page.url)
    editor_page.fill("#markdown", "Owls hunt **silently**.")
    editor_page.click("button[value=save]")
    assert editor_page.is_visible("text=Saved.")
    shot(editor_page, "editor-saved")

    page.fill("#markdown", "Owls hunt **at night**.")
    page.click("button[value=save]")
    assert page.is_visible("text=Someone else saved this article")
    assert "silently" in page.inner_text(".conflict .versions")
    assert "at night" in page.inner_text(".conflict .versions")
    assert page.input_value("#markdown") == "Owls hunt **at night**."  # the author's text is kept
    shot(page, "conflict")
    published = page.request.get(f"{live_server}/api/v1/articles/slug/owls-at-dusk").json()["data"]
    assert "silently" in published["html"]  # and the editor's save was not overwritten
    editor_context.close()

    # Log out: the staff area asks for a login again.
    page.click("header button:has-text('Log out')")
    page.goto(f"{live_server}/admin/")
    assert "/login" in page.url
    shot(page, "logged-out")
    author_context.close()

    assert [p.name for p in sorted(screenshot_dir.glob("*.png"))] == [
        "01-login.png", "02-dashboard.png", "03-preview.png", "04-preview-link.png",
        "05-preview-in-the-api.png", "06-published.png", "07-in-the-api.png", "08-scheduled.png",
        "09-editor-saved.png", "10-conflict.png", "11-logged-out.png",
    ]  # fmt: skip


def test_a_newcomer_logs_in_as_the_demo_admin_and_publishes(
    app: Flask, live_server: str, browser: Any, shot: Shot
) -> None:
    """What `make run` promises: `cms demo load` prints a login; with it, write, publish, see the JSON."""
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    printed = re.search(r"username '(\w+)'.*password '([^']+)'", result.output)
    assert printed is not None, result.output
    kept = (Path(app.instance_path) / DEMO_ADMIN_FILE).read_text()
    assert printed.group(0) in kept

    context = browser.new_context()
    page = context.new_page()
    _log_in(page, live_server, printed.group(1), printed.group(2))
    shot(page, "demo-admin-dashboard")
    page.click("text=Write an article")
    page.fill("#title", "My first article")
    page.fill("#markdown", "Hello from the *demo* admin.")
    page.click("button[value=publish]")
    assert page.is_visible("text=Published.")
    shot(page, "demo-admin-published")
    article = page.request.get(f"{live_server}/api/v1/articles/slug/my-first-article").json()["data"]
    assert article["title"] == "My first article"
    assert "<em>demo</em>" in article["html"]
    listed = page.request.get(f"{live_server}/api/v1/articles?limit=50").json()["data"]
    assert article["id"] in [a["id"] for a in listed]
    context.close()
