"""Two PostgreSQL transactions writing at once still leave an article's kept authors and tags right
(cms/content/kept_relations.py). The single-writer cases are in tests/content/test_counts.py, with
every other kind of write."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import Connection, Engine, insert, text, update

from cms.content.models import ArticleTag, Tag
from cms.extensions import db
from tests.factories import make_article, make_tag


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one writer at a time; the PostgreSQL pass of CI runs this")


def kept_tag_names(article_id: int) -> list[str]:
    found = db.session.execute(
        text("SELECT tags FROM article_relations WHERE article_id = :id"), {"id": article_id}
    ).scalar_one()
    return [tag["name"] for tag in json.loads(found)]


def while_open(
    engine: Engine, first: Callable[[Connection], object], second: Callable[[Connection], object]
) -> None:
    """``first`` in a transaction left open while ``second`` runs in another one; then the first
    commits and the second finishes. If the second waits for a lock of the first, that wait has
    begun before the first commits."""
    with engine.connect() as connection:
        transaction = connection.begin()
        first(connection)
        worker = threading.Thread(target=lambda: _in_transaction(engine, second))
        worker.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and worker.is_alive() and not _someone_waits_for_a_lock(engine):
            time.sleep(0.02)
        transaction.commit()
    worker.join(timeout=30)
    assert not worker.is_alive()


def _in_transaction(engine: Engine, run: Callable[[Connection], object]) -> None:
    with engine.begin() as connection:
        run(connection)


def _someone_waits_for_a_lock(engine: Engine) -> bool:
    with engine.connect() as connection:
        waiting = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        ).scalar_one()
    return bool(waiting)


def test_two_transactions_tagging_one_article_at_once_both_show() -> None:
    article = make_article(tags=["Politik"])
    wetter, verkehr = make_tag(name="Wetter"), make_tag(name="Verkehr")
    db.session.commit()
    article_id = article.id

    def tag(tag: Tag, position: int) -> Callable[[Connection], object]:
        values = {"article_id": article_id, "tag_id": tag.id, "position": position}
        return lambda connection: connection.execute(insert(ArticleTag).values(**values))

    while_open(db.engine, tag(wetter, 1), tag(verkehr, 2))
    assert kept_tag_names(article_id) == ["Politik", "Wetter", "Verkehr"]


def test_a_tag_renamed_while_another_transaction_links_it_shows_its_new_name() -> None:
    article = make_article(tags=["Politik"])
    wetter = make_tag(name="Wetter")
    db.session.commit()
    article_id, wetter_id = article.id, wetter.id

    def rename(connection: Connection) -> None:
        connection.execute(update(Tag).where(Tag.id == wetter_id).values(name="Klima"))

    def link(connection: Connection) -> None:
        connection.execute(insert(ArticleTag).values(article_id=article_id, tag_id=wetter_id, position=1))

    while_open(db.engine, rename, link)
    assert kept_tag_names(article_id) == ["Politik", "Klima"]
