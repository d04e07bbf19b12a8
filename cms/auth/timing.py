"""Answers that take the same time whether or not an account exists.

Asking for a reset link for a known account writes and sends a message (tens of milliseconds with a
local mail relay, more with a remote one); for an unknown account there is nothing to do. Without
care, the time of the answer would tell which accounts exist. The flows that must not tell
(forgotten password, registration) therefore answer no sooner than ``AUTH_RESPONSE_FLOOR`` seconds
after the request began. Work that takes longer than the floor is not cut short, so the floor should
be set above the time the mail server usually takes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from time import monotonic, sleep
from typing import ParamSpec, TypeVar

from flask import current_app, request

P = ParamSpec("P")
R = TypeVar("R")


def even_timing(view: Callable[P, R]) -> Callable[P, R]:
    """Let a POST to ``view`` answer no sooner than ``AUTH_RESPONSE_FLOOR`` seconds after it started,
    errors included. Showing the form (GET) is not held back."""

    @wraps(view)
    def timed(*args: P.args, **kwargs: P.kwargs) -> R:
        if request.method != "POST":
            return view(*args, **kwargs)
        floor = float(current_app.config["AUTH_RESPONSE_FLOOR"])
        started = monotonic()
        try:
            return view(*args, **kwargs)
        finally:
            remaining = floor - (monotonic() - started)
            if remaining > 0:
                sleep(remaining)

    return timed
