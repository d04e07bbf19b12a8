"""Who may read the Content API: everyone, or holders of a key from ``CMS_CONTENT_API_KEYS``."""

from __future__ import annotations

import hmac
from typing import Any

from flask import current_app, request
from werkzeug.wrappers import Request

from cms.errors import Unauthorized


def holds_content_key(incoming: Request, config: dict[str, Any]) -> bool:
    """True when no keys are configured, or ``?key=`` or ``X-Content-Key`` carries one of them."""
    keys: list[str] = config["CONTENT_API_KEYS"]
    if not keys:
        return True
    given = incoming.args.get("key") or incoming.headers.get("X-Content-Key") or ""
    return any(hmac.compare_digest(given.encode(), key.encode()) for key in keys)


def require_content_key() -> None:
    if not holds_content_key(request, current_app.config):
        raise Unauthorized("A valid content API key is required: pass it as ?key= or X-Content-Key.")
