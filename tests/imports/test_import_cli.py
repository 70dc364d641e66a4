"""`flask import learners|attendance`: the sample files, re-imports, dry runs and the audit entry."""

from datetime import date

from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance, LearningSession
from tests.factories import create_learner, create_venue
from tests.imports.helpers import (
    ATTENDANCE_SAMPLE,
    LEARNERS_SAMPLE,
    create_sample_alliance,
    import_file,
    row_counts,
    write,
)


def _import_samples(runner, tmp_path):
    create_sample_alliance()
    learners = import_file(runner, "learners", write(tmp_path, "learners.csv", LEARNERS_SAMPLE))
    attendance = import_file(runner, "attendance", write(tmp_path, "attendance.csv", ATTENDANCE_SAMPLE))
    assert learners.exit_code == 0, learners.output
    assert attendance.exit_code == 0, attendance.output
    return attendance


def _learner(reference: str) -> Learner:
    db.session.rollback()
    return db.session.scalar(select(Learner).where(Learner.reference == reference))


def test_the_sample_learners_import_with_their_references_bands_and_normalised_postcodes(runner, tmp_path):
    _import_samples(runner, tmp_path)
    margaret = _learner("L-0001")
    assert (margaret.first_name, margaret.age_band, margaret.postcode) == ("Margaret", "75+", "SK4 1AA")
    assert _learner("L-0002").registered_on == date(2026, 9, 2)  # the UK date format
    assert _learner("L-0004").age_band == "under-18"  # 17 on 3 September 2026
    assert _learner("L-0003").registered_partner.name == "Age Friendly Stockport"


def test_imported_consent_is_recorded_as_an_import_on_the_registration_date(runner, tmp_path):
    _import_samples(runner, tmp_path)
    tariq = _learner("L-0002")
    assert (tariq.lawful_basis, tariq.consent_method, tariq.consent_recorded_at.date()) == (
        "consent",
        "import",
        date(2026, 9, 2),
    )
    zofia = _learner("L-0005")
    assert (zofia.lawful_basis, zofia.consent_method) == ("public-task", None)


def test_the_sample_attendance_makes_five_sessions_nine_attendances_and_thirteen_achievements(runner, tmp_path):
    _import_samples(runner, tmp_path)
    counts = row_counts()
    assert (counts["learning_sessions"], counts["attendances"], counts["skill_achievements"]) == (5, 9, 13)
    refs = set(db.session.scalars(select(LearningSession.import_ref)))
    assert refs == {"S-101", "S-102", "S-103", "S-104", "S-105"}


def test_the_imported_samples_give_the_hand_worked_september_headcount(runner, tmp_path):
    _import_samples(runner, tmp_path)
    adults = db.session.scalar(
        select(func.count(func.distinct(func.coalesce(Learner.merged_into_id, Learner.id))))
        .select_from(Attendance)
        .join(Learner, Learner.id == Attendance.learner_id)
        .join(LearningSession, LearningSession.id == Attendance.session_id)
        .where(
            Learner.age_band != "under-18",
            LearningSession.session_date.between(date(2026, 9, 1), date(2026, 9, 30)),
        )
    )
    assert adults == 4  # L-0001, L-0002, L-0003, L-0005 (L-0004 is under 18)


def test_importing_the_same_attendance_file_twice_adds_nothing_the_second_time(runner, tmp_path):
    _import_samples(runner, tmp_path)
    before = row_counts()
    again = import_file(runner, "attendance", write(tmp_path, "attendance.csv", ATTENDANCE_SAMPLE))
    assert again.exit_code == 0, again.output
    after = row_counts()
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }
    assert "attendances added: 0" in again.output


def test_rows_without_a_session_ref_are_grouped_by_date_time_venue_type_and_duration(runner, tmp_path):
    _import_samples(runner, tmp_path)
    rows = (
        "session_date,start_time,venue,duration_minutes,learner_reference\n"
        "2026-09-18,10:00,Central Library,60,L-0001\n2026-09-18,10:00,central library,60,L-0002\n"
        "2026-09-18,11:00,Central Library,60,L-0003\n"
    )
    path = write(tmp_path, "no-refs.csv", rows)
    assert import_file(runner, "attendance", path).exit_code == 0
    first = row_counts()
    assert first["learning_sessions"] == 5 + 2
    assert import_file(runner, "attendance", path).exit_code == 0
    assert row_counts()["attendances"] == first["attendances"]


def test_a_dry_run_checks_the_file_and_writes_nothing(runner, tmp_path):
    create_sample_alliance()
    before = row_counts()
    result = import_file(runner, "learners", write(tmp_path, "learners.csv", LEARNERS_SAMPLE), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output and "learners added: 6" in result.output
    assert row_counts() == before


def test_a_dry_run_of_attendance_writes_nothing(runner, tmp_path):
    _import_samples(runner, tmp_path)
    rows = "session_date,venue,duration_minutes,learner_reference\n2026-09-20,Central Library,45,L-0001\n"
    before = row_counts()
    result = import_file(runner, "attendance", write(tmp_path, "a.csv", rows), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "sessions added: 1" in result.output
    assert row_counts() == before


def test_each_import_is_one_audit_event_with_its_counts(runner, tmp_path):
    _import_samples(runner, tmp_path)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "import").order_by(AuditEvent.id)
    ).all()
    assert [event.action for event in events] == ["import_learners", "import_attendance"]
    assert events[0].details["learners_added"] == 6
    assert events[1].details["attendances_added"] == 9 and events[1].details["sessions_added"] == 5


def test_learners_without_a_reference_get_a_generated_one(runner, tmp_path):
    create_sample_alliance()
    rows = "first_name,last_name,partner,consent\nAnn,Lee,Stockport Libraries,yes\n"
    assert import_file(runner, "learners", write(tmp_path, "l.csv", rows)).exit_code == 0
    db.session.rollback()
    assert db.session.scalar(select(Learner.reference)).startswith("L-")


def test_reimporting_the_same_learners_skips_them_but_a_clashing_reference_is_an_error(runner, tmp_path):
    _import_samples(runner, tmp_path)
    again = import_file(runner, "learners", write(tmp_path, "learners.csv", LEARNERS_SAMPLE))
    assert again.exit_code == 0 and "learners already present (skipped): 6" in again.output
    clash = "reference,first_name,last_name,partner,consent\nL-0001,Someone,Else,Stockport Libraries,yes\n"
    result = import_file(runner, "learners", write(tmp_path, "clash.csv", clash))
    assert result.exit_code == 1
    assert "row 2: reference: another learner already has the reference L-0001" in result.output


def test_attendance_for_a_merged_duplicate_goes_to_the_learner_kept(runner, tmp_path):
    venue = create_venue("Central Library")
    kept = create_learner(reference="L-KEEP1")
    create_learner(reference="L-GONE1", merged_into_id=kept.id)
    rows = "session_date,venue,duration_minutes,learner_reference\n2026-09-20,Central Library,45,L-GONE1\n"
    assert import_file(runner, "attendance", write(tmp_path, "a.csv", rows)).exit_code == 0
    db.session.rollback()
    assert db.session.scalar(select(Attendance.learner_id)) == kept.id
    assert venue.id == db.session.scalar(select(LearningSession.venue_id))
