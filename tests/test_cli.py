"""The ``cms`` command an operator uses."""

from flask import Flask
from sqlalchemy import func, select, text

from cms.auth.models import Role, User
from cms.auth.passwords import verify_password
from cms.cli import main
from cms.content.models import Article, Status
from cms.extensions import db


def test_help_lists_the_commands(app: Flask) -> None:
    result = app.test_cli_runner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "demo", "users", "run"):
        assert command in result.output


def test_demo_load_is_idempotent_and_creates_an_admin(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "Demo admin: username 'admin'" in first.output
    count = db.session.scalar(select(func.count()).select_from(Article))
    languages = set(db.session.scalars(select(Article.language)))
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert "nothing loaded" in second.output
    assert db.session.scalar(select(func.count()).select_from(Article)) == count
    assert languages == {"de", "en"}
    assert db.session.scalar(select(User).where(User.username == "admin")).role is Role.ADMIN


def test_demo_content_is_served_by_the_api(app: Flask) -> None:
    app.test_cli_runner().invoke(args=["demo", "load"])
    body = app.test_client().get("/api/v1/articles?include=authors,tags").get_json()
    scheduled = db.session.scalar(select(func.count()).where(Article.status == Status.SCHEDULED))
    assert (
        body["meta"]["pagination"]["total"]
        == db.session.scalar(select(func.count()).select_from(Article)) - scheduled
    )
    assert all(item["authors"] for item in body["data"])


def test_users_create_reads_the_password_from_stdin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "Editor@Example.org", "--username", "ed", "--role", "editor",
              "--password-stdin"],
        input="a long and unusual passphrase\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "a long and unusual passphrase" not in result.output
    user = db.session.scalar(select(User).where(User.username == "ed"))
    assert user.email == "editor@example.org"
    assert user.role is Role.EDITOR
    assert user.email_confirmed_at is not None
    assert verify_password(user.password_hash, "a long and unusual passphrase")


def test_users_create_refuses_a_taken_email_with_a_message(app: Flask) -> None:
    runner = app.test_cli_runner()
    args = ["users", "create", "--email", "a@example.org", "--username", "a", "--password-stdin"]
    runner.invoke(args=args, input="a long and unusual passphrase\n")
    again = runner.invoke(
        args=[*args[:-3], "--username", "b", "--password-stdin"], input="another long passphrase\n"
    )
    assert again.exit_code != 0
    assert "exists already" in again.output


def test_content_recount_repairs_what_a_bulk_write_left_wrong(app: Flask) -> None:
    from cms.content.counts import ListingCount
    from tests.factories import make_article

    make_article()
    make_article()
    db.session.commit()
    db.session.execute(text("UPDATE listing_counts SET total = 99 WHERE facet = 'all'"))
    db.session.execute(text("UPDATE article_relations SET authors = '[]'"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["content", "recount"])
    assert result.exit_code == 0, result.output
    assert "1 corrected" in result.output
    db.session.expire_all()
    assert db.session.get(ListingCount, ("all", "")).total == 2
    listed = app.test_client().get("/api/v1/articles?include=authors").get_json()
    assert listed["meta"]["pagination"]["total"] == 2
    assert all(article["authors"] for article in listed["data"])
