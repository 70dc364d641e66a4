"""Two people lending the same device at once: one loan is made, the other person is told why not.

The service locks the device's row, so a second lender waits for the first and then finds the
device on loan; a writer that skips the lock still meets the partial unique index (one open loan
per device) and its service turns that into the same kind of message. PostgreSQL tests hold the
first writer's transaction open on a second connection, as tests/reports/test_data_version_concurrency.py does.
"""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from inclusion.auth.models import User
from inclusion.devices import services
from inclusion.devices.models import Loan
from inclusion.devices.stock import DeviceError
from inclusion.extensions import db
from tests import factories

WAIT_SECONDS = 5
OPEN_LOAN = (
    "INSERT INTO loans (device_id, learner_id, venue_id, lent_on, due_on, agreement_version, created_at) "
    "VALUES (:device, :learner, :venue, '2026-10-01', '2026-10-29', '2026-12', now())"
)


@pytest.fixture
def on_postgresql(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a writer held open on a second connection needs PostgreSQL: SQLite has one writer at a time")


def _lend_in_a_thread(app, user_id: int, reference: str, asset_tag: str, start: threading.Barrier | None = None):
    """Lend in a thread of its own (its own app context, session and connection); returns it and its outcome."""
    outcome: dict = {}

    def run():
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                if start is not None:
                    start.wait()
                loan = services.lend_device(user, reference, asset_tag, date(2026, 10, 1), None, agreement_signed=True)
                outcome["loan_id"] = loan.id
            except DeviceError as error:
                outcome["error"] = str(error)
            except Exception as error:  # noqa: BLE001  (reported by the test)
                outcome["unexpected"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _open_loans() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Loan.id)).where(Loan.returned_on.is_(None)))


def test_two_people_lending_the_same_device_at_once_make_one_loan_and_one_clear_message(app, library):
    device = factories.create_device(library.venue, asset_tag="RACE-1")
    other = factories.create_learner("Ada", "Byron", partner=library.partner)
    start = threading.Barrier(2)
    runs = [
        _lend_in_a_thread(app, library.champion.id, learner.reference, "RACE-1", start)
        for learner in (library.learner, other)
    ]
    for thread, _ in runs:
        thread.join(30)
    outcomes = [outcome for _, outcome in runs]
    assert not [outcome for outcome in outcomes if "unexpected" in outcome], outcomes
    assert sorted("loan_id" in outcome for outcome in outcomes) == [False, True]
    (refused,) = [outcome["error"] for outcome in outcomes if "error" in outcome]
    assert "RACE-1 is already on loan" in refused or "RACE-1 was lent to someone else a moment ago" in refused
    assert _open_loans() == 1 and device.id


def test_a_second_lender_waits_for_the_first_and_is_told_the_device_is_now_on_loan(app, library, on_postgresql):
    device = factories.create_device(library.venue, asset_tag="RACE-2")
    other = factories.create_learner("Ada", "Byron", partner=library.partner)
    with db.engine.connect() as first:
        first.execute(text(f"SET lock_timeout = '{WAIT_SECONDS}s'"))
        first.execute(text("SELECT id FROM devices WHERE id = :id FOR UPDATE"), {"id": device.id})
        first.execute(text(OPEN_LOAN), {"device": device.id, "learner": other.id, "venue": library.venue.id})
        first.execute(text("UPDATE devices SET status = 'on-loan' WHERE id = :id"), {"id": device.id})
        thread, outcome = _lend_in_a_thread(app, library.champion.id, library.learner.reference, "RACE-2")
        time.sleep(0.5)
        assert thread.is_alive(), f"the second lender did not wait for the first: {outcome}"
        first.commit()
    thread.join(30)
    assert outcome == {"error": "RACE-2 is already on loan (due back 29 October 2026): record its return first"}
    assert _open_loans() == 1


def test_a_writer_that_skips_the_lock_still_meets_the_one_open_loan_index(app, library, on_postgresql):
    device = factories.create_device(library.venue, asset_tag="RACE-3")
    other = factories.create_learner("Ada", "Byron", partner=library.partner)
    with db.engine.connect() as first:
        first.execute(text(OPEN_LOAN), {"device": device.id, "learner": other.id, "venue": library.venue.id})
        thread, outcome = _lend_in_a_thread(app, library.champion.id, library.learner.reference, "RACE-3")
        time.sleep(0.5)
        assert thread.is_alive(), f"the second loan did not wait on the index: {outcome}"
        first.commit()
    thread.join(30)
    assert outcome == {"error": services.ALREADY_LENT.format(tag="RACE-3")}
    assert _open_loans() == 1
    assert db.session.scalar(select(Loan.learner_id).where(Loan.returned_on.is_(None))) == other.id


def test_two_connections_cannot_both_commit_an_open_loan_of_one_device(library, on_postgresql):
    device = factories.create_device(library.venue)
    other = factories.create_learner(partner=library.partner)
    errors: list = []
    engine = db.engine  # the thread has no application context of its own
    first_loan = {"device": device.id, "learner": library.learner.id, "venue": library.venue.id}
    second_loan = {**first_loan, "learner": other.id}
    with engine.connect() as first:
        first.execute(text(OPEN_LOAN), first_loan)

        def second():
            try:
                with engine.begin() as connection:
                    connection.execute(text(f"SET lock_timeout = '{WAIT_SECONDS}s'"))
                    connection.execute(text(OPEN_LOAN), second_loan)
            except Exception as error:  # noqa: BLE001  (reported by the test)
                errors.append(error)

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        first.commit()
        thread.join(30)
    assert len(errors) == 1 and isinstance(errors[0], IntegrityError)
    assert "uq_loans_one_open_per_device" in str(errors[0])
