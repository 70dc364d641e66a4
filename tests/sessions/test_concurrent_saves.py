"""Two writers touching the same learners at once take turns, never deadlock (PostgreSQL).

The full-scale load test found saves answering 500 with `DeadlockDetected`: a session's save is
several statements, each of whose report-key triggers locks its own subset of learners, so two
saves could each hold a learner the other waited for. The save now locks them all first, in id
order (inclusion/sessions/locking.py). SQLite has one writer at a time.
"""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.sessions import services
from inclusion.sessions.models import LearningSession
from tests import factories
from tests.reports.test_report_keys import _all_right
from tests.reports.test_report_keys_concurrency import _attend

HOLD_SECONDS = 0.5  # long enough for the edit in the thread to reach the learner the other holds


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL: SQLite lets one transaction write at a time")


def _statement(sql_and_values):
    sql, values = sql_and_values
    return text(sql), values


def test_an_edit_that_swaps_attendees_while_another_writer_adds_them_waits_instead_of_deadlocking(postgresql, app, db):
    venue = factories.create_venue()
    ann, bob = factories.create_learner(), factories.create_learner()
    assert ann.id < bob.id
    coordinator = factories.create_user("coordinator")
    edited = factories.create_session(venue, date(2026, 10, 5), attendees=[bob], skills={bob: ["FND-01"]})
    other = factories.create_session(venue, date(2026, 10, 6))
    venue_id, ann_id, bob_id, coordinator_id = venue.id, ann.id, bob.id, coordinator.id
    edited_id, other_id = edited.id, other.id
    db.session.remove()
    errors = []

    def edit_bob_out_and_ann_in():
        with app.app_context():
            try:
                user = db.session.get(User, coordinator_id)
                learning_session = db.session.get(LearningSession, edited_id)
                details = services.SessionDetails(
                    session_date=date(2026, 10, 5), venue_id=venue_id, duration_minutes=60, attendees=[ann_id]
                )
                services.update_session(user, learning_session, details)
            except Exception as error:  # noqa: BLE001  (reported by the test)
                errors.append(error)
            finally:
                db.session.remove()

    with db.engine.connect() as first:
        first.execute(*_statement(_attend(other_id, ann_id)))  # its trigger holds Ann until this commits
        thread = threading.Thread(target=edit_bob_out_and_ann_in)
        thread.start()
        time.sleep(HOLD_SECONDS)
        # Before the fix the edit held Bob here (its deletion's trigger) while waiting for Ann.
        first.execute(*_statement(_attend(other_id, bob_id)))
        first.commit()
    thread.join(timeout=30)

    assert not thread.is_alive()
    assert errors == []
    _all_right()
    attendees = db.session.execute(
        text("SELECT session_id, learner_id FROM attendances ORDER BY session_id, learner_id")
    ).all()
    assert attendees == [(edited_id, ann_id), (other_id, ann_id), (other_id, bob_id)]
