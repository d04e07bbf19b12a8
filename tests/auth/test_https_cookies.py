"""Behind https, the session and remember-me cookies are Secure, host-only and __Host- prefixed."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from cms import create_app
from cms.extensions import db
from tests.conftest import TEST_SECRET
from tests.factories import DEFAULT_PASSWORD, make_user


def _https_app(tmp_path: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'https.sqlite3'}",
            "PUBLIC_URL": "https://news.example",
        }
    )


def test_signing_in_over_https_sets_host_only_secure_cookies(tmp_path: Path) -> None:
    app = _https_app(tmp_path)
    with app.app_context():
        db.create_all()
        user = make_user()
        db.session.commit()
        client = app.test_client()
        answer = client.post(
            "/api/v1/auth/login",
            json={"login": user.username, "password": DEFAULT_PASSWORD, "remember": True},
            base_url="https://news.example",
        )
        assert answer.status_code == 200
        cookies = {header.split("=", 1)[0]: header for header in answer.headers.getlist("Set-Cookie")}
        assert set(cookies) == {"__Host-session", "__Host-remember_token"}
        for header in cookies.values():
            attributes = [part.strip() for part in header.split(";")[1:]]
            assert "Secure" in attributes and "HttpOnly" in attributes and "Path=/" in attributes, header
            assert "SameSite=Lax" in attributes, header
            assert not any(part.lower().startswith("domain=") for part in attributes), header
        # The cookie signs the same browser in on the next request.
        assert client.get("/api/v1/auth/me", base_url="https://news.example").status_code == 200
        # Another host name is not trusted at all.
        assert app.test_client().get("/api/v1/auth/me", base_url="https://evil.example").status_code == 400
        db.session.remove()
        db.engine.dispose()
