"""The audit log page (admins)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.navigation import nav_item
from cms.api.pagination import paginate
from cms.audit.models import AuditEntry
from cms.auth.permissions import require

nav_item("Audit log", "admin.audit_log", "read_audit_log", order=80)


@admin.get("/audit")
@staff_required
def audit_log() -> str:
    require(current_user, "read_audit_log")
    page = paginate(
        select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        max(1, request.args.get("page", 1, type=int)),
        50,
    )
    return render_template("admin/audit.html", page=page)
