"""SQLite as the embedded default: foreign keys, WAL, busy timeout, write lock taken up front."""

import threading

import pytest
from sqlalchemy import event, func, select, text

from inclusion.extensions import db
from inclusion.partners import services
from inclusion.partners.models import Partner


@pytest.fixture
def statements():
    """The SQL statements sent to the database during the test."""
    sent = []

    def capture(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    yield sent
    event.remove(db.engine, "before_cursor_execute", capture)


def _sqlite_only():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite connection settings; this run uses " + db.engine.dialect.name)


def test_sqlite_connections_enforce_foreign_keys_and_wait_when_busy():
    _sqlite_only()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_the_sqlite_database_is_in_wal_mode():
    _sqlite_only()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_services_that_write_take_the_write_lock_up_front(statements):
    _sqlite_only()
    db.session.execute(text("SELECT 1"))  # a read transaction already open, as in a request
    services.add_partner("Stockport Libraries")
    assert "BEGIN IMMEDIATE" in statements
    assert statements.index("BEGIN IMMEDIATE") < next(i for i, s in enumerate(statements) if "INSERT" in s)


def test_reads_do_not_take_the_write_lock(statements):
    _sqlite_only()
    db.session.remove()
    db.session.scalar(select(func.count(Partner.id)))
    assert "BEGIN" in statements
    assert "BEGIN IMMEDIATE" not in statements


def test_many_writers_at_once_all_succeed(app):
    """Twenty threads each read then write (check the name is free, then insert): none is refused."""
    errors, barrier = [], threading.Barrier(20)

    def add(number):
        with app.app_context():
            try:
                barrier.wait()
                services.add_partner(f"Partner {number}")
            except Exception as error:  # noqa: BLE001 - the assertion reports any failure
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(select(func.count(Partner.id))) == 20
