from datetime import timedelta

from cms.content.models import Status
from cms.content.queries import article_is_public, visible_articles
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article


def visible_titles() -> set[str]:
    return {a.title for a in db.session.scalars(visible_articles())}


def test_only_published_articles_whose_time_has_come_are_visible() -> None:
    make_article(title="live")
    make_article(title="draft", status=Status.DRAFT)
    make_article(title="later", status=Status.SCHEDULED, published_at=utcnow() + timedelta(days=1))
    make_article(title="archived", status=Status.ARCHIVED)
    trashed = make_article(title="trashed")
    trashed.deleted_at = utcnow()
    db.session.commit()
    assert visible_titles() == {"live"}


def test_a_scheduled_article_goes_live_on_time_without_any_job() -> None:
    soon = utcnow() + timedelta(minutes=5)
    article = make_article(title="scheduled", status=Status.PUBLISHED, published_at=soon)
    db.session.commit()
    assert article.status is Status.SCHEDULED
    assert not article_is_public(article)
    assert "scheduled" not in visible_titles()
    later = soon + timedelta(seconds=1)
    assert article_is_public(article, now=later)
    assert {a.title for a in db.session.scalars(visible_articles(now=later))} == {"scheduled"}
