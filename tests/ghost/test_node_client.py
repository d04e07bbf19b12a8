"""Ghost's official JavaScript client (``@tryghost/content-api``) reads the CMS over real HTTP.

Needs Node.js and ``npm ci`` in tests/ghost/node (CI does both). The server is the shared
``live_server`` of tests/conftest.py, on the test database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

from flask import Flask

from cms.db import utcnow
from cms.extensions import db
from tests.factories import make_article, make_author
from tests.needs import need

NODE_DIR = Path(__file__).parent / "node"
NODE = shutil.which("node")


def _seed() -> None:
    lena, sam = make_author(name="Lena Hoffmann"), make_author(name="Sam Okafor")
    now = utcnow()
    make_article(
        title="Chinesische Firma hat vor Exportverbot Nvidia-GPUs gelagert",
        slug="chips",
        markdown="Ein Start-up hat Nvidia-GPUs für 18 Monate gehortet.",
        authors=[lena],
        tags=["KI", "Hardware"],
        featured=True,
        feature_image_url="https://images.example.org/gpu.jpg",
        feature_image_caption="Rechenzentrum",
        published_at=now - timedelta(hours=1),
    )
    make_article(
        title="Headless publishing",
        slug="headless-publishing",
        authors=[sam],
        tags=["Hardware"],
        published_at=now - timedelta(hours=2),
    )
    make_article(
        title="Open-Source-Werkzeuge",
        slug="open-source-werkzeuge",
        authors=[sam],
        tags=["Open Source"],
        published_at=now - timedelta(hours=3),
    )
    db.session.commit()


def test_ghosts_own_client_reads_posts_authors_tags_and_settings(
    app: Flask, live_server: str, content_key: str
) -> None:
    need(NODE is not None, "Node.js")
    need((NODE_DIR / "node_modules" / "@tryghost" / "content-api").is_dir(), "`npm ci` in tests/ghost/node")
    _seed()
    app.config["SITE_TITLE"] = "Testing CMS"
    app.config["PUBLIC_URL"] = live_server
    try:
        result = subprocess.run(
            [str(NODE), "--test", "--test-reporter=tap"],
            cwd=NODE_DIR,
            env={**os.environ, "CMS_URL": live_server, "CMS_CONTENT_KEY": content_key},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        app.config["SITE_TITLE"] = "CMS"
        app.config["PUBLIC_URL"] = "http://cms.test"
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout, result.stdout
