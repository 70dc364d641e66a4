"""Fixtures of the feed's tests: a token (the secret as a caller holds it) and a client that sends it."""

from datetime import date, timedelta

import pytest

from config import TestConfig
from inclusion import create_app
from inclusion.api import tokens
from inclusion.extensions import db
from inclusion.timeutil import today_in_london


def issue(name: str = "Council Power BI", *, days: int = 30) -> tokens.IssuedToken:
    return tokens.issue_token(name, today_in_london() + timedelta(days=days), acting_user_id=None)


@pytest.fixture
def feed_token() -> str:
    return issue().secret


@pytest.fixture
def feed(client, feed_token):
    """GET under /api/v1 with the token: `feed("/figures?month=2026-10")`."""

    def _get(path: str, **headers):
        return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {feed_token}", **headers})

    return _get


def a_month_with_data() -> date:
    return date(2026, 10, 1)


@pytest.fixture
def make_second_host(app):
    """Another app (a second host) on the same database, with settings changed if asked."""
    made = []

    def _make(**overrides):
        other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **overrides)
        other.test_client_class = app.test_client_class
        made.append(other)
        return other

    yield _make
    for other in made:
        with other.app_context():
            db.engine.dispose()
