"""What the database keeps for lists agrees with the rows, whatever writes: the counters behind list
totals (cms/content/counts.py), the dates on tag and author links (cms/content/link_dates.py), and
each article's authors and tags as the API shows them (cms/content/kept_relations.py)."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from cms.api.representations import article_json
from cms.content import counts, kept_relations, queries, service
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Status, Tag
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article, make_author, make_tag


def stored_counters() -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(counts.ListingCount.facet, counts.ListingCount.term, counts.ListingCount.total)
    )
    return {(facet, term): total for facet, term, total in rows if total}


def recounted() -> dict[tuple[str, str], int]:
    """What ``recount`` makes of the same rows, without changing the stored counters."""
    with db.session.begin_nested() as savepoint:
        counts.recount(db.session.connection())
        fresh = stored_counters()
        savepoint.rollback()
    return fresh


def links_with_other_dates() -> list[tuple[object, ...]]:
    """Links whose copied date differs from their article's (none, if the triggers do their work)."""
    found = []
    for link_model in (ArticleTag, ArticleAuthor):
        rows = db.session.execute(
            select(link_model.article_id, link_model.published_at, Article.published_at).join(
                Article, Article.id == link_model.article_id
            )
        )
        found += [tuple(row) for row in rows if row[1] != row[2]]
    return found


def relations_unlike_the_links() -> list[int]:
    """Articles whose kept authors and tags differ from what the API makes of their links, and rows
    kept for articles that are gone (none, if the triggers do their work)."""
    kept = {
        row.article_id: {"authors": json.loads(row.authors), "tags": json.loads(row.tags)}
        for row in db.session.scalars(select(kept_relations.ArticleRelations))
    }
    wrong = []
    for article in db.session.scalars(select(Article)):
        made = article_json(article, include=["authors", "tags"], fields=["authors", "tags"])
        if kept.pop(article.id, None) != made:
            wrong.append(article.id)
    return wrong + sorted(kept)


def counted_in_python(facet: str, term: str) -> int:
    """Published or scheduled, dated, not trashed: the rule the counters keep, applied to objects."""
    found = 0
    for article in db.session.scalars(select(Article)):
        if (
            article.status not in queries.PUBLIC_STATUSES
            or article.published_at is None
            or article.deleted_at
        ):
            continue
        found += {
            "all": True,
            "language": article.language == term,
            "featured": str(article.featured).lower() == term,
            "tag": any(str(link.tag_id) == term for link in article.tag_links),
            "author": any(str(link.author_id) == term for link in article.author_links),
        }[facet]
    return found


def public_rows(**filters: object) -> int:
    statement = queries.visible_articles()
    if filters.get("tag"):
        statement = statement.where(queries.with_tag(str(filters["tag"])))
    if filters.get("author"):
        statement = statement.where(queries.with_author(str(filters["author"])))
    if filters.get("language"):
        statement = statement.where(Article.language == filters["language"])
    if filters.get("featured") is not None:
        statement = statement.where(Article.featured.is_(filters["featured"]))
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def random_write(rng: random.Random, tags: list[Tag], authors: list[Author]) -> None:
    """One of the writes an installation sees, through the ORM or as plain SQL."""
    now = utcnow()
    articles = list(db.session.scalars(select(Article)))
    when = rng.choice(
        [None, now - timedelta(days=rng.randint(1, 9)), now + timedelta(days=rng.randint(1, 9))]
    )
    choice = rng.randrange(13) if articles else 0
    if choice == 0:
        make_article(
            status=rng.choice(list(Status)),
            published_at=when,
            language=rng.choice(["de", "en", "fr"]),
            featured=rng.random() < 0.3,
            tags=[t.slug for t in rng.sample(tags, rng.randint(0, 3))],
            authors=rng.sample(authors, rng.randint(1, 2)),
        )
        return
    article = rng.choice(articles)
    if choice == 1:
        service.set_status(article, rng.choice(list(Status)), when)
    elif choice == 2:
        service.update_article(
            article, {"language": rng.choice(["de", "en"]), "featured": not article.featured}
        )
    elif choice == 3:
        service.set_article_tags(article, [t.slug for t in rng.sample(tags, rng.randint(0, 3))])
    elif choice == 4:
        service.set_article_authors(article, rng.sample(authors, rng.randint(1, 2)))
    elif choice == 5:
        article.deleted_at = None if article.deleted_at else now
    elif choice == 6:
        db.session.delete(article)
    elif choice == 7:  # a bulk statement, no ORM object involved
        db.session.execute(update(Article).where(Article.id == article.id).values(status=Status.PUBLISHED))
    elif choice == 8:  # a tag removed everywhere: its links go by ON DELETE CASCADE
        tag = rng.choice(tags)
        db.session.execute(delete(ArticleTag).where(ArticleTag.tag_id == tag.id))
    elif choice == 9:  # an author or a tag edited: every article showing it shows the new one
        owner = rng.choice([*tags, *authors])
        owner.name = f"{owner.name.split(' #')[0]} #{rng.randint(1, 99)}"
        owner.slug = f"{owner.slug.split('--')[0]}--{rng.randint(1, 99)}"
        if isinstance(owner, Author):
            owner.bio = rng.choice([None, "Schreibt über Wahlen.", 'Mit "Anführungszeichen" und \\ Strich'])
        else:
            owner.description = rng.choice([None, "Alles über Verkehr."])
    elif choice == 10:  # an article's links put in another order, as plain SQL
        for model in (ArticleAuthor, ArticleTag):
            db.session.execute(
                update(model).where(model.article_id == article.id).values(position=-model.position)
            )
    elif choice == 11 and len(authors) > 2:  # an author deleted: their links go by ON DELETE CASCADE
        gone = authors.pop(rng.randrange(len(authors)))
        db.session.delete(gone)
    else:  # a link moved from one article to another
        other = rng.choice(articles)
        link = db.session.scalars(select(ArticleTag).where(ArticleTag.article_id == article.id)).first()
        taken = {t.tag_id for t in other.tag_links}
        if link is not None and other.id != article.id and link.tag_id not in taken:
            db.session.execute(
                update(ArticleTag)
                .where(ArticleTag.article_id == article.id, ArticleTag.tag_id == link.tag_id)
                .values(article_id=other.id)
            )
    db.session.flush()
    db.session.expire_all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counters_follow_every_kind_of_write(seed: int) -> None:
    rng = random.Random(seed)
    tags = [make_tag() for _ in range(4)]
    authors = [make_author() for _ in range(3)]
    for _ in range(40):
        random_write(rng, tags, authors)
        assert stored_counters() == recounted()
        assert links_with_other_dates() == []
        assert relations_unlike_the_links() == []
    db.session.commit()
    for facet, term in (
        [("all", ""), ("language", "de"), ("featured", "true"), ("featured", "false")]
        + [("tag", str(t.id)) for t in tags]
        + [("author", str(a.id)) for a in authors]
    ):
        assert stored_counters().get((facet, term), 0) == counted_in_python(facet, term), (facet, term)


def test_a_deleted_article_leaves_no_count_behind_for_its_tags_or_authors() -> None:
    tag, author = make_tag(), make_author()
    article = make_article(tags=[tag.slug], authors=[author])
    make_article(tags=[tag.slug], authors=[author])
    db.session.commit()
    assert stored_counters()[("tag", str(tag.id))] == 2
    db.session.execute(text("DELETE FROM articles WHERE id = :id"), {"id": article.id})
    db.session.commit()
    assert stored_counters()[("all", "")] == 1
    assert stored_counters()[("tag", str(tag.id))] == 1
    assert stored_counters()[("author", str(author.id))] == 1


def test_public_totals_leave_out_articles_whose_time_has_not_come() -> None:
    tag, author = make_tag(), make_author()
    make_article(tags=[tag.slug], authors=[author], language="de", featured=True)
    make_article(tags=[tag.slug], authors=[author], published_at=utcnow() + timedelta(hours=1), language="de")
    make_article(status=Status.DRAFT, tags=[tag.slug], language="de")
    make_article(language="en")
    db.session.commit()
    now = utcnow()
    cases: list[dict[str, str | bool | None]] = [
        {},
        {"tag": tag.slug},
        {"author": author.slug},
        {"language": "de"},
        {"language": "en"},
        {"featured": True},
        {"featured": False},
        {"tag": "no-such-tag"},
    ]
    for filters in cases:
        assert counts.public_total(now, dict(filters)) == public_rows(**filters), filters
    # Once the scheduled one's time has come, it counts, with nothing written.
    later = now + timedelta(hours=2)
    assert counts.public_total(later, {"tag": tag.slug}) == 2
    assert counts.public_total(now, {"tag": tag.slug, "language": "de"}) is None


def test_api_list_totals_come_out_right_for_each_filter(client) -> None:  # type: ignore[no-untyped-def]
    tag = make_tag(name="Politik")
    for i in range(3):
        make_article(tags=[tag.slug], language="de", featured=i == 0)
    make_article(tags=[tag.slug], published_at=utcnow() + timedelta(days=1))
    make_article(language="en")
    db.session.commit()
    expected = {
        "/api/v1/articles": 4,
        "/api/v1/articles?tag=politik": 3,
        "/api/v1/articles?language=de": 3,
        "/api/v1/articles?featured=true": 1,
        "/api/v1/articles?tag=politik&language=de&limit=2": 3,
        "/api/v1/articles?tag=politik&limit=2&page=2": 3,
    }
    for url, total in expected.items():
        pagination = client.get(url).get_json()["meta"]["pagination"]
        assert pagination["total"] == total, url
