"""The shape every ``cms <outbox> send`` command has: run once in the app context, send what is due,
and with ``--all`` also what still waits out its backoff (after an outage has been fixed)."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import with_appcontext


def send_command(group: click.Group, *, all_help: str) -> Callable[[Callable[[bool], None]], click.Command]:
    """Register the decorated ``function(include_waiting)`` as ``group``'s ``send`` command; its
    docstring is the command's help, ``all_help`` the help of ``--all``."""

    def register(function: Callable[[bool], None]) -> click.Command:
        with_option = click.option("--all", "include_waiting", is_flag=True, help=all_help)
        return group.command("send")(with_option(with_appcontext(function)))

    return register
