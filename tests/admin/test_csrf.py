"""Admin forms refuse a post without the form's CSRF token (the test config turns CSRF off)."""

from inclusion.auth.models import User
from inclusion.extensions import db
from tests import factories


def test_deactivating_a_user_without_the_csrf_token_is_refused(app, client, login_as, monkeypatch):
    login_as("admin")
    target = factories.create_user("coordinator")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    response = client.post(f"/admin/users/{target.id}/deactivate")

    assert response.status_code == 400
    assert db.session.get(User, target.id).active
