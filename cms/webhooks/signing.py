"""Delivery signatures: ``X-CMS-Signature: sha256=<hex>, t=<unix seconds>``.

The signed string is the timestamp, a full stop, and the raw body bytes: ``f"{t}.".encode() + body``,
keyed with the webhook's secret. Receivers recompute it, compare in constant time, and refuse old
timestamps, so a captured delivery cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

SIGNATURE_HEADER = "X-CMS-Signature"
#: How old a signature ``verify`` accepts by default.
DEFAULT_TOLERANCE_SECONDS = 300
_HEADER = re.compile(r"\s*sha256=([0-9a-f]{64})\s*,\s*t=(\d+)\s*\Z")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    moment = int(time.time()) if timestamp is None else timestamp
    return f"sha256={signature(secret, moment, body)}, t={moment}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: int | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: True when ``header`` signs ``body`` with ``secret`` and is recent enough."""
    match = _HEADER.match(header or "")
    if match is None:
        return False
    digest, timestamp = match.group(1), int(match.group(2))
    current = int(time.time()) if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    return hmac.compare_digest(digest, signature(secret, timestamp, body))
