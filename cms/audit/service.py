"""Writing to the audit log. Like every service it flushes; the caller's commit keeps the line."""

from __future__ import annotations

from typing import Any

from cms.audit.models import AuditEntry
from cms.extensions import db


def record(actor: Any, action: str, subject: str, summary: str, **details: Any) -> AuditEntry:
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None), action=action, subject=subject, summary=summary, details=details
    )
    db.session.add(entry)
    db.session.flush()
    return entry
