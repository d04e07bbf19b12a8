"""The staff navigation. A module adds its page with ``nav_item``; each user sees what they may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for
from flask_login import current_user

from cms.admin import admin
from cms.auth.permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    #: The permission that shows the link; None shows it to every staff member.
    action: str | None = None
    #: Links show in ascending order: articles 10, authors 20, tags 30, users 60, keys 70,
    #: webhooks 77, audit 80.
    order: int = 50


NAV: list[NavItem] = []


def nav_item(label: str, endpoint: str, action: str | None = None, order: int = 50) -> None:
    """Add a staff link: ``nav_item("Comments", "admin.comments", "moderate_comments", order=40)``."""
    NAV.append(NavItem(label, endpoint, action, order))
    NAV.sort(key=lambda item: item.order)


@admin.context_processor
def _navigation() -> dict[str, Any]:
    def admin_nav() -> list[dict[str, Any]]:
        return [
            {
                "label": item.label,
                "url": url_for(item.endpoint),
                "active": request.endpoint == item.endpoint,
            }
            for item in NAV
            if item.action is None or can(current_user, item.action)
        ]

    return {
        "admin_nav": admin_nav,
        "admin_can": lambda action, obj=None: can(current_user, action, obj),
        "admin_endpoints": set(current_app.view_functions),
    }
