"""Fixtures for the account tests."""

from __future__ import annotations

import pytest
from flask import Flask


@pytest.fixture(autouse=True)
def _no_response_floor(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The even-timing floor has its own tests (test_enumeration.py, on a controlled clock); here it
    would only make every "forgot" and "register" wait half a second."""
    monkeypatch.setitem(app.config, "AUTH_RESPONSE_FLOOR", 0)
