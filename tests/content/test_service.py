import pytest

from cms.content import service
from cms.content.models import Status
from cms.errors import ValidationError
from cms.extensions import db
from tests.factories import make_article, make_author


def test_saving_renders_markdown_once_and_derives_reading_time() -> None:
    article = make_article(markdown="Hello **world**")
    assert article.html == "<p>Hello <strong>world</strong></p>\n"
    assert article.plaintext == "Hello world"
    assert article.reading_time == 1


def test_titles_that_collide_get_numbered_slugs() -> None:
    first = make_article(title="Über Grenzen")
    second = make_article(title="Über Grenzen")
    assert (first.slug, second.slug) == ("ueber-grenzen", "ueber-grenzen-2")


def test_an_explicit_slug_must_be_free_and_well_formed() -> None:
    make_article(slug="taken")
    with pytest.raises(ValidationError) as taken:
        make_article(slug="taken")
    assert taken.value.errors[0]["field"] == "slug"
    with pytest.raises(ValidationError):
        make_article(slug="Not A Slug")


def test_authors_and_tags_keep_their_order_and_the_first_is_primary() -> None:
    ada, bob = make_author(name="Ada"), make_author(name="Bob")
    article = make_article(authors=[bob, ada], tags=["Zeta", "alpha", "Zeta"])
    db.session.commit()
    assert [a.name for a in article.authors] == ["Bob", "Ada"]
    assert [t.name for t in article.tags] == ["Zeta", "alpha"]
    assert article.primary_author.name == "Bob"
    assert article.primary_tag.slug == "zeta"


def test_tags_are_found_by_name_or_slug_before_new_ones_are_made() -> None:
    first = make_article(tags=["Künstliche Intelligenz"])
    second = make_article(tags=["kuenstliche-intelligenz"])
    assert first.tags[0].id == second.tags[0].id


def test_update_rerenders_and_bumps_the_version() -> None:
    article = make_article(markdown="old")
    version = article.version
    service.update_article(article, {"markdown": "new *text*", "title": "New title"})
    assert "<em>text</em>" in article.html
    assert article.version == version + 1


def test_unknown_fields_are_refused_by_name() -> None:
    article = make_article()
    with pytest.raises(ValidationError) as error:
        service.update_article(article, {"colour": "red"})
    assert error.value.errors[0]["field"] == "colour"


def test_a_draft_has_no_publication_date_and_publishing_sets_now() -> None:
    article = make_article(status=Status.DRAFT, published_at=None)
    assert article.published_at is None
    service.set_status(article, Status.PUBLISHED)
    assert article.status is Status.PUBLISHED
    assert article.published_at is not None
