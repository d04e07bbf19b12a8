"""Signed, timed tokens for emailed links, one salt per purpose.

A token made for one purpose never verifies for another. Tokens are signed, not encrypted: their
payload is readable, so it holds ids and fingerprints, never secrets. Old keys listed in
``SECRET_KEY_FALLBACKS`` still verify, so rotating the secret key does not break links in flight.
"""

from __future__ import annotations

import enum
import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from cms.errors import InvalidToken


class Purpose(enum.StrEnum):
    CONFIRM = "confirm"
    RESET = "reset"
    INVITE = "invite"
    CHANGE_EMAIL = "change-email"

    @property
    def max_age(self) -> int:
        key = {
            Purpose.CONFIRM: "EMAIL_CONFIRM_MAX_AGE",
            Purpose.RESET: "PASSWORD_RESET_MAX_AGE",
            Purpose.INVITE: "INVITE_MAX_AGE",
            Purpose.CHANGE_EMAIL: "EMAIL_CONFIRM_MAX_AGE",
        }[self]
        return int(current_app.config[key])


EXPIRED = "This link has expired. Please ask for a new one."
USED_OR_INVALID = "This link is invalid or has already been used. Please ask for a new one."


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    keys = [*current_app.config["SECRET_KEY_FALLBACKS"], current_app.config["SECRET_KEY"]]
    # itsdangerous signs with the last key and verifies with any.
    return URLSafeTimedSerializer(keys, salt=f"cms.{purpose.value}")


def make_token(purpose: Purpose, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: Purpose, token: object) -> dict[str, Any]:
    """The payload of a valid, unexpired token for ``purpose``; ``InvalidToken`` otherwise."""
    if not isinstance(token, str) or not token or len(token) > 1000:
        raise InvalidToken(USED_OR_INVALID)
    try:
        payload = _serializer(purpose).loads(token, max_age=purpose.max_age)
    except SignatureExpired:
        raise InvalidToken(EXPIRED) from None
    except BadData:
        raise InvalidToken(USED_OR_INVALID) from None
    if not isinstance(payload, dict):
        raise InvalidToken(USED_OR_INVALID)
    return payload


def claimed_user_id(purpose: Purpose, token: object) -> int | None:
    """The user id a token names, without checking it: only for keying rate limits."""
    if not isinstance(token, str):
        return None
    _, payload = _serializer(purpose).loads_unsafe(token)
    uid = payload.get("uid") if isinstance(payload, dict) else None
    return uid if isinstance(uid, int) else None


def password_fingerprint(password_hash: str | None) -> str:
    """Short digest of the stored hash: a token carrying it dies when the password changes.

    The digest, not the hash, goes into the token, because the token's payload is readable.
    """
    return hashlib.sha256((password_hash or "no password").encode()).hexdigest()[:24]
