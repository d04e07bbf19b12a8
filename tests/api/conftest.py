"""Fixtures shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from cms.api.response_cache import response_store


@pytest.fixture
def cache_config(app: Flask) -> Iterator[dict[str, object]]:
    """Change cache settings for one test; the previous ones (and their store) come back after."""
    keys = ("API_CACHE", "CACHE_REDIS_URL", "CACHE_REDIS_PREFIX")
    saved = {key: app.config[key] for key in keys}
    yield app.config
    response_store(app).clear()
    app.config.update(saved)
