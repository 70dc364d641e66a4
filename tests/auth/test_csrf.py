"""Forms refuse posts without the right CSRF token."""

import re

import pytest

from config import TestConfig
from inclusion import create_app
from inclusion.extensions import db
from tests import factories


@pytest.fixture
def csrf_client(app):
    protected = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True
    )
    with protected.app_context():
        yield protected.test_client()
        db.session.remove()


def _token(client) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]


def test_sign_in_without_a_csrf_token_is_refused(csrf_client):
    factories.create_user(role="champion", email="sam@example.org")
    response = csrf_client.post("/login", data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_sign_in_with_a_wrong_csrf_token_is_refused(csrf_client):
    factories.create_user(role="champion", email="sam@example.org")
    _token(csrf_client)
    response = csrf_client.post(
        "/login", data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_sign_in_with_the_right_csrf_token_works(csrf_client):
    factories.create_user(role="champion", email="sam@example.org")
    response = csrf_client.post(
        "/login",
        data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD, "csrf_token": _token(csrf_client)},
    )
    assert response.status_code == 302


def test_sign_out_without_a_csrf_token_is_refused(csrf_client):
    factories.create_user(role="champion", email="sam@example.org")
    csrf_client.post(
        "/login",
        data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD, "csrf_token": _token(csrf_client)},
    )
    assert csrf_client.post("/logout").status_code == 400
