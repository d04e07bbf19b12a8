"""``cms api-keys``: make, list and revoke API keys from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from cms.audit.service import record
from cms.auth.api_keys import SCOPES, ApiKey, create_api_key, revoke_api_key
from cms.auth.models import User
from cms.errors import AppError
from cms.extensions import db


@click.group("api-keys")
def api_keys() -> None:
    """API keys for scripts and frontends."""


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


@api_keys.command("create")
@click.option("--user", "username", required=True, help="The staff member the key acts as.")
@click.option("--name", required=True, help="What the key is for, e.g. 'nightly import'.")
@click.option(
    "--scope", "scopes", type=click.Choice(SCOPES), multiple=True, required=True, help="Repeatable."
)
@with_appcontext
def create(username: str, name: str, scopes: tuple[str, ...]) -> None:
    """Make a key; the key itself is printed once, as the last line."""
    user = _user(username)
    try:
        row, key = create_api_key(user, name=name, scopes=scopes)
    except AppError as error:
        raise click.ClickException(error.detail) from None
    record(
        None, "api_key.create", f"api_key:{row.prefix}", f"Created key “{name}” for {user.username} (shell)"
    )
    db.session.commit()
    click.echo(
        f"Created key {row.prefix} for {user.username} with scopes {row.scopes}. It is shown only once:"
    )
    click.echo(key)


@api_keys.command("list")
@with_appcontext
def list_keys() -> None:
    """Every key: prefix, owner, name, scopes, last use, and whether it is revoked."""
    for row in db.session.scalars(select(ApiKey).order_by(ApiKey.created_at)):
        state = "revoked" if row.revoked else f"last used {row.last_used_at or 'never'}"
        click.echo(f"{row.prefix}  {row.user.username}  {row.name!r}  {row.scopes}  {state}")


@api_keys.command("revoke")
@click.argument("prefix")
@with_appcontext
def revoke(prefix: str) -> None:
    """Revoke the key with this prefix (the part after ``cms_``)."""
    row = db.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None:
        raise click.ClickException(f"No key with prefix {prefix!r}.")
    revoke_api_key(row)
    record(None, "api_key.revoke", f"api_key:{row.prefix}", f"Revoked key “{row.name}” (shell)")
    db.session.commit()
    click.echo(f"Revoked {prefix}.")
