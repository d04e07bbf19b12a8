"""A headless CMS: ``create_app()`` builds the Flask application."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from cms import extensions
from cms.config import load_config
from cms.errors import register_error_handlers
from cms.sessions import PublicAwareSessionInterface

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("CMS_INSTANCE_PATH") or os.path.join(PROJECT_ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(PROJECT_ROOT, "templates"),
        static_folder=os.path.join(PROJECT_ROOT, "static"),
    )
    load_config(app, config)
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Client IPs (rate limits, comment IP hashes) and the scheme come from the proxies' headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.session_interface = PublicAwareSessionInterface()
    _init_extensions(app)
    _register_blueprints(app)
    register_error_handlers(app)

    from cms.cli import register_commands

    register_commands(app)
    from cms.api.cache_front import init_cache_front

    init_cache_front(app)
    return app


def _init_extensions(app: Flask) -> None:
    # ``extensions.db`` is reached through its module: a name ``db`` in this package would shadow
    # the ``cms.db`` module that migrations import.
    from cms.content.search import alembic_include_object

    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app,
        extensions.db,
        directory=os.path.join(PROJECT_ROOT, "migrations"),
        compare_type=True,
        render_as_batch=True,
        include_object=alembic_include_object,
    )
    extensions.login_manager.init_app(app)
    extensions.mail.init_app(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    from cms.content.read_connection import init_read_connection

    init_read_connection(app)
    # Import the models so that every table is known to the metadata, migrations included.
    from cms import models  # noqa: F401
    from cms.auth import loaders  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from cms.admin import admin
    from cms.api import api
    from cms.api.cors import init_cors
    from cms.auth.views import auth
    from cms.public import public

    # The JSON API takes no form posts: bodies must be application/json (which a cross-site form cannot
    # send), and requests authenticated by the session cookie carry X-CSRF-Token, checked in cms/api.
    extensions.csrf.exempt(api)
    app.register_blueprint(api)
    app.register_blueprint(public)
    app.register_blueprint(admin)
    app.register_blueprint(auth)
    init_cors(app)
    from cms.ghost import init_ghost

    init_ghost(app)
    from cms.bench_ceiling import init_bench_ceiling

    init_bench_ceiling(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL lets readers and a writer work at once; SQLite enforces foreign keys only when asked."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
