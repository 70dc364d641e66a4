"""`flask db backup` and `flask db restore`: a copy that restores whole, and restores that refuse what is unsafe."""

import os
import stat
from datetime import date

import pytest
from sqlalchemy import func, insert, select

from inclusion.audit.models import AuditEvent
from inclusion.backups import services
from inclusion.extensions import db
from inclusion.locks import advisory_lock
from inclusion.reports.cache import data_version
from inclusion.reports.models import DataVersion
from inclusion.sessions.models import Attendance
from tests import factories
from tests.scratch_databases import app_on, is_postgresql

BACKUP_SUFFIX = ".dump" if is_postgresql() else ".sqlite3"
OTHER_KIND_MAGIC = b"SQLite format 3\x00" if is_postgresql() else b"PGDMP"


def _some_data():
    venue = factories.create_venue("Central Library")
    learners = [factories.create_learner(age_band="45-54") for _ in range(3)]
    factories.create_session(venue, date(2026, 10, 6), attendees=learners, skills={learners[0]: ["COM-01"]})


def _backup(runner, tmp_path, name="backup"):
    out = tmp_path / f"{name}{BACKUP_SUFFIX}"
    result = runner.invoke(args=["db", "backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _restore(url, *arguments):
    """Run `flask db restore` against the database at `url`; returns the result and its attendance count."""
    with app_on(url) as other:
        result = other.test_cli_runner().invoke(args=["db", "restore", *map(str, arguments)])
        count = db.session.scalar(select(func.count(Attendance.id))) if result.exit_code == 0 else None
    return result, count


def test_a_backup_restores_into_an_empty_database_with_row_counts_and_a_clean_self_check(
    runner, tmp_path, scratch_database
):
    _some_data()
    backup = _backup(runner, tmp_path)

    result, attendances = _restore(scratch_database("restore"), backup)

    assert result.exit_code == 0, result.output
    assert attendances == 3
    assert "attendances" in result.output and "learning_sessions" in result.output
    assert "The figures' self-check found no problems." in result.output
    assert "The data version was changed" in result.output
    assert "Traceback" not in result.output


def test_a_backup_file_is_readable_by_its_owner_only(runner, tmp_path):
    backup = _backup(runner, tmp_path)
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600


def test_backups_and_restores_are_in_the_audit_log(runner, tmp_path, scratch_database):
    backup = _backup(runner, tmp_path)
    made = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "database_backed_up")).one()
    assert made.details["file"] == str(backup)

    url = scratch_database("restore")
    assert _restore(url, backup)[0].exit_code == 0
    with app_on(url):
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["database_restored"]  # the backup's own event was written after the copy


def test_a_restored_database_gets_a_data_version_of_its_own(runner, tmp_path, scratch_database):
    with db.engine.begin() as connection:  # the suite empties every table after each test, this one too
        connection.execute(insert(DataVersion).values(id=1, version=1234))
    _some_data()
    version_at_backup = data_version()
    assert version_at_backup is not None
    backup = _backup(runner, tmp_path)

    url = scratch_database("restore")
    assert _restore(url, backup)[0].exit_code == 0
    with app_on(url):
        assert data_version() not in (None, version_at_backup)


def test_restoring_over_a_database_that_is_not_empty_is_refused_and_changes_nothing(runner, tmp_path, scratch_database):
    backup = _backup(runner, tmp_path, "empty-alliance")
    _some_data()
    fuller = _backup(runner, tmp_path, "fuller")
    url = scratch_database("restore")
    assert _restore(url, fuller)[0].exit_code == 0

    result, _ = _restore(url, backup)

    assert result.exit_code == 1
    assert "The database is not empty" in result.output and "--replace" in result.output
    assert "Traceback" not in result.output
    with app_on(url):
        assert db.session.scalar(select(func.count(Attendance.id))) == 3


def test_restoring_over_a_database_with_replace_puts_the_backup_in_its_place(runner, tmp_path, scratch_database):
    backup = _backup(runner, tmp_path, "empty-alliance")
    _some_data()
    fuller = _backup(runner, tmp_path, "fuller")
    url = scratch_database("restore")
    assert _restore(url, fuller)[0].exit_code == 0

    result, attendances = _restore(url, backup, "--replace")

    assert result.exit_code == 0, result.output
    assert attendances == 0


def test_a_damaged_backup_is_refused_and_the_database_replaced_keeps_its_data(runner, tmp_path, scratch_database):
    _some_data()
    backup = _backup(runner, tmp_path)
    url = scratch_database("restore")
    assert _restore(url, backup)[0].exit_code == 0
    damaged = tmp_path / f"damaged{BACKUP_SUFFIX}"
    damaged.write_bytes(backup.read_bytes()[: backup.stat().st_size * 2 // 3])

    result, _ = _restore(url, damaged, "--replace")

    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    with app_on(url):
        assert db.session.scalar(select(func.count(Attendance.id))) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"month,measure\n2026-10,adults_helped\n", "is not a backup made by `flask db backup`"),
        (b"--\n-- PostgreSQL database dump\n--\n", "looks like a plain SQL dump"),
        (OTHER_KIND_MAGIC + bytes(200), "backup but DATABASE_URL names"),
    ],
    ids=["missing file", "not a backup", "plain SQL dump", "the other kind of database"],
)
def test_a_file_that_cannot_be_restored_here_is_refused_with_a_clear_message(
    tmp_path, scratch_database, content, message
):
    path = tmp_path / "candidate"
    if content is not None:
        path.write_bytes(content)

    result, _ = _restore(scratch_database("restore"), path)

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_backup_never_overwrites_a_file(runner, tmp_path):
    existing = tmp_path / "precious.txt"
    existing.write_text("keep me")

    result = runner.invoke(args=["db", "backup", "--out", str(existing)])

    assert result.exit_code == 1
    assert "already exists" in result.output
    assert existing.read_text() == "keep me"


def test_backups_into_a_directory_keep_the_newest_copies(runner, tmp_path):
    for age, name in enumerate(["inclusion-20261101T023000Z", "inclusion-20261102T023000Z"]):
        old = tmp_path / f"{name}{BACKUP_SUFFIX}"
        old.write_bytes(b"old")
        os.utime(old, (1_000_000 + age, 1_000_000 + age))
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("not a backup")

    result = runner.invoke(args=["db", "backup", "--dir", str(tmp_path), "--keep", "2"])

    assert result.exit_code == 0, result.output
    remaining = sorted(path.name for path in tmp_path.iterdir())
    assert len(remaining) == 3
    assert f"inclusion-20261101T023000Z{BACKUP_SUFFIX}" not in remaining
    assert f"inclusion-20261102T023000Z{BACKUP_SUFFIX}" in remaining and "notes.txt" in remaining
    assert "Removed the older backup" in result.output


def test_a_backup_while_another_host_makes_one_does_nothing_and_succeeds(runner, tmp_path):
    with advisory_lock(services.BACKUP_LOCK):
        result = _in_thread(lambda: runner.invoke(args=["db", "backup", "--dir", str(tmp_path)]))

    assert result.exit_code == 0, result.output
    assert "Another process is making a backup" in result.output
    assert list(tmp_path.iterdir()) == []


def _in_thread(call):
    """Run `call` on another thread (another connection, as another host's timer would)."""
    import threading

    from flask import current_app

    app = current_app._get_current_object()
    outcome = {}

    def run():
        with app.app_context():
            outcome["result"] = call()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return outcome["result"]
