"""``cms users set-role`` and ``cms users invite``: making staff from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from cms.auth.models import Role
from cms.errors import AppError
from cms.extensions import db

_ROLES = click.Choice([role.value for role in Role])


@click.command("set-role")
@click.argument("username")
@click.argument("role", type=_ROLES)
@with_appcontext
def users_set_role(username: str, role: str) -> None:
    """Give USERNAME the role ROLE (admin, editor, author, contributor or reader)."""
    from cms.auth.service import set_role

    try:
        user = set_role(username, Role(role))
    except AppError as error:
        raise click.ClickException(error.detail) from None
    db.session.commit()
    click.echo(f"{user.username} is now {user.role.value}.")


@click.command("invite")
@click.option("--email", required=True)
@click.option("--username", required=True)
@click.option("--role", type=_ROLES, default=Role.AUTHOR.value, show_default=True)
@with_appcontext
def users_invite(email: str, username: str, role: str) -> None:
    """Create a staff account and email its owner a link to choose a password."""
    from cms.auth.credentials import invite_user

    try:
        user = invite_user(email=email, username=username, role=Role(role), by=None)
    except AppError as error:
        raise click.ClickException(error.detail) from None
    db.session.commit()
    click.echo(f"Invited {user.username} <{user.email}> as {user.role.value}.")
