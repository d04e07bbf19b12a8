"""``cms worker``: sends due mail and webhook deliveries every ``--interval`` seconds, so a retry goes out
when its backoff ends rather than with the next saved change, and nobody needs a cron job for it.

Run it as a second process beside the web server (systemd, a container, a Procfile line). SIGTERM or
SIGINT lets the pass under way finish its current batch and then exits 0; a second signal stops at
once. ``--once`` runs one pass and exits, for cron or a systemd timer. Several workers may run
against PostgreSQL (rows are claimed with ``FOR UPDATE SKIP LOCKED``, see ``cms.jobs.retrying``); on
SQLite run one.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from cms.jobs.retrying import SendReport
from cms.mail.delivery import deliver_pending as send_due_mail
from cms.webhooks.delivery import deliver_pending as send_due_webhooks

log = logging.getLogger(__name__)

#: What a pass sends, in this order: each function sends up to one batch of due rows.
SENDERS: tuple[tuple[str, Callable[[], SendReport]], ...] = (
    ("mail", send_due_mail),
    ("webhooks", send_due_webhooks),
)


@dataclass
class PassReport:
    """What one pass did, per sender; ``crashed`` names the senders that raised (e.g. no database)."""

    reports: dict[str, SendReport] = field(default_factory=dict)
    crashed: list[str] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return sum(report.tried for report in self.reports.values())

    def summary(self) -> str:
        parts = [
            f"{name}: {len(report.sent)} sent, {len(report.failed)} failed"
            for name, report in self.reports.items()
        ]
        parts += [f"{name}: could not run (see the log)" for name in self.crashed]
        return "; ".join(parts)


def run_pass(stopping: Callable[[], bool] = lambda: False) -> PassReport:
    """Send every due row, batch after batch, until none is left or ``stopping()`` says so.

    A sender that raises is logged and reported, and the others still run: a worker outlives a
    database restart. Rows that fail are due again only after their backoff, so the loop ends.
    """
    result = PassReport()
    for name, send in SENDERS:
        total = SendReport()
        try:
            while not stopping():
                report = send()
                total.sent += report.sent
                total.failed += report.failed
                if not report.tried:
                    break
        except Exception:  # the next pass tries again; one broken sender must not stop the other
            log.exception("Sending due %s failed", name)
            result.crashed.append(name)
            continue
        result.reports[name] = total
    return result


def _pass_in_own_context(app: Flask, stopping: Callable[[], bool]) -> PassReport:
    # A fresh app context per pass: its database session is removed when the pass ends, so a
    # long-running worker holds no connection or transaction between passes.
    with app.app_context():
        return run_pass(stopping)


def _stop_on_signals(stop: threading.Event) -> dict[int, Any]:
    """Make SIGTERM and SIGINT set ``stop``; the first one also restores the previous handlers, so
    a second signal ends the process at once. Returns those previous handlers."""
    watched = (signal.SIGTERM, signal.SIGINT)
    previous: dict[int, Any] = {number: signal.getsignal(number) for number in watched}

    def handle(number: int, frame: FrameType | None) -> None:
        stop.set()
        for each, handler in previous.items():
            signal.signal(each, handler)

    for number in watched:
        signal.signal(number, handle)
    return previous


@click.command("worker")
@click.option(
    "--interval",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    help="Seconds to wait between passes.",
)
@click.option("--once", is_flag=True, help="Run one pass and exit (for cron or a systemd timer).")
@with_appcontext
def worker(interval: float, once: bool) -> None:
    """Send due mail and webhook deliveries every --interval seconds, until SIGTERM or SIGINT.

    Only what is due goes out: a message or delivery that failed waits out its backoff first (use
    "cms mail send --all" or "cms webhooks send --all" to retry at once after an outage).
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        result = _pass_in_own_context(app, lambda: False)
        click.echo(result.summary())
        if result.crashed:
            raise SystemExit(1)
        return
    stop = threading.Event()
    previous = _stop_on_signals(stop)
    click.echo(f"Worker {os.getpid()} started: sending due mail and webhooks every {interval:g} s.")
    try:
        while not stop.is_set():
            result = _pass_in_own_context(app, stop.is_set)
            if result.tried or result.crashed:
                click.echo(result.summary())
            stop.wait(interval)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo(f"Worker {os.getpid()} stopped.")
