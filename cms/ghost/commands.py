"""``cms content-keys``: keys for the Ghost-compatible Content API."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from cms.errors import AppError
from cms.extensions import db
from cms.ghost.keys import ContentKey, content_keys, create_content_key, delete_content_key


@click.group("content-keys")
def content_keys_group() -> None:
    """Content API keys for Ghost frontends (/ghost/api/content/)."""


@content_keys_group.command("create")
@click.option("--name", required=True, help="Who uses the key, e.g. the site's name.")
@with_appcontext
def create(name: str) -> None:
    """Create a key; the key itself is the last line of the output and is not shown again."""
    try:
        row, key = create_content_key(name)
    except AppError as error:
        raise click.ClickException(error.detail) from None
    db.session.commit()
    click.echo(f"Created content key {row.name!r}. Use it as ?key= with /ghost/api/content/:")
    click.echo(key)


@content_keys_group.command("list")
@with_appcontext
def list_keys() -> None:
    for row in content_keys():
        click.echo(f"{row.id}\t{row.prefix}…\t{row.name}\t{row.created_at:%Y-%m-%d}")


@content_keys_group.command("delete")
@click.argument("key_id", type=int)
@with_appcontext
def delete(key_id: int) -> None:
    """Delete a key by its number (from ``list``); frontends using it stop working at once."""
    row = db.session.get(ContentKey, key_id)
    if row is None:
        raise click.ClickException(f"No content key has number {key_id}.")
    delete_content_key(row)
    db.session.commit()
    click.echo(f"Deleted content key {row.name!r}.")
