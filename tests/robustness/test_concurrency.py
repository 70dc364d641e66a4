"""Twenty people saving at the same moment: every submission is stored exactly once, none fails.

Runs against whichever database the suite uses (a SQLite file by default, PostgreSQL when
TEST_DATABASE_URL is set); CI runs both. On SQLite it proves write_transaction's BEGIN IMMEDIATE:
writers queue for the lock instead of failing with "database is locked".
"""

import threading
from collections import Counter

from sqlalchemy import func, select

from inclusion.auth.models import User
from inclusion.auth.services import create_user
from inclusion.extensions import db
from inclusion.partners.models import Partner, Venue
from inclusion.partners.services import add_partner, add_venue

WORKERS = 20


def _run_at_once(app, job) -> list[BaseException]:
    """Run job(n) for n in 0..19 on 20 threads released together; returns what they raised."""
    barrier = threading.Barrier(WORKERS)
    failures: list[BaseException] = []

    def worker(number: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                job(number)
            except BaseException as error:  # noqa: BLE001  (every failure is reported by the test)
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return failures


def test_twenty_partners_each_with_a_venue_and_a_champion_added_at_once_are_all_stored_once(app):
    def register(number: int) -> None:
        add_partner(f"Partner {number}")
        add_venue(f"Venue {number}", f"Partner {number}", ward="Central")
        create_user(
            f"champion{number}@example.org",
            f"Champion {number}",
            "champion",
            partner_name=f"Partner {number}",
        )

    assert _run_at_once(app, register) == []
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Partner.name))) == sorted(f"Partner {n}" for n in range(WORKERS))
    venues = db.session.execute(select(Venue.name, Partner.name).join(Venue.partner)).all()
    assert sorted(venues) == sorted((f"Venue {n}", f"Partner {n}") for n in range(WORKERS))
    users = db.session.execute(select(User.email, Partner.name).join(User.partner)).all()
    assert sorted(users) == sorted((f"champion{n}@example.org", f"Partner {n}") for n in range(WORKERS))


def test_twenty_venues_added_to_one_partner_at_once_are_all_stored_once(app):
    add_partner("Stockport Libraries")
    assert _run_at_once(app, lambda n: add_venue(f"Library {n}", "Stockport Libraries")) == []
    db.session.expire_all()
    names = Counter(db.session.scalars(select(Venue.name)))
    assert names == Counter(f"Library {n}" for n in range(WORKERS))


def test_twenty_users_with_passwords_added_at_once_can_all_be_found(app):
    def add(number: int) -> None:
        create_user(f"Funder{number}@Example.org", f"Funder {number}", "funder", password="long enough password")

    assert _run_at_once(app, add) == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id)).where(User.role == "funder")) == WORKERS
    assert db.session.scalar(select(func.count(func.distinct(User.email)))) == WORKERS
