"""Anonymous users go to the sign-in page; signed-in users without the role get 403."""

import pytest
from flask import Blueprint

from config import TestConfig
from inclusion import create_app
from inclusion.auth.decorators import requires_role
from inclusion.extensions import db
from tests import factories


@pytest.fixture
def guarded_client(app):
    """A second app sharing the test database, with one page only coordinators may see."""
    guarded = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    probe = Blueprint("probe", __name__)

    @probe.get("/probe")
    @requires_role("coordinator", "admin")
    def coordinators_only():
        return "secret figures"

    guarded.register_blueprint(probe)
    with guarded.app_context():
        yield guarded.test_client()
        db.session.remove()


def _sign_in(client, role):
    user = factories.create_user(role=role)
    client.post("/login", data={"email": user.email, "password": factories.DEFAULT_PASSWORD})


def test_an_anonymous_visitor_is_sent_to_sign_in(guarded_client):
    response = guarded_client.get("/probe")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["champion", "funder"])
def test_a_signed_in_user_without_the_role_gets_403(guarded_client, role):
    _sign_in(guarded_client, role)
    response = guarded_client.get("/probe")
    assert response.status_code == 403
    assert "You do not have permission" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_a_user_with_the_role_gets_the_page(guarded_client, role):
    _sign_in(guarded_client, role)
    assert guarded_client.get("/probe").get_data(as_text=True) == "secret figures"


def test_any_page_needs_sign_in_unless_public(client):
    assert client.get("/").status_code == 302
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
