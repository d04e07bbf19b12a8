"""Work that must wait for a commit: ``after_commit(callback)`` runs it once the current transaction of
``db.session`` has committed, and forgets it when the transaction rolls back.

Callbacks run after the data is durable, so a message or webhook never announces a change that was
rolled back. ``db.session`` cannot run SQL inside the commit hook; a callback that needs the database
opens its own session (see ``cms.mail.delivery``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from cms.extensions import db

log = logging.getLogger(__name__)

_CALLBACKS = "cms.after_commit"


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once, after the current transaction of ``db.session`` commits.

    Registering the same callable twice in one transaction runs it once, so "send what is queued"
    can be asked for by every message without sending in a loop.
    """
    session = db.session()
    if not session.in_transaction():
        # Tie the callback to a transaction now, so a rollback before any query still forgets it.
        session.begin()
    callbacks: list[Callable[[], object]] = session.info.setdefault(_CALLBACKS, [])
    if callback not in callbacks:
        callbacks.append(callback)


@event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    for callback in session.info.pop(_CALLBACKS, []):
        try:
            callback()
        except Exception:
            # The commit has happened; a failing follow-up must not turn it into an error page.
            log.exception("An after-commit callback failed")


@event.listens_for(Session, "after_soft_rollback")
def _forget_callbacks(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CALLBACKS, None)
