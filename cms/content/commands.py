"""``cms content recount``: rebuild what the database keeps for lists, as a repair."""

from __future__ import annotations

import click
from sqlalchemy import select

from cms.content.counts import ListingCount, recount
from cms.content.kept_relations import fill_relations
from cms.content.link_dates import fill_link_dates
from cms.extensions import db


@click.group("content")
def content_group() -> None:
    """Articles, authors and tags."""


@content_group.command("recount")
def content_recount() -> None:
    """Count every list's articles afresh, copy each article's date onto its tag and author links, and
    write each article's authors and tags as the API shows them.

    Triggers keep all three right on every write; this is for a database whose triggers were off (a
    restore without them, a bulk load that dropped them)."""
    before = _counters()
    connection = db.session.connection()
    recount(connection)
    fill_link_dates(connection)
    fill_relations(connection)
    after = _counters()
    db.session.commit()
    changed = sum(1 for key in before.keys() | after.keys() if before.get(key, 0) != after.get(key, 0))
    click.echo(f"{len(after)} counters; {changed} corrected. Link dates copied; authors and tags rewritten.")


def _counters() -> dict[tuple[str, str], int]:
    rows = db.session.execute(select(ListingCount.facet, ListingCount.term, ListingCount.total))
    return {(facet, term): total for facet, term, total in rows}
