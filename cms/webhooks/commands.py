"""``cms webhooks``: send what is due, for a cron job or a systemd timer."""

from __future__ import annotations

import click

from cms.jobs.commands import send_command
from cms.webhooks.delivery import deliver_pending


@click.group("webhooks")
def webhooks_group() -> None:
    """Webhook deliveries."""


@send_command(webhooks_group, all_help="Also send deliveries still waiting for a retry.")
def send(include_waiting: bool) -> None:
    """Send the pending deliveries that are due; failures wait for their next try."""
    report = deliver_pending(include_waiting=include_waiting)
    click.echo(f"Delivered {len(report.sent)}, failed {len(report.failed)}.")
