"""The example frontend (examples/frontend/) in a real browser: a static page on one loopback port
reading the CMS (the shared ``live_server``) on another, as ``make example`` runs them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from cms.comments.models import Comment, CommentStatus
from cms.extensions import db
from tests.browser.conftest import PROJECT_ROOT, Shot
from tests.factories import make_article, make_author, make_comment, make_user
from tests.mailbox import Mailbox

pytestmark = pytest.mark.browser

FRONTEND = PROJECT_ROOT / "examples" / "frontend"
#: A stand-in feature image, served beside the page so the test needs no network.
FEATURE_IMAGE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="500">'
    b'<rect width="1200" height="500" fill="#2f6f5e"/>'
    b'<circle cx="600" cy="250" r="160" fill="#e9c46a"/></svg>'
)
TITLE = "Chinesische Firma hat vor Exportverbot 18 Monate lang Nvidia-GPUs gelagert"
CAPTION = "Chinesische KI-Firma hat vor dem Exportverbot 18 Monate lang Nvidia-GPUs gelagert"
ALLOWED_TAGS_NOTE = (
    'You may use these HTML tags and attributes: <a href="" title=""> <abbr title=""> <acronym title=""> '
    '<b> <blockquote cite=""> <cite> <code> <del datetime=""> <em> <i> <q cite=""> <s> <strike> <strong>'
)


class _FrontendFiles(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/test-feature.svg":
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.send_header("Content-Length", str(len(FEATURE_IMAGE)))
            self.end_headers()
            self.wfile.write(FEATURE_IMAGE)
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


@pytest.fixture
def frontend() -> Iterator[str]:
    """examples/frontend served as plain files, as ``python -m http.server`` does in ``make example``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_FrontendFiles, directory=str(FRONTEND)))
    thread = threading.Thread(target=server.serve_forever, name="example-frontend", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def example_config(app: Flask, frontend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``make example`` sets: the page's origin allowed by name (so cookies may travel); and no
    moderation, so posted comments show at once."""
    monkeypatch.setitem(app.config, "CORS_ORIGINS", [frontend])
    monkeypatch.setitem(app.config, "COMMENTS_MODERATION", "none")


def _seed(frontend: str) -> tuple[str, Comment]:
    article = make_article(
        title=TITLE,
        language="de",
        markdown="In China gibt es anscheinend eine Menge ungenutzter KI-GPUs.\n\n„Gehortet“, sagte Lee.",
        authors=[make_author(name="Lena Hoffmann"), make_author(name="Sam Okafor")],
        tags=["KI", "Hardware"],
        feature_image_url=f"{frontend}/test-feature.svg",
        feature_image_alt="Ein Rechenzentrum",
        feature_image_caption=CAPTION,
    )
    first = make_comment(article, author_name="Mara", body="Kluger Schachzug, <em>wirklich</em>.")
    make_comment(article, author_name="Jonas", body="Oder einfach Glück.", parent=first)
    make_comment(article, author_name="Hidden", body="Waiting for a moderator.", status=CommentStatus.PENDING)
    make_user(username="reader", email="reader@example.org")
    db.session.commit()
    return article.slug, first


def _upvotes(comment_id: int) -> tuple[int, int]:
    db.session.expire_all()
    comment = db.session.get(Comment, comment_id)
    assert comment is not None
    return comment.upvotes, comment.downvotes


@pytest.mark.usefixtures("example_config")
def test_the_example_page_shows_the_article_and_takes_comments_replies_and_votes(
    live_server: str, frontend: str, browser: Any, shot: Shot, smtp: Mailbox
) -> None:
    slug, first = _seed(frontend)
    page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{frontend}/index.html?api={live_server}/api/v1&article={slug}")

    # The article, as the seed page shows it.
    page.wait_for_selector("#article:not([hidden])")
    assert page.inner_text(".breadcrumb").split() == ["Startseite", "»", *TITLE.split()]
    assert page.inner_text("h1") == TITLE
    assert page.inner_text("figcaption") == CAPTION
    assert page.get_attribute("#feature-image", "alt") == "Ein Rechenzentrum"
    page.wait_for_function("document.getElementById('feature-image').naturalWidth > 0")
    assert "ungenutzter KI-GPUs" in page.inner_text("#body")
    assert page.inner_text("#authors") == "By Lena Hoffmann and Sam Okafor"
    assert page.locator(".tags li").all_inner_texts() == ["KI", "Hardware"]

    # The comments: approved ones only, the reply inside its parent, the allowed-tags note.
    assert page.inner_text("#comments-title") == "Have your say!"
    page.wait_for_selector(f"#comment-{first.uuid}")
    mara = page.locator(f"#comment-{first.uuid}")
    assert mara.locator(":scope > article .comment-author").inner_text() == "Mara"
    assert mara.locator(":scope > article em").inner_text() == "wirklich"
    assert mara.locator(":scope > .replies .comment-author").all_inner_texts() == ["Jonas"]
    assert "Waiting for a moderator." not in page.inner_text("#threads")
    page.wait_for_function("document.getElementById('allowed-tags').textContent.length > 0")
    assert page.inner_text("#allowed-tags") == ALLOWED_TAGS_NOTE
    trap = page.locator("input[name=honeypot]").bounding_box()
    assert trap is not None and trap["x"] + trap["width"] <= 0, "the honeypot is out of sight"
    shot(page, "article")

    # A new comment, then a reply to it.
    page.fill("textarea[name=body]", "Spannend, <strong>danke</strong>!")
    page.fill("input[name=author_name]", "Ulla")
    page.fill("input[name=author_email]", "ulla@example.org")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("text=Thank you, your comment is published.")
    ulla = page.locator(".threads > .comment").last
    assert ulla.locator(":scope > article .comment-author").inner_text() == "Ulla"
    assert ulla.locator(":scope > article strong").inner_text() == "danke"
    shot(page, "commented")

    ulla.locator(":scope > article .reply").click()
    assert page.inner_text("#reply-title").startswith("Reply to Ulla")
    page.fill("textarea[name=body]", "Gern geschehen.")
    page.fill("input[name=author_name]", "Mara")
    page.fill("input[name=author_email]", "mara@example.org")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("text=Thank you, your comment is published.")
    page.wait_for_function(
        "document.querySelector('.threads > .comment:last-child > .replies .comment-body')?.textContent"
        ".includes('Gern geschehen.')"
    )
    assert page.inner_text("#comment-count") == "4 comments"
    reply = db.session.scalar(select(Comment).where(Comment.author_email == "mara@example.org"))
    parent = db.session.scalar(select(Comment).where(Comment.author_email == "ulla@example.org"))
    assert reply is not None and parent is not None
    assert (reply.parent_id, reply.status) == (parent.id, CommentStatus.APPROVED)
    shot(page, "replied")

    # Votes: up, taken back, then down; the counts follow and so does the database.
    mara = page.locator(f"#comment-{first.uuid} > article")
    up, down = mara.locator(".vote-up"), mara.locator(".vote-down")
    assert (up.inner_text(), down.inner_text()) == ("▲ 0", "▼ 0")
    up.click()
    page.wait_for_function(
        f"document.querySelector('#comment-{first.uuid} .vote-up .count').textContent === '1'"
    )
    assert up.get_attribute("aria-pressed") == "true"
    assert _upvotes(first.id) == (1, 0)
    shot(page, "voted")
    up.click()
    page.wait_for_function(
        f"document.querySelector('#comment-{first.uuid} .vote-up .count').textContent === '0'"
    )
    assert _upvotes(first.id) == (0, 0), "the same browser is the same voter"
    down.click()
    page.wait_for_function(
        f"document.querySelector('#comment-{first.uuid} .vote-down .count').textContent === '1'"
    )
    assert (up.inner_text(), down.inner_text()) == ("▲ 0", "▼ 1")
    assert _upvotes(first.id) == (0, 1)

    # Lost password: the JSON API sends the reset mail.
    assert page.inner_text("#lost-password-title") == "Lost Password"
    assert page.inner_text("#lost-password p").startswith(
        "Please enter your username or email address. You will receive a link to create a new password"
    )
    page.fill("#forgot-form input[name=login]", "reader")
    page.click("#forgot-form button[type=submit]")
    page.wait_for_selector("#forgot-message.success")
    assert "Please check your inbox" in page.inner_text("#forgot-message")
    assert smtp.last("reader@example.org").link("reset").startswith("http")
    shot(page, "lost-password")
    assert problems == []


def test_the_example_page_says_what_went_wrong_when_the_cms_is_not_there(
    frontend: str, browser: Any, shot: Shot, tmp_path: Path
) -> None:
    page = browser.new_page()
    page.goto(f"{frontend}/index.html?api=http://127.0.0.1:9/api/v1&article=anything")
    page.wait_for_selector("#status.error")
    assert "could not be loaded from http://127.0.0.1:9/api/v1" in page.inner_text("#status")
    assert not page.is_visible("#comments")
    shot(page, "no-cms")


def test_against_a_cms_that_allows_every_origin_the_page_goes_without_cookies(
    app: Flask, live_server: str, frontend: str, browser: Any, shot: Shot
) -> None:
    assert app.config["CORS_ORIGINS"] == ["*"], "the CMS's default"
    slug, first = _seed(frontend)
    page = browser.new_page()
    page.goto(f"{frontend}/index.html?api={live_server}/api/v1&article={slug}")
    page.wait_for_selector(f"#comment-{first.uuid}")
    assert page.inner_text("h1") == TITLE
    page.locator(f"#comment-{first.uuid} > article .vote-up").click()
    page.wait_for_function(
        f"document.querySelector('#comment-{first.uuid} .vote-up .count').textContent === '1'"
    )
    assert _upvotes(first.id) == (1, 0)
    shot(page, "voted-without-cookies")
