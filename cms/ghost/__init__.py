"""A Ghost-compatible Content API under /ghost/api/content/, so Ghost frontends can read this CMS.

It answers ``@tryghost/content-api`` and plain HTTP clients alike, over the same visibility rules and
queries as /api/v1. Older clients that put the version in the path (``/ghost/api/v4/content/``) are
served too.
"""

from __future__ import annotations

from flask import Blueprint, Flask

ghost = Blueprint("ghost", __name__, url_prefix="/ghost/api/content")

from cms.ghost import views  # noqa: E402

#: Path versions used by clients configured with ``version: "v2"`` to ``"v4"`` or ``"canary"``.
LEGACY_VERSIONS = ("v2", "v3", "v4", "canary")


def init_ghost(app: Flask) -> None:
    app.register_blueprint(ghost)
    app.register_blueprint(
        ghost,
        name="ghost_versioned",
        url_prefix=f"/ghost/api/<any({', '.join(LEGACY_VERSIONS)}):api_version>/content",
    )


__all__ = ["LEGACY_VERSIONS", "ghost", "init_ghost", "views"]
