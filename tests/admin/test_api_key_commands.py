"""Making API keys from the shell."""

from __future__ import annotations

from flask import Flask

from cms.auth.api_keys import ApiKey, authenticate_api_key
from cms.auth.models import Role
from cms.extensions import db
from tests.factories import make_user


def test_the_key_is_the_last_line_and_works(app: Flask):
    user = make_user(role=Role.EDITOR, username="importer")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["api-keys", "create", "--user", "Importer", "--name", "nightly", "--scope", "content:write"]
    )
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    found = authenticate_api_key(key)
    assert found is not None
    assert (found.user_id, found.scopes) == (user.id, "content:write")
    assert key not in {row.key_hash for row in db.session.scalars(db.select(ApiKey))}

    revoked = app.test_cli_runner().invoke(args=["api-keys", "revoke", found.prefix])
    assert revoked.exit_code == 0
    db.session.expire_all()
    assert authenticate_api_key(key) is None


def test_readers_and_unknown_users_get_no_keys(app: Flask):
    make_user(role=Role.READER, username="reader")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["api-keys", "create", "--user", "reader", "--name", "x", "--scope", "content:read"]
    )
    assert result.exit_code != 0
    assert "staff" in result.output
    result = runner.invoke(
        args=["api-keys", "create", "--user", "ghost", "--name", "x", "--scope", "content:read"]
    )
    assert "No user named 'ghost'" in result.output


def test_only_admins_hold_admin_keys(app: Flask):
    make_user(role=Role.EDITOR, username="ed")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["api-keys", "create", "--user", "ed", "--name", "x", "--scope", "admin"]
    )
    assert result.exit_code != 0
    assert "admin" in result.output
