"""Template filters for staff pages."""

from __future__ import annotations

from datetime import datetime

from cms.admin import admin
from cms.admin.article_forms import to_local


@admin.app_template_filter("local_time")
def local_time(moment: datetime | None, zone_name: str | None) -> str:
    """``2026-11-29 06:00 Europe/Berlin``: staff read times in their own zone; the database keeps UTC."""
    local = to_local(moment, zone_name)
    return f"{local:%Y-%m-%d %H:%M} {zone_name or 'UTC'}" if local else ""
