"""The database itself refuses records that make no sense."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from tests import factories


def _rejected(*objects):
    db.session.add_all(objects)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_learner_attends_a_session_only_once():
    learner = factories.create_learner()
    learning_session = factories.create_session(attendees=[learner])
    _rejected(Attendance(session_id=learning_session.id, learner_id=learner.id))


def test_a_learner_gains_a_skill_only_once_per_session():
    learner = factories.create_learner()
    learning_session = factories.create_session(attendees=[learner], skills={learner: ["FND-01"]})
    skill = factories.skill("FND-01")
    _rejected(SkillAchievement(session_id=learning_session.id, learner_id=learner.id, skill_id=skill.id))


@pytest.mark.parametrize("minutes", [0, 601, -5])
def test_a_session_lasts_between_1_and_600_minutes(minutes):
    venue = factories.create_venue()
    _rejected(LearningSession(venue_id=venue.id, session_date=date(2026, 9, 1), duration_minutes=minutes))


@pytest.mark.parametrize("minutes", [1, 600])
def test_durations_at_the_limits_are_accepted(minutes):
    venue = factories.create_venue()
    db.session.add(LearningSession(venue_id=venue.id, session_date=date(2026, 9, 1), duration_minutes=minutes))
    db.session.flush()


def test_a_session_type_must_be_one_of_the_four():
    venue = factories.create_venue()
    _rejected(
        LearningSession(venue_id=venue.id, session_date=date(2026, 9, 1), duration_minutes=60, session_type="lecture")
    )


def test_unregistered_attendees_cannot_be_negative():
    venue = factories.create_venue()
    _rejected(
        LearningSession(
            venue_id=venue.id, session_date=date(2026, 9, 1), duration_minutes=60, unregistered_attendees=-1
        )
    )


def test_a_session_needs_a_venue_that_exists():
    _rejected(LearningSession(venue_id=9999, session_date=date(2026, 9, 1), duration_minutes=60))


def _learner(**overrides):
    partner = factories.create_partner()
    fields = dict(
        reference="L-ABCDE",
        first_name="A",
        last_name="B",
        search_name="a b",
        age_band="unknown",
        lawful_basis="public-task",
        registered_on=date(2026, 9, 1),
        registered_partner_id=partner.id,
    )
    fields.update(overrides)
    return Learner(**fields)


def test_a_learner_age_band_must_be_a_known_band():
    _rejected(_learner(age_band="16-17"))


def test_a_learner_held_on_consent_must_have_the_consent_recorded():
    _rejected(_learner(lawful_basis="consent"))


def test_a_lawful_basis_must_be_a_known_one():
    _rejected(_learner(lawful_basis="because"))


def test_learner_references_are_unique():
    factories.create_learner(reference="L-ABCDE")
    _rejected(_learner(reference="L-ABCDE"))


def test_a_learner_needs_a_first_name():
    _rejected(_learner(first_name=None))


def test_a_user_role_must_be_known():
    _rejected(User(email="x@example.org", name="X", role="superuser"))


def test_user_emails_are_stored_in_lower_case_and_unique():
    factories.create_user(role="admin", email="a@example.org")
    _rejected(User(email="A@example.org", name="X", role="admin"))
    _rejected(User(email="a@example.org", name="Y", role="admin"))


def test_venue_names_are_unique():
    factories.create_venue(name="Central Library")
    partner = factories.create_partner()
    from inclusion.partners.models import Venue

    _rejected(Venue(name="Central Library", partner_id=partner.id))
