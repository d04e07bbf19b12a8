"""Webhooks as a receiver sees them: signed JSON POSTs after commit, retries, and 410 to unsubscribe."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from cms.comments.models import Comment, CommentStatus
from cms.content import service
from cms.content.models import Status
from cms.db import utcnow
from cms.extensions import db
from cms.webhooks import EVENTS
from cms.webhooks.delivery import deliver_pending
from cms.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery
from cms.webhooks.service import create_webhook
from cms.webhooks.signing import verify
from tests.factories import make_article, make_author, make_tag
from tests.webhooks.conftest import Receiver

SECRET = "a-secret-only-the-receiver-knows"


def _hook(receiver: Receiver, events: tuple[str, ...] = EVENTS) -> Webhook:
    hook = create_webhook(name="Site rebuild", url=receiver.url, events=events, secret=SECRET)
    db.session.commit()
    return hook


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_publishing_sends_a_signed_post_after_the_commit(receiver: Receiver) -> None:
    _hook(receiver)
    article = make_article(title="Chips hoarded", status=Status.DRAFT)
    db.session.commit()
    assert receiver.received == []
    service.set_status(article, Status.PUBLISHED)
    db.session.flush()
    assert receiver.received == [], "nothing leaves before the commit"
    db.session.commit()
    (delivery,) = receiver.received
    assert delivery.json["event"] == "article.published"
    assert delivery.json["data"]["title"] == "Chips hoarded"
    assert delivery.json["data"]["status"] == "published"
    assert delivery.headers["X-CMS-Event"] == "article.published"
    assert delivery.headers["Content-Type"] == "application/json"
    # The receiver checks the signature the documented way: HMAC-SHA256 of "<t>.<body>".
    signature_part, time_part = delivery.headers["X-CMS-Signature"].split(", ")
    timestamp = time_part.removeprefix("t=")
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + delivery.body, hashlib.sha256).hexdigest()
    assert signature_part == f"sha256={expected}"
    assert verify(SECRET, delivery.headers["X-CMS-Signature"], delivery.body)
    assert not verify("another secret", delivery.headers["X-CMS-Signature"], delivery.body)
    assert not verify(SECRET, delivery.headers["X-CMS-Signature"], delivery.body + b" ")
    assert _deliveries()[0].status is DeliveryStatus.DELIVERED


def test_an_old_signature_is_refused_by_verify(receiver: Receiver) -> None:
    _hook(receiver)
    make_article()
    db.session.commit()
    (delivery,) = receiver.received
    timestamp = int(delivery.headers["X-CMS-Signature"].split("t=")[1])
    assert not verify(SECRET, delivery.headers["X-CMS-Signature"], delivery.body, now=timestamp + 301)


def test_a_rolled_back_change_is_never_announced(receiver: Receiver) -> None:
    _hook(receiver)
    make_article()
    db.session.rollback()
    make_tag()
    db.session.commit()
    assert receiver.received == []
    assert _deliveries() == []


def test_each_change_is_announced_once_under_its_own_event(receiver: Receiver) -> None:
    _hook(receiver)
    author = make_author(name="Lena")
    tag = make_tag(name="Chips")
    db.session.commit()
    article = make_article(title="First", authors=[author])
    db.session.commit()
    service.update_article(article, {"title": "First, edited"})
    db.session.commit()
    service.set_status(article, Status.DRAFT)
    db.session.commit()
    article.deleted_at = utcnow()
    db.session.commit()
    # One commit each: within a transaction, changes to different objects come in no set order.
    author.bio = "Writes about chips."
    db.session.commit()
    tag.description = "Semiconductors"
    db.session.commit()
    assert receiver.events() == [
        "article.published",
        "article.updated",
        "article.unpublished",
        "article.deleted",
        "author.updated",
        "tag.updated",
    ]
    assert receiver.received[1].json["data"]["title"] == "First, edited"
    assert receiver.received[4].json["data"]["slug"] == "lena"


def test_comments_are_announced_when_created_and_when_approved(receiver: Receiver) -> None:
    _hook(receiver)
    article = make_article()
    db.session.commit()
    receiver.received.clear()
    comment = Comment(
        article_id=article.id, author_name="Ada", author_email="ada@example.org",
        body="Nice", html="<p>Nice</p>", status=CommentStatus.PENDING, ip_hash="0" * 64,
    )  # fmt: skip
    db.session.add(comment)
    db.session.commit()
    comment.status = CommentStatus.APPROVED
    db.session.commit()
    assert receiver.events() == ["comment.created", "comment.approved"]
    data = receiver.received[1].json["data"]
    assert (data["author_name"], data["status"], data["article_id"]) == ("Ada", "approved", str(article.uuid))
    assert "author_email" not in data and "ada@example.org" not in receiver.received[1].body.decode()


def test_a_hook_gets_only_the_events_it_chose(receiver: Receiver) -> None:
    _hook(receiver, events=("tag.updated",))
    make_article()
    tag = make_tag()
    db.session.commit()
    tag.name = "Renamed"
    db.session.commit()
    assert receiver.events() == ["tag.updated"]


def test_failures_are_retried_with_backoff_then_given_up(app: Flask, receiver: Receiver) -> None:
    receiver.statuses = [500]
    _hook(receiver)
    make_article()
    db.session.commit()
    (delivery,) = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert delivery.next_attempt_at > utcnow() + timedelta(seconds=30)
    # Not due yet: a plain run leaves it alone.
    assert deliver_pending().failed == []
    for _ in range(app.config["WEBHOOK_MAX_RETRIES"]):
        deliver_pending(include_waiting=True)
    (delivery,) = _deliveries()
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.attempts == 1 + app.config["WEBHOOK_MAX_RETRIES"]
    assert len(receiver.received) == delivery.attempts
    assert deliver_pending(include_waiting=True).failed == []
    bodies = {item.body for item in receiver.received}
    assert len(bodies) == 1, "every retry sends the same body, with its own signature"


def test_a_retry_that_succeeds_delivers(receiver: Receiver) -> None:
    receiver.statuses = [503, 200]
    _hook(receiver)
    make_article()
    db.session.commit()
    report = deliver_pending(include_waiting=True)
    assert len(report.sent) == 1
    (delivery,) = _deliveries()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_a_410_switches_the_hook_off(receiver: Receiver) -> None:
    receiver.statuses = [410]
    hook = _hook(receiver)
    make_article()
    make_article()
    db.session.commit()
    assert len(receiver.received) == 1
    db.session.expire_all()
    assert hook.active is False
    assert "410" in (hook.disabled_reason or "")
    assert {d.status for d in _deliveries()} == {DeliveryStatus.FAILED}
    make_article()
    db.session.commit()
    assert len(receiver.received) == 1


def test_an_unreachable_receiver_is_a_failure_to_retry(receiver: Receiver) -> None:
    create_webhook(name="Nobody", url="http://127.0.0.1:9/none", events=EVENTS, secret=SECRET)
    db.session.commit()
    make_article()
    db.session.commit()
    (delivery,) = _deliveries()
    assert delivery.status is DeliveryStatus.PENDING
    assert delivery.last_status_code is None
    assert delivery.last_error


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "ftp://example.org/"}, "url"),
        ({"events": ()}, "events"),
        ({"events": ("article.exploded",)}, "events"),
        ({"secret": "short"}, "secret"),
        ({"name": " "}, "name"),
    ],
)
def test_registration_is_checked(changes: dict[str, object], field: str) -> None:
    from cms.errors import ValidationError

    values: dict[str, object] = {
        "name": "Hook",
        "url": "https://example.org/hook",
        "events": EVENTS,
        "secret": None,
    }
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        create_webhook(**values)  # type: ignore[arg-type]
    assert caught.value.errors[0]["field"] == field


def test_a_generated_secret_is_long_and_random() -> None:
    first = create_webhook(name="A", url="https://example.org/a", events=EVENTS)
    second = create_webhook(name="B", url="https://example.org/b", events=EVENTS)
    assert len(first.secret) >= 40 and first.secret != second.secret
