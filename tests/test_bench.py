"""The benchmark's moving parts, so that ``make bench`` cannot rot unnoticed: the data generator, the
requests it drives, the ceiling route and the verdicts in RESULTS.md. Nothing here measures time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from bench import corpus, dataset, probe, report
from cms import create_app
from cms.bench_ceiling import CEILING_PATH
from cms.content import counts, kept_relations
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Tag
from cms.content.rendering import html_to_text, markdown_to_html
from tests.conftest import TEST_SECRET

SIZE = 30


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dataset.Dataset:
    """A 30-article SQLite data set built the way ``make bench`` builds its big ones."""
    path = tmp_path_factory.mktemp("bench") / "tiny.sqlite3"
    built = dataset.Dataset("sqlite", SIZE, f"sqlite:///{path}")
    dataset.build(built, log=lambda message: None)
    return built


def test_generated_data_set_has_the_promised_shape(tiny: dataset.Dataset) -> None:
    engine = create_engine(tiny.url)
    with engine.connect() as db:
        assert db.scalar(select(func.count()).select_from(Article)) == SIZE
        assert db.scalar(select(func.count()).select_from(Author)) == corpus.AUTHORS
        assert db.scalar(select(func.count()).select_from(Tag)) == corpus.TAGS
        tags_per_article = db.scalars(
            select(func.count()).select_from(ArticleTag).group_by(ArticleTag.article_id)
        ).all()
        authors_per_article = db.scalars(
            select(func.count()).select_from(ArticleAuthor).group_by(ArticleAuthor.article_id)
        ).all()
        languages = set(db.scalars(select(Article.language)))
        bodies = db.execute(select(Article.markdown, Article.html, Article.plaintext)).all()
    engine.dispose()
    assert len(tags_per_article) == SIZE and all(1 <= n <= 5 for n in tags_per_article)
    assert len(authors_per_article) == SIZE and all(1 <= n <= 2 for n in authors_per_article)
    assert languages == {"de", "en"}
    sizes = [len(markdown.encode()) for markdown, _, _ in bodies]
    assert 3500 <= sum(sizes) / len(sizes) <= 5000
    # What the CMS itself would have stored for these bodies.
    for markdown, html, plaintext in bodies[:5]:
        assert html == markdown_to_html(markdown)
        assert plaintext == html_to_text(html)


def test_bulk_loaded_articles_are_found_by_search(tiny: dataset.Dataset) -> None:
    engine = create_engine(tiny.url)
    with engine.connect() as db:
        title = db.scalar(select(Article.title).where(Article.id == 7))
        word = max(title.split(), key=len)
        hits = db.execute(
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q"), {"q": word}
        ).all()
        triggers = db.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'articles_fts%'")
        )
    engine.dispose()
    assert (7,) in hits
    assert triggers == 3  # later edits keep the index current


SUITE_URL = os.environ.get("CMS_SQLALCHEMY_DATABASE_URI", "")


@pytest.mark.skipif(
    not SUITE_URL.startswith("postgresql"), reason="the COPY path runs in the PostgreSQL pass of CI"
)
def test_postgresql_data_set_is_copied_in_and_indexed_in_each_language() -> None:
    url = make_url(SUITE_URL)
    tiny = dataset.Dataset("postgresql", SIZE, str(url.set(database=f"{url.database}_bench_tiny")))
    dataset.build(tiny, log=lambda message: None)
    engine = create_engine(tiny.url)
    try:
        with engine.connect() as db:
            assert db.scalar(select(func.count()).select_from(Article)) == SIZE
            assert db.scalar(text("SELECT count(search_vector) FROM articles")) == SIZE
            title, language = db.execute(select(Article.title, Article.language).where(Article.id == 7)).one()
            config = {"de": "german", "en": "english"}[language]
            word = max(title.split(), key=len)
            hits = db.scalars(
                text(
                    "SELECT id FROM articles"
                    " WHERE search_vector @@ plainto_tsquery(CAST(:c AS regconfig), :q)"
                ),
                {"c": config, "q": word},
            ).all()
            next_id = db.scalar(text("SELECT nextval(pg_get_serial_sequence('articles', 'id'))"))
        assert 7 in hits
        assert next_id == SIZE + 1  # the app's own inserts continue after the bulk-loaded ids
        assert dataset.is_current(tiny)
    finally:
        engine.dispose()


def test_a_current_data_set_is_kept_and_a_stale_one_rebuilt(tiny: dataset.Dataset) -> None:
    assert dataset.is_current(tiny)
    stamp = Path(str(tiny.url).removeprefix("sqlite:///")).with_suffix(".stamp.json")
    saved = stamp.read_text()
    stamp.write_text(json.dumps({**json.loads(saved), "generator": corpus.GENERATOR_VERSION - 1}))
    try:
        assert not dataset.is_current(tiny)
    finally:
        stamp.write_text(saved)


def test_a_data_set_behind_only_on_migrations_is_upgraded_in_place(tmp_path: Path) -> None:
    small = dataset.Dataset("sqlite", 10, f"sqlite:///{tmp_path / 'small.sqlite3'}")
    dataset.build(small, log=lambda message: None)
    stamp = tmp_path / "small.stamp.json"
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "migrations": "an-older-head"}))
    assert not dataset.is_current(small) and dataset.only_migrations_behind(small)
    dataset.upgrade(small)
    assert dataset.is_current(small)
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "generator": corpus.GENERATOR_VERSION - 1}))
    assert not dataset.only_migrations_behind(small)  # other rows: only a rebuild will do


def test_bulk_loaded_articles_are_counted_as_the_triggers_would(tiny: dataset.Dataset) -> None:
    engine = create_engine(tiny.url)
    with engine.begin() as db:
        stored = db.execute(text("SELECT facet, term, total FROM listing_counts ORDER BY 1, 2")).all()
        counts.recount(db)
        recounted = db.execute(text("SELECT facet, term, total FROM listing_counts ORDER BY 1, 2")).all()
        triggers = db.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'listing_counts%'")
        )
        undated = db.scalar(text("SELECT count(*) FROM article_tags WHERE published_at IS NULL"))
    engine.dispose()
    assert stored == recounted and ("all", "", SIZE) in stored
    assert undated == 0  # every link carries its article's date
    assert triggers == 9  # three on articles, three on each link table: later writes keep them right


def test_bulk_loaded_articles_keep_authors_and_tags_as_the_triggers_would(tiny: dataset.Dataset) -> None:
    engine = create_engine(tiny.url)
    listed = "SELECT article_id, authors, tags FROM article_relations ORDER BY 1"
    with engine.begin() as db:
        stored = db.execute(text(listed)).all()
        kept_relations.fill_relations(db)
        refilled = db.execute(text(listed)).all()
        triggers = db.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_relations%'")
        )
    engine.dispose()
    assert stored == refilled and len(stored) == SIZE
    assert all(json.loads(authors) for _, authors, _ in stored)  # every article has an author
    assert triggers == 9  # one on articles, three on each link table, one on authors and one on tags


def test_indexes_the_models_declare_exist_in_the_benchmarked_schema(tiny: dataset.Dataset) -> None:
    added = dataset.create_missing_indexes(tiny)
    engine = create_engine(tiny.url)
    with engine.connect() as db:
        present = {index["name"] for index in inspect(db).get_indexes("articles")}
    engine.dispose()
    assert {str(index.name) for index in Article.__table__.indexes} <= present
    assert dataset.create_missing_indexes(tiny) == []
    assert set(added) <= set(dataset.indexes_beyond_migrations(tiny))
    assert dataset.is_current(tiny)


def test_the_same_seed_generates_the_same_articles() -> None:
    first = next(corpus.article_batches(10)).articles
    again = next(corpus.article_batches(10)).articles
    assert [a["slug"] for a in first] == [a["slug"] for a in again]
    assert first[3]["markdown"] == again[3]["markdown"]


def test_every_benchmarked_request_answers_and_its_queries_are_counted(tiny: dataset.Dataset) -> None:
    found = probe.endpoints(tiny)
    list_bytes = probe.count_queries(tiny, found)
    assert list_bytes > 1000
    measured = {e.key: e for e in found if e.key != "ceiling"}
    assert {"list", "deep", "detail", "tag", "search", "304"} <= set(measured)
    for endpoint in measured.values():
        assert endpoint.queries_cold is not None and endpoint.queries_cold >= 1
        assert endpoint.queries_warm is not None
    assert len(measured["detail"].paths) >= 10
    assert all(total >= 0 for total in probe.search_totals(tiny).values())


def test_ceiling_answers_exactly_the_configured_bytes_as_json(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ceiling.sqlite3'}",
            "BENCH_CEILING_BYTES": 4321,
            "TRUSTED_HOSTS": None,
        }
    )
    response = app.test_client().get(CEILING_PATH)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert len(response.data) == 4321
    assert set(json.loads(response.data)) == {"pad"}


def test_apps_without_the_setting_have_no_ceiling_route(app: Flask) -> None:
    assert app.test_client().get(CEILING_PATH).status_code == 404


def _raw(list_ratio: float, deep_p50: float, cursor_p50: float | None = None) -> dict[str, object]:
    def server(cache: bool, rps: float, deep: float | None) -> dict[str, object]:
        measurements = {
            "ceiling": {"requests_per_s": 1000.0, "p50_ms": 10.0, "p99_ms": 20.0, "errors": 0},
            "list": {"requests_per_s": rps, "p50_ms": 20.0, "p99_ms": 30.0, "errors": 0},
        }
        if deep is not None:
            measurements["deep"] = {"requests_per_s": 100.0, "p50_ms": deep, "p99_ms": 90.0, "errors": 0}
        if deep is not None and cursor_p50 is not None:
            measurements["cursor"] = {
                "requests_per_s": 300.0,
                "p50_ms": cursor_p50,
                "p99_ms": 40.0,
                "errors": 0,
            }
        return {
            "label": "x",
            "cache": cache,
            "threads": 1,
            "peak_rss_mb": [120.0],
            "measurements": measurements,
        }

    return {
        "runs": [
            {
                "label": "SQLite 100k",
                "kind": "sqlite",
                "size": 100_000,
                "servers": [server(True, 1000 * list_ratio, None), server(False, 400.0, deep_p50)],
            }
        ]
    }


def test_results_say_whether_each_target_holds() -> None:
    holding = {t.name: t.holds for t in report.targets(_raw(0.75, 90.0, cursor_p50=22.0))}
    failing = {t.name: t.holds for t in report.targets(_raw(0.5, 45.0, cursor_p50=45.0))}
    no_cursor = {t.name: t.holds for t in report.targets(_raw(0.5, 35.0))}
    warm_list = "SQLite 100k: List page 1, include=authors,tags (warm) >= 70% of ceiling req/s"
    deep = "SQLite 100k: deep page p50 <= 2x list page 1 p50 (cold; by cursor where offsets cannot get there)"
    assert holding[warm_list] is True and failing[warm_list] is False
    assert holding[deep] is True and failing[deep] is False and no_cursor[deep] is None
    assert holding["SQLite 100k: peak RSS per worker <= 150 MB"] is True
    assert holding["SQLite 100k: search p99 <= 50 ms (cold, one connection)"] is None  # not measured
