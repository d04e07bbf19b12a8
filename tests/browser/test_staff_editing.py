"""An author's day in the staff UI, in a real browser: log in, write, preview, publish, schedule,
collide with an editor, log out."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cms.auth.models import Role, User
from cms.db import utcnow
from cms.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_author, make_user

pytestmark = pytest.mark.browser


def _staff(role: Role, username: str, timezone: str = "UTC") -> User:
    user = make_user(role=role, username=username, timezone=timezone)
    make_author(name=username.capitalize(), user_id=user.id)
    return user


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/admin/")
    assert "/login" in page.url
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_an_author_writes_publishes_schedules_and_survives_a_conflict(
    live_server: str, browser: Any, screenshot_dir: Path
) -> None:
    _staff(Role.AUTHOR, "ada", timezone="Europe/Berlin")
    _staff(Role.EDITOR, "eddie")
    db.session.commit()
    shots = iter(range(1, 100))

    def shot(page: Any, name: str) -> None:
        page.screenshot(path=str(screenshot_dir / f"{next(shots):02d}-{name}.png"), full_page=True)

    author_context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = author_context.new_page()

    # Log in.
    page.goto(f"{live_server}/admin/")
    shot(page, "login")
    _log_in(page, live_server, "ada")
    assert page.is_visible("text=My drafts")
    shot(page, "dashboard")

    # Write a Markdown article and preview it.
    page.click("text=Write an article")
    page.fill("#title", "Owls at dusk")
    page.fill("#markdown", "Owls hunt **quietly**.\n\n- barn owl\n- tawny owl")
    page.fill("#tags", "Birds")
    page.click("button[value=preview]")
    assert page.inner_html(".preview .rendered").count("<strong>quietly</strong>") == 1
    shot(page, "preview")

    # Publish it and find it in the JSON API.
    page.click("button[value=publish]")
    assert page.is_visible("text=Published.")
    shot(page, "published")
    page.goto(f"{live_server}/api/v1/articles/slug/owls-at-dusk")
    article = json.loads(page.inner_text("body"))["data"]
    assert article["title"] == "Owls at dusk"
    assert [tag["name"] for tag in article["tags"]] == ["Birds"]
    shot(page, "in-the-api")

    # Schedule another for tomorrow 06:00, Berlin time.
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo("Europe/Berlin")).date()
    page.goto(f"{live_server}/admin/articles/new")
    page.fill("#title", "Morning chorus")
    page.fill("#markdown", "Birds wake up early.")
    page.fill("#publish_at", f"{tomorrow.isoformat()}T06:00")
    page.click("button[value=schedule]")
    assert page.is_visible(f"text=Scheduled for {tomorrow.isoformat()} 06:00 (Europe/Berlin).")
    shot(page, "scheduled")
    response = page.request.get(f"{live_server}/api/v1/articles/slug/morning-chorus")
    assert response.status == 404

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
    assert "silently" in page.inner_text(".conflict")
    assert "at night" in page.inner_text(".conflict")
    shot(page, "conflict")
    published = page.request.get(f"{live_server}/api/v1/articles/slug/owls-at-dusk").json()["data"]
    assert "silently" in published["html"]
    editor_context.close()

    # Log out: the staff area asks for a login again.
    page.click("header button:has-text('Log out')")
    page.goto(f"{live_server}/admin/")
    assert "/login" in page.url
    shot(page, "logged-out")
    author_context.close()
