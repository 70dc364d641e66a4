"""Writers do not queue on the data version, and the figure cache still never serves old figures (PostgreSQL).

Every write transaction changes the data version (inclusion/reports/triggers.py). With one
version row, a second writer waited for the first to commit; now it sets a row the first does
not hold. These tests hold the first writer's transaction open and check that the second
commits meanwhile, and that a reader's cached figures follow each commit in turn.
"""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, insert, select, text

from inclusion.extensions import db
from inclusion.reports import cache, metrics
from inclusion.reports.models import DataVersion
from inclusion.reports.periods import Period
from tests import factories

OCTOBER = Period.month(date(2026, 10, 1))
# Far longer than one attendance insert takes: a second writer still running by then is waiting.
WAIT_SECONDS = 5


@pytest.fixture
def cached_on_postgresql(app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL: SQLite lets one transaction write at a time")
    app.config["REPORT_FIGURE_CACHE"] = True
    cache.clear()
    with db.engine.begin() as connection:
        connection.execute(DataVersion.__table__.delete())
        connection.execute(insert(DataVersion).values(id=1, version=time.time_ns()))
    yield
    app.config["REPORT_FIGURE_CACHE"] = False
    cache.clear()


ATTEND = "INSERT INTO attendances (session_id, learner_id) VALUES (:s, :l)"
# A writer that would wait (as on the one-row data version) fails after this instead of hanging the test.
NO_LONG_WAITS = f"SET lock_timeout = '{WAIT_SECONDS}s'"


def _attend_in_a_thread(session_id: int, learner_id: int) -> tuple[threading.Thread, list]:
    """Start a transaction in a thread that adds one attendance and commits; returns it and its errors."""
    engine = db.engine  # the thread has no application context of its own
    errors: list = []

    def run():
        try:
            with engine.begin() as connection:
                connection.execute(text(NO_LONG_WAITS))
                connection.execute(text(ATTEND), {"s": session_id, "l": learner_id})
        except Exception as error:  # noqa: BLE001  (reported by the test)
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _adults_helped_as_a_new_request() -> int:
    db.session.rollback()
    return metrics.adults_helped(OCTOBER)


@pytest.fixture
def session_and_three_learners(cached_on_postgresql, db) -> tuple[int, list[int]]:
    venue = factories.create_venue()
    session = factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])
    learners = [factories.create_learner().id for _ in range(3)]
    return session.id, learners


def test_a_second_writer_commits_while_the_first_holds_its_transaction_open(session_and_three_learners):
    session_id, (first_learner, second_learner, _) = session_and_three_learners

    with db.engine.connect() as first:
        first.execute(text(ATTEND), {"s": session_id, "l": first_learner})
        thread, errors = _attend_in_a_thread(session_id, second_learner)
        thread.join(timeout=WAIT_SECONDS)
        second_finished_while_first_open = not thread.is_alive()
        first.commit()
    thread.join(timeout=30)

    assert errors == []
    assert second_finished_while_first_open
    # Each writer set its own row of the data version.
    assert db.session.scalar(select(func.count()).select_from(DataVersion)) == 2


def test_a_reader_sees_each_writers_commit_whatever_order_they_commit_in(session_and_three_learners):
    session_id, (first_learner, second_learner, third_learner) = session_and_three_learners
    assert _adults_helped_as_a_new_request() == 1

    with db.engine.connect() as first:
        # The first writer takes its version row before the second, and commits after it.
        first.execute(text(ATTEND), {"s": session_id, "l": first_learner})
        assert _adults_helped_as_a_new_request() == 1
        thread, errors = _attend_in_a_thread(session_id, second_learner)
        thread.join(timeout=WAIT_SECONDS)
        assert errors == []
        assert not thread.is_alive()
        assert _adults_helped_as_a_new_request() == 2  # the second writer's commit, not the first's work
        first.commit()

    assert _adults_helped_as_a_new_request() == 3
    assert _adults_helped_as_a_new_request() == 3  # served from the cache now, under the new version
    db.session.execute(text(ATTEND), {"s": session_id, "l": third_learner})
    db.session.commit()
    assert _adults_helped_as_a_new_request() == 4


def test_a_write_while_every_version_row_is_held_adds_a_row_rather_than_waiting(session_and_three_learners):
    session_id, learners = session_and_three_learners

    with db.engine.connect() as first, db.engine.connect() as second:
        first.execute(text(ATTEND), {"s": session_id, "l": learners[0]})
        second.execute(text(NO_LONG_WAITS))
        second.execute(text(ATTEND), {"s": session_id, "l": learners[1]})
        thread, errors = _attend_in_a_thread(session_id, learners[2])
        thread.join(timeout=WAIT_SECONDS)
        third_finished = not thread.is_alive()
        first.commit()
        second.commit()
    thread.join(timeout=30)

    assert errors == []
    assert third_finished
    assert _adults_helped_as_a_new_request() == 4
