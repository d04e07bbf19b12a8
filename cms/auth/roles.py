"""Admins changing who may do what: roles and deactivation, each audited.

An admin cannot demote or deactivate themself, so the CMS can never lose its last admin by accident.
"""

from __future__ import annotations

from cms.audit.service import record
from cms.auth.models import Role, User
from cms.auth.permissions import require
from cms.errors import Conflict
from cms.extensions import db


def change_role(user: User, role: Role, *, by: User) -> None:
    require(by, "manage_users")
    if user.id == by.id and role is not Role.ADMIN:
        raise Conflict("You cannot take the admin role from yourself; ask another admin.")
    if user.role is role:
        return
    old = user.role
    user.role = role
    db.session.flush()
    record(by, "user.role", f"user:{user.id}", f"Changed {user.username} from {old.value} to {role.value}",
           old=old.value, new=role.value)  # fmt: skip


def set_active(user: User, active: bool, *, by: User) -> None:
    """Deactivating also ends every session of the user (and with them, API keys stop working)."""
    require(by, "manage_users")
    if user.id == by.id and not active:
        raise Conflict("You cannot deactivate your own account.")
    if user.active is active:
        return
    user.active = active
    if not active:
        user.session_version += 1
    db.session.flush()
    verb = "Reactivated" if active else "Deactivated"
    record(by, "user.activate" if active else "user.deactivate", f"user:{user.id}", f"{verb} {user.username}")
