"""Report keys stay right when two transactions change the same records at once (PostgreSQL).

Each test holds one transaction open at a chosen point, runs a second in a thread, then commits
the first: the second must wait for it and see its rows, or the keys, first dates and first
flags the triggers keep would be computed without them. SQLite has one writer at a time.
"""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text

from inclusion.extensions import db
from inclusion.learners.merging import merge_learners
from inclusion.sessions.models import LearningSession
from tests import factories
from tests.reports.test_report_keys import _all_right, _first_dates

# How long the first transaction stays open once the second has started: long enough for the
# second to reach the point where it must wait.
HOLD_SECONDS = 0.5


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL: SQLite lets one transaction write at a time")


def _race(first_statements, second, *params):
    """Run `first_statements` in a transaction, `second` in a thread meanwhile, then commit the first."""
    errors = []

    def run_second():
        try:
            second(*params)
        except Exception as error:  # noqa: BLE001  (reported by the test)
            errors.append(error)

    with db.engine.connect() as first:
        for statement, values in first_statements:
            first.execute(text(statement), values)
        thread = threading.Thread(target=run_second)
        thread.start()
        time.sleep(HOLD_SECONDS)
        first.commit()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert errors == []


def _in_own_transaction(*statements):
    engine = db.engine  # the thread has no application context of its own

    def run():
        with engine.begin() as connection:
            for statement, values in statements:
                connection.execute(text(statement), values)

    return run


def _attend(session_id, learner_id):
    return ("INSERT INTO attendances (session_id, learner_id) VALUES (:s, :l)", {"s": session_id, "l": learner_id})


def _achieve(session_id, learner_id, code):
    return (
        "INSERT INTO skill_achievements (session_id, learner_id, skill_id) "
        "VALUES (:s, :l, (SELECT id FROM skills WHERE code = :c))",
        {"s": session_id, "l": learner_id, "c": code},
    )


@pytest.fixture
def new_learner_and_two_sessions(postgresql, db) -> tuple[int, int, int]:
    """(early session id, late session id, learner id): a learner not yet at any session."""
    venue = factories.create_venue()
    ann = factories.create_learner()
    early = factories.create_session(venue, date(2026, 10, 5))
    late = factories.create_session(venue, date(2026, 10, 20))
    ids = early.id, late.id, ann.id
    db.session.remove()
    return ids


def test_two_sessions_logged_at_once_with_a_new_learner_keep_the_earlier_first_date(new_learner_and_two_sessions):
    early_id, late_id, ann_id = new_learner_and_two_sessions
    _race([_attend(early_id, ann_id)], _in_own_transaction(_attend(late_id, ann_id)))

    _all_right()
    assert _first_dates() == {ann_id: date(2026, 10, 5)}


def test_the_same_skill_shown_at_two_sessions_logged_at_once_has_one_first_achievement(new_learner_and_two_sessions):
    early_id, late_id, ann_id = new_learner_and_two_sessions
    # Achievements alone (the attendances' own triggers would make the two take turns anyway).
    _race([_achieve(early_id, ann_id, "FND-01")], _in_own_transaction(_achieve(late_id, ann_id, "FND-01")))

    _all_right()
    firsts = db.session.execute(text("SELECT session_id FROM skill_achievements WHERE is_first")).scalars().all()
    assert firsts == [early_id]


def test_a_session_re_dated_while_an_attendee_is_being_added_carries_its_new_date(postgresql, db):
    venue = factories.create_venue()
    ann, bob = factories.create_learner(), factories.create_learner()
    session = factories.create_session(venue, date(2026, 10, 5), attendees=[ann])
    session_id, bob_id = session.id, bob.id
    db.session.remove()

    _race(
        [_attend(session_id, bob_id)],
        _in_own_transaction(
            ("UPDATE learning_sessions SET session_date = '2026-11-02' WHERE id = :s", {"s": session_id})
        ),
    )

    _all_right()
    assert db.session.get(LearningSession, session_id).session_date == date(2026, 11, 2)


def test_a_merge_while_the_duplicate_is_being_logged_at_a_session_counts_it_as_the_record_kept(postgresql, app, db):
    venue = factories.create_venue()
    keep, duplicate = factories.create_learner(), factories.create_learner()
    session = factories.create_session(venue, date(2026, 10, 5))
    session_id, keep_id, duplicate_id = session.id, keep.id, duplicate.id
    db.session.remove()

    def merge():
        with app.app_context():
            merge_learners(keep_id, duplicate_id, acting_user_id=None)
            db.session.remove()

    _race([_attend(session_id, duplicate_id)], merge)

    _all_right()
    assert _first_dates() == {keep_id: date(2026, 10, 5)}
