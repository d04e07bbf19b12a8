"""Admins manage webhooks in /admin: register, change events, switch off and on, delete, read the log."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from cms.auth.models import Role, User
from cms.content import service
from cms.content.models import Status
from cms.extensions import db
from cms.webhooks.models import Webhook, WebhookDelivery
from cms.webhooks.service import create_webhook
from cms.webhooks.signing import verify
from tests.auth.browser import csrf_token
from tests.factories import make_article, make_tag, make_user
from tests.webhooks.conftest import Receiver

SignedIn = Callable[[Role], FlaskClient]


@pytest.fixture
def signed_in(app: Flask, login: Callable[[FlaskClient, User], FlaskClient]) -> SignedIn:
    """``signed_in(Role.ADMIN)`` -> a client of its own, signed in as a new user with that role."""

    def make(role: Role) -> FlaskClient:
        user = make_user(role=role)
        db.session.commit()
        return login(app.test_client(), user)

    return make


def _post(client: FlaskClient, page: str, data: dict[str, object], action: str | None = None) -> object:
    token = csrf_token(client.get(page).text)
    return client.post(action or page, data={"csrf_token": token, **data})


def _only_hook() -> Webhook:
    db.session.expire_all()
    return db.session.scalars(select(Webhook)).one()


def test_an_admin_registers_a_hook_and_reads_its_delivery_log(
    signed_in: SignedIn, receiver: Receiver
) -> None:
    admin = signed_in(Role.ADMIN)
    assert "Webhooks" in admin.get("/admin/").text
    created = _post(
        admin,
        "/admin/webhooks",
        {
            "name": "Site rebuild",
            "url": receiver.url,
            "secret": "",
            "events": ["article.published", "tag.updated"],
        },
    )
    assert created.status_code == 302  # type: ignore[attr-defined]
    hook_page = admin.get(created.headers["Location"]).text  # type: ignore[attr-defined]
    secret = re.search(r'id="hook-secret" value="([^"]+)"', hook_page)
    assert secret, hook_page
    assert "Nothing sent yet." in hook_page

    article = make_article(title="Owls at dusk", status=Status.DRAFT)
    db.session.commit()
    service.set_status(article, Status.PUBLISHED)
    db.session.commit()

    (delivery,) = receiver.received
    assert delivery.json["event"] == "article.published"
    assert verify(secret.group(1), delivery.headers["X-CMS-Signature"], delivery.body)
    log = admin.get(f"/admin/webhooks/{_only_hook().id}").text
    assert "article.published" in log and "delivered" in log and "HTTP 204" in log
    assert delivery.json["id"] in log


def test_changing_the_events_changes_what_is_sent(signed_in: SignedIn, receiver: Receiver) -> None:
    hook = create_webhook(name="Search index", url=receiver.url, events=["article.published"])
    db.session.commit()
    admin = signed_in(Role.ADMIN)
    page = f"/admin/webhooks/{hook.id}"
    saved = _post(admin, page, {"name": "Search index", "url": receiver.url, "events": ["tag.updated"]})
    assert saved.status_code == 302  # type: ignore[attr-defined]
    assert _only_hook().event_list == ["tag.updated"]
    refused = _post(admin, page, {"name": "Search index", "url": "not a url", "events": []})
    assert refused.status_code == 200  # type: ignore[attr-defined]
    assert "use an absolute http:// or https:// URL" in refused.text  # type: ignore[attr-defined]
    assert (_only_hook().url, _only_hook().event_list) == (receiver.url, ["tag.updated"])
    make_article(title="Not announced")
    tag = make_tag(name="Owls")
    db.session.commit()
    tag.name = "Night owls"
    db.session.commit()
    assert receiver.events() == ["tag.updated"]


def test_a_switched_off_hook_hears_nothing_until_switched_on(signed_in: SignedIn, receiver: Receiver) -> None:
    hook = create_webhook(name="Rebuild", url=receiver.url, events=["article.published"])
    db.session.commit()
    admin = signed_in(Role.ADMIN)
    page = f"/admin/webhooks/{hook.id}"
    _post(admin, page, {}, action=f"{page}/disable")
    assert "Switched off by hand" in admin.get(page).text
    make_article(title="Quiet")
    db.session.commit()
    assert receiver.received == []
    _post(admin, page, {}, action=f"{page}/enable")
    make_article(title="Loud")
    db.session.commit()
    assert [r.json["data"]["title"] for r in receiver.received] == ["Loud"]


def test_a_410_answer_shows_as_switched_off_with_the_reason(signed_in: SignedIn, receiver: Receiver) -> None:
    receiver.statuses = [410]
    hook = create_webhook(name="Gone site", url=receiver.url, events=["article.published"])
    db.session.commit()
    make_article()
    db.session.commit()
    page = signed_in(Role.ADMIN).get(f"/admin/webhooks/{hook.id}").text
    assert "The receiver answered 410 Gone" in page
    assert "Switch on" in page
    assert "HTTP 410" in page


def test_a_failed_delivery_shows_its_error_and_next_try(signed_in: SignedIn, receiver: Receiver) -> None:
    receiver.statuses = [503]
    hook = create_webhook(name="Flaky", url=receiver.url, events=["article.published"])
    db.session.commit()
    make_article()
    db.session.commit()
    page = signed_in(Role.ADMIN).get(f"/admin/webhooks/{hook.id}").text
    assert "pending" in page and "HTTP 503" in page
    assert page.count("<time") >= 2, "queued and next-try times are shown"


def test_deleting_a_hook_removes_it_and_its_log(signed_in: SignedIn, receiver: Receiver) -> None:
    hook = create_webhook(name="Old", url=receiver.url, events=["article.published"])
    db.session.commit()
    make_article()
    db.session.commit()
    admin = signed_in(Role.ADMIN)
    page = f"/admin/webhooks/{hook.id}"
    deleted = _post(admin, page, {}, action=f"{page}/delete")
    assert deleted.headers["Location"].endswith("/admin/webhooks")  # type: ignore[attr-defined]
    assert "No webhooks yet." in admin.get("/admin/webhooks").text
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
    assert admin.get(page).status_code == 404


def test_bad_input_is_explained_next_to_the_field(signed_in: SignedIn) -> None:
    admin = signed_in(Role.ADMIN)
    bad_url = _post(
        admin, "/admin/webhooks", {"name": "X", "url": "ftp://files.example", "events": ["tag.updated"]}
    )
    assert bad_url.status_code == 200  # type: ignore[attr-defined]
    assert "use an absolute http:// or https:// URL" in bad_url.text  # type: ignore[attr-defined]
    no_events = _post(admin, "/admin/webhooks", {"name": "X", "url": "https://hooks.example/x"})
    assert "choose at least one event" in no_events.text  # type: ignore[attr-defined]
    short = _post(
        admin,
        "/admin/webhooks",
        {"name": "X", "url": "https://hooks.example/x", "secret": "short", "events": ["tag.updated"]},
    )
    assert "at least 16 characters" in short.text  # type: ignore[attr-defined]
    unknown = _post(
        admin, "/admin/webhooks", {"name": "X", "url": "https://hooks.example/x", "events": ["user.deleted"]}
    )
    assert unknown.status_code == 200  # type: ignore[attr-defined]
    assert db.session.scalar(select(func.count()).select_from(Webhook)) == 0


def test_only_admins_may_manage_webhooks_and_every_form_needs_its_token(signed_in: SignedIn) -> None:
    hook = create_webhook(name="Rebuild", url="https://hooks.example/x", events=["tag.updated"])
    db.session.commit()
    editor = signed_in(Role.EDITOR)
    assert "Webhooks" not in editor.get("/admin/").text
    for path in ("/admin/webhooks", f"/admin/webhooks/{hook.id}"):
        assert editor.get(path).status_code == 403
    assert editor.post(f"/admin/webhooks/{hook.id}/delete").status_code in (400, 403)
    admin = signed_in(Role.ADMIN)
    forged = admin.post(f"/admin/webhooks/{hook.id}/delete")
    assert forged.status_code == 400
    assert _only_hook().name == "Rebuild"
