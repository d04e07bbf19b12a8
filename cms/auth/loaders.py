"""How Flask-Login finds the user behind a session or remember-me cookie."""

from __future__ import annotations

from cms.auth.models import User
from cms.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The id is ``<user id>:<session version>``; an old version means the session was ended."""
    raw_id, _, raw_version = user_id.partition(":")
    if not (raw_id.isdigit() and raw_version.isdigit()):
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or user.session_version != int(raw_version):
        return None
    return user
