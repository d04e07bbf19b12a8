"""Debian's chromium driven by Playwright, against the shared ``live_server`` (tests/conftest.py).

The test creates its data in the test database and then acts as a person in the browser would.
Screenshots of each step go to ``$CMS_SCREENSHOT_DIR/<test name>/`` (default ``artifacts/screenshots/``;
CI keeps that folder as an artefact).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.needs import need

CHROMIUM = "/usr/bin/chromium"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

Shot = Callable[[Any, str], Path]


def screenshot_root() -> Path:
    folder = Path(os.environ.get("CMS_SCREENSHOT_DIR") or "artifacts/screenshots")
    return folder if folder.is_absolute() else PROJECT_ROOT / folder


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    need(os.path.exists(CHROMIUM), f"{CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest) -> Path:
    folder = screenshot_root() / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture
def shot(screenshot_dir: Path) -> Shot:
    """``shot(page, "published")`` saves ``NN-published.png``, numbered in the order of the steps."""
    taken: list[Path] = []

    def take(page: Any, name: str) -> Path:
        path = screenshot_dir / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take
