"""``cms webhooks``: send what is due, for a cron job or a systemd timer."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from cms.webhooks.delivery import deliver_pending


@click.group("webhooks")
def webhooks_group() -> None:
    """Webhook deliveries."""


@webhooks_group.command("send")
@click.option(
    "--all", "include_waiting", is_flag=True, help="Also send deliveries still waiting for a retry."
)
@with_appcontext
def send(include_waiting: bool) -> None:
    """Send the pending deliveries that are due; failures wait for their next try."""
    report = deliver_pending(include_waiting=include_waiting)
    click.echo(f"Delivered {len(report.delivered)}, failed {len(report.failed)}.")
