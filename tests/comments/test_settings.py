"""Comment settings that cannot work stop the app at start-up instead of misbehaving later."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms import create_app
from cms.config import ConfigError


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CMS_SQLALCHEMY_DATABASE_URI", "sqlite://")
    monkeypatch.setenv("CMS_SECRET_KEY", "k" * 40)


@pytest.mark.parametrize("mode", ["all", "first", "none"])
def test_each_moderation_mode_is_read_from_the_environment(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMS_COMMENTS_MODERATION", mode)

    assert create_app().config["COMMENTS_MODERATION"] == mode


def test_an_unknown_moderation_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMS_COMMENTS_MODERATION", "sometimes")

    with pytest.raises(ConfigError, match="CMS_COMMENTS_MODERATION must be all, first or none"):
        create_app()


@pytest.mark.parametrize("depth", ["0", "-2", '"deep"', "2.5", "true"])
def test_the_maximum_depth_must_be_a_positive_whole_number(
    depth: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMS_COMMENTS_MAX_DEPTH", depth)

    with pytest.raises(ConfigError, match="CMS_COMMENTS_MAX_DEPTH"):
        create_app()


def test_the_maximum_depth_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMS_COMMENTS_MAX_DEPTH", "3")

    assert create_app().config["COMMENTS_MAX_DEPTH"] == 3
