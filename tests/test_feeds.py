"""The Atom feed and the sitemap list the public articles."""

from datetime import timedelta
from xml.etree import ElementTree

from flask.testing import FlaskClient

from cms.content.models import Status
from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_feed_holds_the_latest_twenty_public_articles(client: FlaskClient) -> None:
    for i in range(22):
        make_article(title=f"Story <{i}> & more", published_at=utcnow() - timedelta(hours=i))
    make_article(title="Secret draft", status=Status.DRAFT)
    db.session.commit()
    response = client.get("/feed.xml")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 20
    assert titles[0] == "Story <0> & more"
    assert "Secret draft" not in titles


def test_the_sitemap_lists_public_article_urls(client: FlaskClient) -> None:
    make_article(title="Visible")
    make_article(title="Hidden", status=Status.DRAFT)
    db.session.commit()
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").data)
    assert [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")] == ["http://cms.test/visible/"]
