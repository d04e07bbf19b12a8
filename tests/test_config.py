"""Configuration comes from CMS_* variables and refuses to start when it cannot be safe."""

from pathlib import Path

import pytest
from flask import request

from cms import create_app
from cms.config import ConfigError

GOOD_KEY = "k" * 40


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CMS_SQLALCHEMY_DATABASE_URI", "sqlite://")
    return tmp_path


def test_every_key_can_come_from_a_prefixed_variable(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMS_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("CMS_MAIL_PORT", "2525")
    monkeypatch.setenv("CMS_API_CACHE_SECONDS", "120")
    monkeypatch.setenv("CMS_CONTENT_API_KEYS", "one, two")
    monkeypatch.setenv("CMS_PUBLIC_URL", "https://news.example/")
    app = create_app()
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["API_CACHE_SECONDS"] == 120
    assert app.config["CONTENT_API_KEYS"] == ["one", "two"]
    assert app.config["PUBLIC_URL"] == "https://news.example"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"


def test_defaults_match_the_readme(instance: Path) -> None:
    app = create_app()
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert app.config["CORS_ORIGINS"] == ["*"]
    assert app.config["API_CACHE_SECONDS"] == 60
    assert app.config["CONTENT_API_KEYS"] == []
    assert app.config["DEFAULT_LANGUAGE"] == "en"
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_development_generates_a_secret_key_once_and_keeps_it(instance: Path) -> None:
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (instance / "secret_key").read_text().strip() == first


def test_production_refuses_to_start_without_a_secret_key(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMS_ENV", "production")
    with pytest.raises(ConfigError, match="CMS_SECRET_KEY"):
        create_app()
    assert not (instance / "secret_key").exists()


def test_short_secret_keys_and_non_list_fallbacks_are_refused(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMS_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="32 bytes"):
        create_app()
    monkeypatch.setenv("CMS_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("CMS_SECRET_KEY_FALLBACKS", '"old-key"')
    with pytest.raises(ConfigError, match="list"):
        create_app()


def test_trusted_hosts_come_from_the_public_url(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMS_ENV", "production")
    monkeypatch.setenv("CMS_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("CMS_PUBLIC_URL", "https://news.example")
    app = create_app()
    assert app.config["TRUSTED_HOSTS"] == ["news.example"]
    assert app.test_client().get("/", headers={"Host": "evil.example"}).status_code == 400


def _client_ip_seen_by(app_config: dict[str, object], forwarded_for: str) -> str:
    app = create_app(app_config)
    app.add_url_rule("/_ip", "client_ip", lambda: request.remote_addr or "")
    response = app.test_client().get(
        "/_ip", headers={"X-Forwarded-For": forwarded_for}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    )
    return response.get_data(as_text=True)


def test_forwarded_client_addresses_count_only_behind_a_trusted_proxy(instance: Path) -> None:
    # Rate limits and comment IP hashes key on this address: a forged header must not change it.
    assert _client_ip_seen_by({}, "203.0.113.9") == "10.0.0.2"
    assert _client_ip_seen_by({"TRUSTED_PROXIES": 1}, "203.0.113.9") == "203.0.113.9"
    assert _client_ip_seen_by({"TRUSTED_PROXIES": 1}, "198.51.100.1, 203.0.113.9") == "203.0.113.9"
