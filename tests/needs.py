"""Tests that need something pip cannot install (a browser, Node.js, a server) skip without it on a
developer's machine, and fail without it in CI (``CI`` set), where everything must run."""

from __future__ import annotations

import os

import pytest


def need(available: bool, what: str) -> None:
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing, and CI runs every test")
    pytest.skip(f"{what} is not available on this machine")
