"""Fixtures for the security suite: a small alliance with one user per actor, and extra apps."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from config import TestConfig
from inclusion import create_app
from inclusion.api.tokens import IssuedToken, issue_token
from inclusion.auth import tokens
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.extensions import db as _db
from inclusion.imports.services import read_upload_table
from inclusion.imports.uploads import store_upload
from inclusion.learners.merging import merge_learners
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner, Venue
from inclusion.reports.models import Milestone, ReportRun
from inclusion.reports.services import sha256_of
from inclusion.sessions.models import LearningSession
from inclusion.timeutil import today_in_london
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
    target_user: User  # the user the admin pages act on (never one of the actors)
    milestone: Milestone
    report_run: ReportRun
    upload_token: str  # the coordinator's import upload awaiting confirmation
    invitation_token: str
    reset_token: str
    merge_event_id: int
    api_token: IssuedToken  # a feed token, its secret as a BI tool holds it
    month: str = "2026-09"
    regular_session: object = None  # a weekly slot at the champion's venue (inclusion/regular)


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
    target_user = factories.create_user("champion", partner=other_partner)
    invited_user = factories.create_user("champion", partner=partner)
    milestone = _db.session.scalars(_db.select(Milestone).where(Milestone.is_current)).first()
    content = b"month,measure,dimension,category,value\r\n2026-09,adults_helped,total,all,1\r\n"
    report_run = ReportRun(month="2026-09", created_by=users["coordinator"], sha256=sha256_of(content), content=content)
    _db.session.add(report_run)
    _db.session.commit()
    upload_token = store_upload(
        "learners",
        read_upload_table(b"first_name,last_name,partner\nAda,Byron,Reddish Library Partner\n", "learners.csv"),
        "learners.csv",
        users["coordinator"].id,
    )
    with write_transaction():
        invitation_token = tokens.issue_token(_db.session.get(User, invited_user.id), tokens.INVITE)
        reset_token = tokens.issue_token(_db.session.get(User, target_user.id), tokens.RESET)
    duplicate = factories.create_learner("Peggy", "Duplicand", partner=partner)
    merge_event = merge_learners(learner.id, duplicate.id, acting_user_id=users["coordinator"].id)
    world = World(
        partner,
        other_partner,
        venue,
        users,
        learner,
        learning_session,
        target_user=target_user,
        milestone=milestone,
        report_run=report_run,
        upload_token=upload_token,
        invitation_token=invitation_token,
        reset_token=reset_token,
        merge_event_id=merge_event.id,
        api_token=issue_token("Council BI", today_in_london() + timedelta(days=365), acting_user_id=None),
    )
    world.regular_session = factories.create_regular_session(venue, champions=[users["champion"]])
    return world


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
