"""An editor works the comment queue in a real browser: approve one, mark the rest as spam, reply."""

from __future__ import annotations

from typing import Any

import pytest

from cms.auth.models import Role
from cms.comments.models import CommentStatus
from cms.extensions import db
from tests.browser.conftest import Shot
from tests.factories import DEFAULT_PASSWORD, make_article, make_comment, make_user

pytestmark = pytest.mark.browser


def public_thread(page: Any, base: str, article_id: str) -> list[dict[str, Any]]:
    """What a frontend reads, fetched over HTTP like any other client (without the staff session)."""
    visitor = page.context.browser.new_context()
    try:
        response = visitor.request.get(f"{base}/api/v1/articles/{article_id}/comments")
        assert response.ok
        data: list[dict[str, Any]] = response.json()["data"]
    finally:
        visitor.close()
    return data


def test_an_editor_approves_marks_spam_and_replies(live_server: str, browser: Any, shot: Shot) -> None:
    make_user(role=Role.EDITOR, username="eddie")
    article = make_article(title="Owls at dusk")
    make_comment(article, author_name="Ada", body="Lovely <b>owls</b>.", status=CommentStatus.PENDING)
    make_comment(
        article, author_name="Bot", body="<script>alert(1)</script> cheap pills", status=CommentStatus.PENDING
    )
    make_comment(article, author_name="Bot two", body="more pills", status=CommentStatus.PENDING)
    db.session.commit()
    article_id = str(article.uuid)

    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server}/admin/comments")
    page.fill("input[name=login]", "eddie")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/admin/comments")
    assert page.inner_text("nav.tabs a[aria-current=page]").split() == ["Pending", "3"]
    # The script a commenter typed is shown as text, not run.
    assert page.is_visible("text=<script>alert(1)</script> cheap pills")
    shot(page, "pending")

    page.click("tr:has-text('Ada') button:has-text('Approve')")
    page.wait_for_selector("text=Approve: 1 comment.")
    assert not page.is_visible("tr:has-text('Lovely')")
    assert [c["author_name"] for c in public_thread(page, live_server, article_id)] == ["Ada"]

    page.check("tr:has-text('Bot two') input[type=checkbox]")
    page.check("tr:has-text('cheap pills') input[type=checkbox]")
    page.select_option("#action", "spam")
    page.click("button:has-text('Apply')")
    page.wait_for_selector("text=Mark as spam: 2 comments.")
    assert page.is_visible("text=No pending comments.")
    page.click("nav.tabs a:has-text('Spam')")
    assert page.inner_text("nav.tabs a[aria-current=page]").split() == ["Spam", "2"]
    shot(page, "spam")

    page.click("nav.tabs a:has-text('Approved')")
    page.click("tr:has-text('Ada') a:has-text('Reply')")
    page.fill("textarea[name=body]", "Thank you, <em>Ada</em>!")
    page.click("button:has-text('Publish reply')")
    page.wait_for_selector("text=Your reply is published.")
    shot(page, "replied")

    [shown] = public_thread(page, live_server, article_id)
    [reply] = shown["replies"]
    assert (reply["author_name"], reply["html"]) == ("eddie", "<p>Thank you, <em>Ada</em>!</p>")
    assert dialogs == []
    context.close()
