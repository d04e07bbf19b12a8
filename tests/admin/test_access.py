"""Who gets into the staff area."""

from __future__ import annotations

from cms.auth.models import Role
from cms.extensions import db
from tests.admin.conftest import sign_in
from tests.factories import make_user


def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fadmin%2F"


def test_readers_are_refused(client):
    reader = make_user(role=Role.READER)
    db.session.commit()
    response = sign_in(client, reader).get("/admin/")
    assert response.status_code == 403


def test_every_staff_role_sees_the_dashboard(app):
    for role in (Role.ADMIN, Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR):
        user = make_user(role=role)
        db.session.commit()
        response = sign_in(app.test_client(), user).get("/admin/")
        assert response.status_code == 200, role
        assert user.username in response.get_data(as_text=True)
