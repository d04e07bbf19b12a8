"""The migration chain builds exactly the schema the models describe."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from cms import create_app
from cms.content.search import alembic_include_object
from cms.extensions import db
from tests.conftest import TEST_SECRET


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database nobody else uses: a new SQLite file, or a new PostgreSQL database beside the test one."""
    configured = os.environ.get("CMS_SQLALCHEMY_DATABASE_URI", "")
    if not configured.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = make_url(configured)
    name = f"{url.database}_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def migrated_app(empty_database_url: str) -> Iterator[Flask]:
    app = create_app(
        {"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_migrations_create_every_table_the_models_define(migrated_app: Flask) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables


def test_autogenerate_finds_no_difference_between_models_and_migrations(migrated_app: Flask) -> None:
    with db.engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes; Alembic says so with a warning and skips them.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        warnings.filterwarnings("ignore", message=".*Skipped unsupported reflection.*")
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": alembic_include_object}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_migrated_schema_keeps_counters_and_link_dates(migrated_app: Flask) -> None:
    from cms.content.counts import ListingCount
    from cms.content.models import ArticleTag
    from tests.factories import make_article

    article = make_article(tags=["Politik"])
    db.session.commit()
    tag_id = article.tag_links[0].tag_id
    assert db.session.get(ListingCount, ("tag", str(tag_id))).total == 1
    assert db.session.get(ArticleTag, (article.id, tag_id)).published_at == article.published_at


def test_the_chain_downgrades_to_nothing(migrated_app: Flask) -> None:
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_articles_written_before_auto_excerpts_get_theirs(empty_database_url: str) -> None:
    from cms.content.rendering import derived_excerpt

    app = create_app(
        {"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    body = " ".join(f"Satz {n} über Wahlen, Wetter und Verkehr." for n in range(40))
    with app.app_context():
        upgrade(revision="c81f4b6e2a07")
        with db.engine.begin() as connection:
            for number, plaintext in ((1, body), (2, "Kurz."), (3, "")):
                connection.execute(
                    text(
                        "INSERT INTO articles (uuid, slug, title, markdown, html, plaintext, language,"
                        " status, created_at, updated_at, version, featured, comments_enabled,"
                        " comment_count, reading_time) VALUES (:uuid, :slug, 'T', '', '', :plaintext,"
                        " 'de', 'draft', :now, :now, 1, false, true, 0, 1)"
                    ),
                    {
                        "uuid": f"{number:032x}",
                        "slug": f"a{number}",
                        "plaintext": plaintext,
                        "now": "2026-01-01",
                    },
                )
        upgrade()
        with db.engine.connect() as connection:
            made = dict(connection.execute(text("SELECT slug, auto_excerpt FROM articles")).all())
        db.engine.dispose()
    assert made == {"a1": derived_excerpt(body), "a2": "Kurz.", "a3": ""}
    assert made["a1"].endswith("…")


def test_articles_written_before_kept_relations_get_theirs(empty_database_url: str) -> None:
    from cms.api.representations import article_json
    from cms.content.models import Article
    from tests.factories import make_article, make_author

    app = create_app(
        {"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        upgrade(revision="d4b8a1f6c3e9")
        authors = [make_author(), make_author()]
        make_article(slug="both", authors=authors, tags=["Politik", "Wetter", "Verkehr"])
        make_article(slug="one", authors=authors[1:], tags=[])
        db.session.commit()
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT articles.slug, authors, tags FROM article_relations"
                    " JOIN articles ON articles.id = article_relations.article_id"
                )
            ).all()
        kept = {slug: {"authors": json.loads(a), "tags": json.loads(t)} for slug, a, t in rows}
        made = {
            article.slug: article_json(article, include=["authors", "tags"], fields=["authors", "tags"])
            for article in db.session.scalars(select(Article))
        }
        db.session.remove()
        db.engine.dispose()
    assert kept == made
    assert [tag["name"] for tag in kept["both"]["tags"]] == ["Politik", "Wetter", "Verkehr"]
