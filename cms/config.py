"""Configuration: defaults here, overrides from ``CMS_*`` environment variables, checks at start-up."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

MIN_SECRET_KEY_BYTES = 32

#: Every key the CMS reads, with its default. Flask and extension keys (``MAIL_*``, ``SQLALCHEMY_*``)
#: take the same ``CMS_`` prefix in the environment.
DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "ARTICLE_URL_TEMPLATE": "{public_url}/{slug}/",
    "CORS_ORIGINS": "*",
    "API_CACHE_SECONDS": 60,
    "API_CACHE": "on",
    "CONTENT_API_KEYS": [],
    "DEFAULT_LANGUAGE": "en",
    "SQLALCHEMY_DATABASE_URI": "sqlite:///cms.sqlite3",
    "SECRET_KEY_FALLBACKS": [],
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "JSON_SORT_KEYS": False,
    # Accounts
    "PASSWORD_RESET_MAX_AGE": 3600,
    "EMAIL_CONFIRM_MAX_AGE": 86400,
    "INVITE_MAX_AGE": 7 * 86400,
    "PASSWORD_MIN_LENGTH": 12,
    "PASSWORD_RESET_URL": None,
    "EMAIL_CONFIRM_URL": None,
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
    "TRUSTED_PROXIES": 0,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "REMEMBER_COOKIE_DAYS": 30,
    # Flask-Limiter syntax; "per account" keys on the login, email or token's account.
    "RATELIMIT_AUTH_PER_IP": "20 per minute; 200 per hour",
    "RATELIMIT_AUTH_PER_ACCOUNT": "15 per 15 minutes",
    # Requests that send mail to an account (forgot, register with a taken address).
    "RATELIMIT_MAIL_PER_ACCOUNT": "3 per 15 minutes",
    "LOCKOUT_AFTER_FAILURES": 10,
    "LOCKOUT_MINUTES": 15,
    # Seconds "forgot password" and "register" take at least, so their timing cannot tell whether an
    # account exists (see cms/auth/timing.py); keep it above what the mail server takes.
    "AUTH_RESPONSE_FLOOR": 0.5,
    # Mail: with no MAIL_SERVER, messages are written to the log instead of sent.
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "CMS <no-reply@localhost>",
    # Seconds an SMTP connect, read or write may take before the message is left for a retry.
    "MAIL_TIMEOUT": 10,
    # Outbox: messages sent per run, and tries before a message is left alone for good.
    "MAIL_BATCH_SIZE": 50,
    "MAIL_MAX_ATTEMPTS": 12,
    # Webhooks: seconds to wait for a receiver, retries after the first try, deliveries sent per run.
    "WEBHOOK_TIMEOUT": 5,
    "WEBHOOK_MAX_RETRIES": 5,
    "WEBHOOK_BATCH_SIZE": 50,
    # Staff and previews
    "PREVIEW_MAX_AGE": 3600,
    # Where a preview link points: a frontend page, or (the default) the API read of the draft.
    "PREVIEW_URL_TEMPLATE": "{public_url}/api/v1/articles/{id}?preview={token}",
    # Comments
    "COMMENTS_MODERATION": "first",
    "COMMENTS_MAX_DEPTH": 5,
    "COMMENTS_BLOCKLIST": [],
    # Flask-Limiter strings: new comments per client IP and per commenter email, votes per client IP.
    "COMMENTS_RATE_LIMIT": "5 per minute;50 per day",
    "COMMENTS_EMAIL_RATE_LIMIT": "3 per minute;20 per day",
    "COMMENTS_VOTE_RATE_LIMIT": "30 per minute;500 per day",
    # Caching (cms/api/response_cache.py): public Content API responses, per worker unless
    # CACHE_REDIS_URL names a Redis shared by all. API_CACHE="off" disables it.
    "CACHE_REDIS_URL": None,
    "CACHE_REDIS_PREFIX": "cms:response:",
    "CACHE_REDIS_TTL": 600,
    "API_CACHE_MAX_BYTES": 32 * 1024 * 1024,
    # Ghost-compatible Content API: site settings and the URLs Ghost frontends link to.
    "SITE_TITLE": "CMS",
    "SITE_DESCRIPTION": "",
    "GHOST_AUTHOR_URL_TEMPLATE": "{public_url}/author/{slug}/",
    "GHOST_TAG_URL_TEMPLATE": "{public_url}/tag/{slug}/",
    # Benchmark only (bench/): bytes the /bench/ceiling route answers; unset, the route does not exist.
    "BENCH_CEILING_BYTES": None,
}


class ConfigError(RuntimeError):
    """The configuration cannot work; raised at start-up, before any request is served."""


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("CMS")
    if overrides:
        app.config.update(overrides)
    _normalise_lists(app)
    if not app.config.get("SECRET_KEY"):
        if app.config["ENV"] == "production":
            raise ConfigError("CMS_SECRET_KEY must be set when CMS_ENV=production.")
        app.config["SECRET_KEY"] = _development_secret_key(Path(app.instance_path))
    _check_secrets(app)
    _check_comment_settings(app)
    _derive_from_public_url(app)
    _engine_options(app)


def _engine_options(app: Flask) -> None:
    """A database server may have restarted since a pooled connection was last used, so each one is
    pinged as it leaves the pool; a SQLite file cannot go away underneath, so its connections are not."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _normalise_lists(app: Flask) -> None:
    """Accept JSON lists or comma-separated strings for list-valued keys."""
    for key in ("CONTENT_API_KEYS", "COMMENTS_BLOCKLIST"):
        value = app.config[key]
        if isinstance(value, str):
            app.config[key] = [part.strip() for part in value.split(",") if part.strip()]
    origins = app.config["CORS_ORIGINS"]
    if isinstance(origins, str):
        app.config["CORS_ORIGINS"] = [part.strip() for part in origins.split(",") if part.strip()]


def _development_secret_key(instance: Path) -> str:
    """Generate a key once per checkout so sessions survive restarts during development."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _check_comment_settings(app: Flask) -> None:
    mode = app.config["COMMENTS_MODERATION"]
    if mode not in ("all", "first", "none"):
        raise ConfigError(f"CMS_COMMENTS_MODERATION must be all, first or none, not {mode!r}.")
    depth = app.config["COMMENTS_MAX_DEPTH"]
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
        raise ConfigError(f"CMS_COMMENTS_MAX_DEPTH must be a whole number of at least 1, not {depth!r}.")


def _check_secrets(app: Flask) -> None:
    key = app.config["SECRET_KEY"]
    if len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(f"CMS_SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes long.")
    fallbacks = app.config["SECRET_KEY_FALLBACKS"]
    if not isinstance(fallbacks, list):
        raise ConfigError('CMS_SECRET_KEY_FALLBACKS must be a JSON list, e.g. ["old-key"].')


def _derive_from_public_url(app: Flask) -> None:
    public_url = app.config["PUBLIC_URL"].rstrip("/")
    parts = urlsplit(public_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError("CMS_PUBLIC_URL must be an absolute http(s) URL.")
    app.config["PUBLIC_URL"] = public_url
    app.config.setdefault("PREFERRED_URL_SCHEME", parts.scheme)
    if app.config.get("TRUSTED_HOSTS") is None:
        hosts = [parts.hostname]
        if app.config["ENV"] != "production":
            hosts += ["localhost", "127.0.0.1", "[::1]"]
        app.config["TRUSTED_HOSTS"] = hosts
    secure = parts.scheme == "https"
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
    )
    if secure:
        # The __Host- prefix pins the cookie to this exact host, over HTTPS, for every path.
        app.config.update(
            SESSION_COOKIE_NAME="__Host-session",
            REMEMBER_COOKIE_NAME="__Host-remember_token",
            SESSION_COOKIE_PATH="/",
            REMEMBER_COOKIE_PATH="/",
            SESSION_COOKIE_DOMAIN=None,
        )
