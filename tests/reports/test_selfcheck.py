"""`flask reports check` recomputes every report key from the base columns; `--repair` mends drift."""

from datetime import date

import pytest
from sqlalchemy import select, text

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.reports.selfcheck import check_report_keys
from inclusion.reports.triggers import definitions
from tests import factories
from tests.reports.keys_support import put_back_data_version


@pytest.fixture(autouse=True)
def _data_version(db):
    put_back_data_version()


def _some_history():
    venue = factories.create_venue()
    ann, bob = factories.create_learner(), factories.create_learner()
    factories.create_session(venue, date(2026, 10, 6), attendees=[ann, bob], skills={ann: ["FND-01"], bob: ["FND-01"]})
    factories.create_session(venue, date(2026, 10, 9), attendees=[ann], skills={ann: ["FND-01", "COM-01"]})
    return venue, ann, bob


def _drop(name: str) -> None:
    """Drop one trigger (and on PostgreSQL nothing else), as someone might by hand."""
    dialect = db.engine.dialect.name
    item = next(item for item in definitions(dialect) if item.name == name)
    db.session.execute(text(item.drop(dialect)))
    db.session.commit()


def test_a_consistent_database_passes_and_the_command_says_how_many_keys_agree(db, runner):
    _some_history()
    result = check_report_keys()
    assert result.ok and result.disagreements == [] and result.drift == []
    # 3 attendances x 4 keys, 2 learners x 5 (first attendance, two levels' date and venue),
    # 4 achievements x 4 keys, the data version row.
    assert result.keys_checked == 12 + 10 + 16 + 1

    outcome = runner.invoke(args=["reports", "check"])
    assert outcome.exit_code == 0, outcome.output
    assert "All 39 keys agree" in outcome.output


def test_a_trigger_dropped_by_hand_then_a_write_fails_the_check_naming_the_drift(db, runner):
    venue, ann, bob = _some_history()
    _drop("learners_report_keys")
    db.session.execute(
        text("UPDATE learners SET merged_into_id = :keep WHERE id = :dup"), {"keep": ann.id, "dup": bob.id}
    )
    db.session.commit()

    outcome = runner.invoke(args=["reports", "check"])

    assert outcome.exit_code == 1
    assert "trigger learners_report_keys on learners missing" in outcome.output
    assert f"attendances id 2 learner_key: stored {bob.id}, expected {ann.id}" in outcome.output
    assert f"learners id {bob.id} first_attended_on: stored 2026-10-06, expected None" in outcome.output
    assert "Run `flask reports check --repair`" in outcome.output


def test_repair_rewrites_the_keys_that_differ_restores_the_trigger_and_is_audited(db, runner):
    venue, ann, bob = _some_history()
    _drop("learners_report_keys")
    db.session.execute(
        text("UPDATE learners SET merged_into_id = :keep WHERE id = :dup"), {"keep": ann.id, "dup": bob.id}
    )
    db.session.commit()
    before = check_report_keys()
    assert before.disagreement_count > 0

    outcome = runner.invoke(args=["reports", "check", "--repair"])

    assert outcome.exit_code == 0, outcome.output
    assert "Now: all keys agree" in outcome.output
    assert check_report_keys().ok
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_keys.repaired"))
    assert event.details["disagreements"] == before.disagreement_count
    assert event.details["triggers"] == ["trigger learners_report_keys on learners missing"]
    # The trigger is back: the next merge keeps the keys right by itself.
    db.session.execute(text("UPDATE learners SET merged_into_id = NULL WHERE id = :dup"), {"dup": bob.id})
    db.session.commit()
    assert check_report_keys().ok


def test_a_report_key_function_dropped_on_postgresql_or_a_fill_trigger_on_sqlite_is_put_back(db):
    venue, ann, bob = _some_history()
    name = "fill_report_keys" if db.engine.dialect.name == "postgresql" else "attendances_report_keys_insert"
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP FUNCTION fill_report_keys() CASCADE"))  # its two triggers go with it
        db.session.commit()
    else:
        _drop(name)
    factories.create_session(venue, date(2026, 10, 20), attendees=[bob])
    found = check_report_keys()
    assert name in {item.name for item in found.drift}
    assert {item.column for item in found.disagreements} >= {"session_date", "venue_id", "learner_key"}

    assert check_report_keys(repair=True).repaired
    assert check_report_keys().ok


def test_a_missing_data_version_row_is_a_disagreement_and_repair_puts_it_back(db):
    _some_history()
    db.session.execute(text("DELETE FROM data_version"))
    db.session.commit()

    found = check_report_keys()
    assert [str(item) for item in found.disagreements] == ["data_version id 1 version: stored None, expected a row"]
    check_report_keys(repair=True)
    assert check_report_keys().ok
