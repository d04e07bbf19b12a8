"""The content token: every write to public content changes it, so does a scheduled article going live,
and the fast read the response cache uses agrees with the SQLAlchemy one."""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import text

from cms.content import read_connection
from cms.content.models import Status
from cms.content.token_reads import read_token_fast
from cms.content.versioning import ContentToken, read_content_token
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article, make_tag


def both_reads() -> tuple[ContentToken, ContentToken]:
    now = utcnow()
    with db.engine.connect() as connection:
        built = read_content_token(connection, now)
    return built, read_token_fast(db.engine, now)


def test_the_fast_read_agrees_with_the_built_query_in_every_state() -> None:
    built, fast = both_reads()
    assert built == fast
    make_article(title="Live")
    db.session.commit()
    built, fast = both_reads()
    assert built == fast and fast.value != 0 and fast.upcoming is None
    soon = utcnow() + timedelta(hours=1)
    make_article(title="Scheduled", status=Status.SCHEDULED, published_at=soon)
    make_article(title="Draft with a date", status=Status.DRAFT, published_at=soon - timedelta(minutes=30))
    trashed = make_article(
        title="Trashed", status=Status.SCHEDULED, published_at=soon - timedelta(minutes=20)
    )
    trashed.deleted_at = utcnow()
    db.session.commit()
    built, fast = both_reads()
    assert built == fast
    assert fast.upcoming == soon  # neither the draft nor the trashed article counts


def test_every_write_to_public_content_changes_the_token() -> None:
    article = make_article()
    db.session.commit()
    seen = {read_token_fast(db.engine).text}
    article.title = "Edited"
    db.session.commit()
    seen.add(read_token_fast(db.engine).text)
    make_tag(name="Fresh")
    db.session.commit()
    seen.add(read_token_fast(db.engine).text)
    assert len(seen) == 3


def test_a_recreated_counter_does_not_repeat_old_values() -> None:
    """Tables emptied (as between tests) make a new counter; it starts at random, not at 1 again."""
    make_article()
    db.session.commit()
    first = read_token_fast(db.engine).value
    db.session.execute(text("DELETE FROM content_version"))
    db.session.commit()
    make_article()
    db.session.commit()
    assert read_token_fast(db.engine).value not in (0, 1, first)


def test_the_token_moves_when_a_scheduled_article_goes_live() -> None:
    when = utcnow() + timedelta(minutes=5)
    make_article(status=Status.SCHEDULED, published_at=when)
    db.session.commit()
    before = read_token_fast(db.engine, now=when - timedelta(seconds=1))
    after = read_token_fast(db.engine, now=when + timedelta(seconds=1))
    assert before.value == after.value and before.text != after.text
    assert before.still_current(when - timedelta(seconds=1)) and not before.still_current(when)


def test_a_broken_connection_is_replaced_without_an_error() -> None:
    make_article()
    db.session.commit()
    expected = read_token_fast(db.engine)
    # The database went away under the kept connection.
    read_connection.read_connection().connection.dbapi_connection.close()  # type: ignore[union-attr]
    assert read_token_fast(db.engine) == expected
    assert read_token_fast(db.engine) == expected  # and a working connection is kept from then on
    assert not read_connection.read_connection().invalidated


def test_threads_share_a_few_connections_instead_of_one_each(app: Flask) -> None:
    """A server that starts a thread per request (``cms run``) must not open a connection per request."""
    make_article()
    db.session.commit()

    def read() -> None:
        with app.app_context():
            read_token_fast(db.engine)

    for _ in range(20):
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    assert db.engine.pool.checkedout() <= 1  # the one kept between requests


def test_a_read_for_an_earlier_time_is_not_answered_from_a_later_one() -> None:
    """SQLite keeps the last token while nothing is committed; a read for an earlier time (a clock
    set back) must still see the article scheduled between the two times."""
    now = utcnow()
    make_article(status=Status.SCHEDULED, published_at=now + timedelta(hours=1))
    make_article(status=Status.SCHEDULED, published_at=now + timedelta(hours=3))
    db.session.commit()
    assert read_token_fast(db.engine, now=now + timedelta(hours=2)).upcoming == now + timedelta(hours=3)
    assert read_token_fast(db.engine, now=now).upcoming == now + timedelta(hours=1)
    assert read_token_fast(db.engine, now=now + timedelta(hours=2)).upcoming == now + timedelta(hours=3)
