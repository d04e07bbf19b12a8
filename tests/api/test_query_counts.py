"""Lists cost the same number of SQL queries whatever their size: no N+1."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event

from cms.extensions import db
from tests.factories import make_article, make_author


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def queries_for(client: FlaskClient, url: str) -> int:
    with counting_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_a_list_of_one_and_of_a_hundred_cost_the_same_queries(client: FlaskClient) -> None:
    authors = [make_author() for _ in range(5)]
    for i in range(100):
        make_article(authors=authors[i % 5 : i % 5 + 2], tags=[f"tag {i % 7}", f"tag {i % 3}"])
    db.session.commit()
    small = queries_for(client, "/api/v1/articles?limit=1&include=authors,tags")
    large = queries_for(client, "/api/v1/articles?limit=100&include=authors,tags")
    assert small == large
    # The page, whose rows carry their authors and tags (cms/content/kept_relations.py). It runs on
    # the driver's cursor (cms/content/driver_queries.py) and must still reach the engine's
    # listeners; a filtered list adds its count.
    assert large == 1


def test_author_and_tag_lists_count_articles_in_one_query(client: FlaskClient) -> None:
    for i in range(30):
        make_article(tags=[f"tag {i}"])
    db.session.commit()
    assert queries_for(client, "/api/v1/tags?limit=1") == queries_for(client, "/api/v1/tags?limit=30")
    assert queries_for(client, "/api/v1/authors?limit=1") == queries_for(client, "/api/v1/authors?limit=30")
