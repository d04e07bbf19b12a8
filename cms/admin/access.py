"""The gate in front of every staff page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import redirect, request
from flask_login import current_user

from cms.auth.permissions import can
from cms.errors import Forbidden

F = TypeVar("F", bound=Callable[..., Any])

LOGIN_PATH = "/login"


def staff_required(view: F) -> F:
    """Anonymous visitors are sent to log in and brought back; signed-in readers get 403."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(f"{LOGIN_PATH}?{urlencode({'next': request.full_path.rstrip('?')})}")
        if not can(current_user, "access_admin"):
            raise Forbidden("The staff area is for staff accounts.")
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
