"""Twenty champions saving learners and sessions at the same moment: each stored exactly once.

Through the same services the pages use (register_learner, record_session), on whichever
database the suite runs against (SQLite by default, PostgreSQL with TEST_DATABASE_URL).
"""

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.learners.services import LearnerDetails, register_learner
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from inclusion.sessions.services import SessionDetails, record_session
from tests import factories
from tests.robustness.test_concurrency import WORKERS, _run_at_once


def _champions_and_venue():
    partner = factories.create_partner("Brinnington Partner")
    venue = factories.create_venue("Brinnington Library", partner=partner)
    champions = [factories.create_user("champion", partner=partner).id for _ in range(WORKERS)]
    learner_id = factories.create_learner("Edna", "Once", partner=partner).id
    venue_id = venue.id
    db.session.rollback()  # no read transaction left open: the checks afterwards must see the writers' work
    return champions, venue_id, learner_id


def test_twenty_champions_each_registering_a_learner_and_logging_a_session_at_once_store_each_once(app):
    champions, venue_id, _ = _champions_and_venue()

    def register_and_log(number: int) -> None:
        champion = db.session.get(User, champions[number])
        learner = register_learner(
            champion,
            LearnerDetails(
                first_name=f"Learner{number}",
                last_name=f"Concurrent{number}",
                date_of_birth=date(1950, 1, 1 + number),
                lawful_basis="consent",
                consent_given=True,
                consent_method="verbal",
            ),
        )
        details = SessionDetails(
            session_date=date(2026, 9, 1 + number),
            venue_id=venue_id,
            duration_minutes=60,
            attendees=[learner.id],
            skills={learner.id: ["FND-01"]},
        )
        record_session(champion, details, idempotency_key=f"form-{number}")

    assert _run_at_once(app, register_and_log) == []
    db.session.expire_all()
    names = Counter(db.session.scalars(select(Learner.last_name).where(Learner.last_name != "Once")))
    assert names == Counter(f"Concurrent{n}" for n in range(WORKERS))
    assert db.session.scalar(select(func.count(func.distinct(Learner.reference)))) == WORKERS + 1
    keys = Counter(db.session.scalars(select(LearningSession.idempotency_key)))
    assert keys == Counter(f"form-{n}" for n in range(WORKERS))
    attended = db.session.execute(
        select(LearningSession.idempotency_key, Learner.last_name)
        .join(Attendance, Attendance.session_id == LearningSession.id)
        .join(Learner, Learner.id == Attendance.learner_id)
    ).all()
    assert sorted(attended) == sorted((f"form-{n}", f"Concurrent{n}") for n in range(WORKERS))
    assert db.session.scalar(select(func.count(SkillAchievement.id))) == WORKERS


def test_the_same_session_form_submitted_twenty_times_at_once_is_stored_once(app):
    champions, venue_id, learner_id = _champions_and_venue()
    results = []

    def submit(number: int) -> None:
        champion = db.session.get(User, champions[0])  # one champion's tablet, resending one form
        details = SessionDetails(
            session_date=date(2026, 9, 7),
            venue_id=venue_id,
            duration_minutes=45,
            attendees=[learner_id],
            skills={learner_id: ["COM-01"]},
        )
        learning_session, created = record_session(champion, details, idempotency_key="the-one-form")
        results.append((learning_session.id, created))

    assert _run_at_once(app, submit) == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count(LearningSession.id))) == 1
    assert db.session.scalar(select(func.count(Attendance.id))) == 1
    assert db.session.scalar(select(func.count(SkillAchievement.id))) == 1
    assert len(results) == WORKERS and len({session_id for session_id, _ in results}) == 1
    assert [created for _, created in results].count(True) == 1
