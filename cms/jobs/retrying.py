"""Rows that are sent with retries (mail in the outbox, webhook deliveries): the backoff schedule, and
the loop that claims due rows one at a time, sends each, and commits the outcome.

Each row is claimed in its own short transaction with ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two senders (the web process after a commit, ``cms worker``, a ``send`` command) never
send the same row: a row another sender holds is skipped, not waited for, and by the time that sender
commits the row is either sent or due later. SQLite has no row locks and ignores the clause; there,
run one sender beside the web process at most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy import Select, inspect
from sqlalchemy.orm import Session

from cms.db import utcnow
from cms.extensions import db

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


class RetriedRow(Protocol):
    """The columns the loop reads and writes; each table adds its own state and outcome columns."""

    id: int
    attempts: int
    #: A failed row is not tried again before this time.
    next_attempt_at: datetime


Row = TypeVar("Row", bound=RetriedRow)


@dataclass
class SendReport:
    """The ids of the rows one run tried, by outcome."""

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return len(self.sent) + len(self.failed)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: one minute, doubling, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def schedule_retry(row: RetriedRow) -> None:
    """Put a row that just failed back in the queue, after the backoff its attempts have earned."""
    row.next_attempt_at = utcnow() + retry_delay(row.attempts)


def send_due(
    model: type[Row],
    unsent: Select[Row],
    attempt: Callable[[Session, Row], bool],
    *,
    include_waiting: bool,
    limit: int,
) -> SendReport:
    """Try the rows ``unsent`` selects, oldest first, each once, at most ``limit`` of them.

    Only rows whose ``next_attempt_at`` has come are tried, unless ``include_waiting``. For each claimed
    row the attempt is counted, then ``attempt(session, row)`` sends it and records the outcome on the
    row (True when it went out); the claim's transaction commits right after, releasing the row.
    """
    columns = inspect(model).columns
    key, due_at = columns["id"], columns["next_attempt_at"]
    report = SendReport()
    tried: list[int] = []
    with Session(db.engine) as session:
        while len(tried) < limit:
            claim = unsent.order_by(key).limit(1).with_for_update(skip_locked=True, of=model)
            if tried:
                claim = claim.where(key.not_in(tried))
            if not include_waiting:
                claim = claim.where(due_at <= utcnow())
            row = session.scalar(claim)
            if row is None:
                break
            tried.append(row.id)
            row.attempts += 1
            went_out = attempt(session, row)
            (report.sent if went_out else report.failed).append(row.id)
            session.commit()
    return report
