"""``cms mail send``: deliver what waits in the outbox (run it from cron, or after an SMTP outage)."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from cms.extensions import db
from cms.jobs.commands import send_command
from cms.mail.delivery import deliver_pending
from cms.mail.models import OutboxMessage


@click.group("mail")
def mail_group() -> None:
    """The mail outbox."""


@send_command(mail_group, all_help="Also retry messages still waiting out their backoff.")
def mail_send(include_waiting: bool) -> None:
    """Send every message that is due; failures stay in the outbox for a later run."""
    report = deliver_pending(include_waiting=include_waiting, limit=10_000)
    waiting = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    )
    click.echo(f"Sent {len(report.sent)}, failed {len(report.failed)}, {waiting} unsent in the outbox.")
    if report.failed:
        raise SystemExit(1)
