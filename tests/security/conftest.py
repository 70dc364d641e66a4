"""Fixtures for the security suite: a small alliance with one user per actor, and extra apps."""

from dataclasses import dataclass
from datetime import date

import pytest

from config import TestConfig
from inclusion import create_app
from inclusion.auth.models import User
from inclusion.extensions import db as _db
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.models import LearningSession
from tests import factories
from tests.security.support import sign_in


@dataclass
class World:
    partner: Partner
    other_partner: Partner
    venue: Venue
    users: dict[str, User]
    learner: Learner
    learning_session: LearningSession
    month: str = "2026-09"


@pytest.fixture
def world(db) -> World:
    """Partner A (the champion's, with a learner and a session) and partner B (the other champion's)."""
    partner = factories.create_partner("Reddish Library Partner")
    other_partner = factories.create_partner("Marple Partner")
    venue = factories.create_venue("Reddish Library", partner=partner)
    users = {
        "champion": factories.create_user("champion", partner=partner),
        "other_champion": factories.create_user("champion", partner=other_partner),
        "coordinator": factories.create_user("coordinator"),
        "funder": factories.create_user("funder"),
        "admin": factories.create_user("admin"),
    }
    learner = factories.create_learner(
        "Margaret",
        "Quixotewell",
        partner=partner,
        date_of_birth=date(1950, 3, 2),
        postcode="SK4 9ZZ",
        email="m.quixotewell@example.net",
        phone="0161 496 0999",
    )
    learning_session = factories.create_session(
        venue,
        date(2026, 9, 4),
        attendees=[learner],
        skills={learner: ["FND-01"]},
        created_by=users["champion"],
    )
    return World(partner, other_partner, venue, users, learner, learning_session)


@pytest.fixture
def client_as(app, world):
    """A fresh test client signed in as one of the actors ('anonymous' signs in nobody)."""

    def _client_as(actor: str, on_app=None):
        client = (on_app or app).test_client()
        if actor != "anonymous":
            sign_in(client, world.users[actor])
        return client

    return _client_as


@pytest.fixture
def make_app(app):
    """Another app on the same database, with settings changed (e.g. CSRF on, production config)."""

    made = []

    def _make_app(config=None, **overrides):
        other = create_app(
            config or TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **overrides
        )
        other.test_client_class = app.test_client_class
        made.append(other)
        return other

    yield _make_app
    for other in made:
        with other.app_context():
            _db.engine.dispose()
