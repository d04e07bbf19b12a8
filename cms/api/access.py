"""Who may read the Content API: everyone, or holders of a key from ``CMS_CONTENT_API_KEYS``."""

from __future__ import annotations

import hmac

from flask import current_app, request

from cms.errors import Unauthorized


def require_content_key() -> None:
    keys: list[str] = current_app.config["CONTENT_API_KEYS"]
    if not keys:
        return
    given = request.args.get("key") or request.headers.get("X-Content-Key") or ""
    if not any(hmac.compare_digest(given.encode(), key.encode()) for key in keys):
        raise Unauthorized("A valid content API key is required: pass it as ?key= or X-Content-Key.")
