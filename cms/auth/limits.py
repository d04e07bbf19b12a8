"""Rate limits on the account flows, per client address and per account, shared by pages and API.

Each decorator below is one shared limit, so the HTML form and the JSON endpoint of a flow count
against the same budget. Over a limit the answer is 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_limiter.util import get_remote_address

from cms.auth.tokens import Purpose, claimed_user_id
from cms.extensions import limiter

_POST = ["POST"]


def _config(key: str) -> Callable[[], str]:
    return lambda: str(current_app.config[key])


def _field(*names: str) -> str:
    """The first of ``names`` in the JSON body or the form, stripped; "" when absent or not a string."""
    data: Any = request.get_json(silent=True) if request.is_json else request.form
    if not hasattr(data, "get"):
        return ""
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _account_key() -> str:
    """The account a request is about, named by its login or email (hashed: keys may be logged)."""
    # Lower-cased as the lookup is: "Alice" and "alice" are one account and share one budget.
    named = _field("login", "email").lower()
    return "account:" + hashlib.sha256(named.encode()).hexdigest()[:32]


def _token_key(purpose: Purpose) -> Callable[[], str]:
    def key() -> str:
        token = (request.view_args or {}).get("token") or _field("token")
        uid = claimed_user_id(purpose, token)
        return f"account:{uid}" if uid is not None else f"address:{get_remote_address()}"

    return key


per_ip = limiter.shared_limit(_config("RATELIMIT_AUTH_PER_IP"), scope="auth-ip", methods=_POST)
login_per_account = limiter.shared_limit(
    _config("RATELIMIT_AUTH_PER_ACCOUNT"), scope="login-account", key_func=_account_key, methods=_POST
)
# Only requests that got as far as (possibly) sending mail count; a typo in a form does not.
mail_per_account = limiter.shared_limit(
    _config("RATELIMIT_MAIL_PER_ACCOUNT"),
    scope="mail-account",
    key_func=_account_key,
    methods=_POST,
    deduct_when=lambda response: response.status_code < 400,
)
reset_per_account = limiter.shared_limit(
    _config("RATELIMIT_AUTH_PER_ACCOUNT"),
    scope="reset-account",
    key_func=_token_key(Purpose.RESET),
    methods=_POST,
)
confirm_per_account = limiter.shared_limit(
    _config("RATELIMIT_AUTH_PER_ACCOUNT"), scope="confirm-account", key_func=_token_key(Purpose.CONFIRM)
)
#: For flows a link opens with GET (confirming an address), counted in the same per-address budget.
per_ip_any_method = limiter.shared_limit(_config("RATELIMIT_AUTH_PER_IP"), scope="auth-ip")
