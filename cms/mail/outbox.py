"""Queueing mail: ``queue_mail`` writes the message to the outbox in the caller's transaction and
arranges for it to be sent right after that transaction commits.

Use it for every message the CMS sends::

    queue_mail(to=user.email, template="password_reset", language=user.language, context={...})

If the commit never happens, neither does the mail. If sending fails, the message stays in the outbox
and ``cms worker`` (or ``cms mail send``, or the next send after any later commit) retries it with
backoff.
"""

from __future__ import annotations

from typing import Any

from cms.extensions import db
from cms.mail.building import build_message
from cms.mail.models import OutboxMessage
from cms.mail.transactions import after_commit


def queue_mail(*, to: str, template: str, language: str | None, context: dict[str, Any]) -> OutboxMessage:
    """Render ``templates/mail/<template>.<language>.txt`` (and ``.html``) into an outbox row for ``to``.

    ``to`` must be an address the CMS stored itself (a user's email), never one taken from a request.
    """
    built = build_message(template, language, context)
    message = OutboxMessage(
        recipient=to, subject=built.subject, text_body=built.text, html_body=built.html, template=template
    )
    db.session.add(message)
    db.session.flush()
    after_commit(_deliver_after_commit)
    return message


def _deliver_after_commit() -> None:
    from cms.mail.delivery import deliver_pending

    deliver_pending()
