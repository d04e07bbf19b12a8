"""Recognising a visitor again without storing who they are: keyed hashes and a signed voter cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

VOTER_COOKIE = "cms_voter"
_VOTER_SALT = "comment-voter"


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA-256 under the secret key; ``purpose`` keeps hashes made for different uses apart."""
    key = current_app.config["SECRET_KEY"]
    key_bytes = key.encode() if isinstance(key, str) else key
    return hmac.new(key_bytes, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def ip_hash(remote_addr: str | None) -> str:
    """HMAC-SHA-256 of the address: equal for equal addresses, useless to anyone without the secret key."""
    return keyed_hash("ip", remote_addr or "unknown")


def _serializer() -> URLSafeSerializer:
    # itsdangerous signs with the last key and accepts all; Flask lists fallbacks newest first.
    keys = [*reversed(current_app.config["SECRET_KEY_FALLBACKS"]), current_app.config["SECRET_KEY"]]
    return URLSafeSerializer(keys, salt=_VOTER_SALT)


def new_voter_cookie() -> str:
    return _serializer().dumps(secrets.token_urlsafe(16))


def voter_token(cookie: str | None) -> str | None:
    """The random token inside a voter cookie we signed; None for a missing or forged cookie."""
    if not cookie:
        return None
    try:
        token = _serializer().loads(cookie)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def anonymous_voter(token: str, client_ip_hash: str) -> str:
    """The voter key of a visitor: their cookie and their address together."""
    return "visitor:" + keyed_hash("voter", f"{token}:{client_ip_hash}")[:64]


def user_voter(user_id: int) -> str:
    return f"user:{user_id}"
