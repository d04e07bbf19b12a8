"""The ``cms`` command: Flask's and Flask-Migrate's commands plus the CMS's own groups."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from cms.errors import AppError
from cms.extensions import db


def _create_app() -> Flask:
    from cms import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Manage the CMS: database, demo content, users, and the development server."""


def register_commands(app: Flask) -> None:
    from cms.auth.api_key_commands import api_keys
    from cms.auth.commands import users_invite, users_set_role
    from cms.content.commands import content_group
    from cms.ghost.commands import content_keys_group
    from cms.jobs.worker import worker
    from cms.mail.commands import mail_group
    from cms.webhooks.commands import webhooks_group

    app.cli.add_command(api_keys)
    app.cli.add_command(content_group)
    app.cli.add_command(content_keys_group)
    app.cli.add_command(demo)
    app.cli.add_command(users)
    users.add_command(users_set_role)
    users.add_command(users_invite)
    app.cli.add_command(mail_group)
    app.cli.add_command(webhooks_group)
    app.cli.add_command(worker)


@click.group()
def demo() -> None:
    """Demo content for trying the CMS out."""


@demo.command("load")
@with_appcontext
def demo_load() -> None:
    """Load demo articles, authors and tags, and a demo admin when there are no users (idempotent)."""
    from cms.demo import ensure_demo_admin, load_demo_content

    created = load_demo_content()
    admin = ensure_demo_admin()
    db.session.commit()
    click.echo(f"Loaded {created} demo articles." if created else "Content exists already; nothing loaded.")
    if admin:
        click.echo(admin)


@click.group()
def users() -> None:
    """User accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--username", required=True)
@click.option(
    "--role", type=click.Choice(["admin", "editor", "author", "contributor", "reader"]), default="reader"
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_create(email: str, username: str, role: str, password_stdin: bool) -> None:
    """Create a confirmed, active user."""
    from cms.auth.models import Role
    from cms.auth.service import create_user

    password = (
        sys.stdin.readline().rstrip("\r\n")
        if password_stdin
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    try:
        user = create_user(email=email, username=username, password=password, role=Role(role), confirmed=True)
    except AppError as error:
        raise click.ClickException(error.detail) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.username} <{user.email}>.")
