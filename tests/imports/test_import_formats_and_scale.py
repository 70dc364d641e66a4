"""XLSX gives the same result as CSV, and 10,000 rows import whole (their speed: `make bench`)."""

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook
from sqlalchemy import delete, select

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from tests.imports.helpers import (
    ATTENDANCE_SAMPLE,
    LEARNERS_SAMPLE,
    create_sample_alliance,
    import_file,
    row_counts,
    write,
)


def _xlsx(csv_text: str) -> bytes:
    """The CSV as a workbook, with dates, times and numbers as real Excel cells (as people save them)."""
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(csv.reader(io.StringIO(csv_text))):
        cells = []
        for value in row:
            if number and len(value) == 10 and value[4] == "-":
                cells.append(datetime.fromisoformat(value))
            elif number and len(value) == 5 and value[2] == ":":
                cells.append(datetime.strptime(value, "%H:%M").time())
            elif number and value.isdigit():
                cells.append(int(value))
            else:
                cells.append(value or None)
        sheet.append(cells)
    workbook.create_sheet("Notes").append(["ignored: only the first sheet is read"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _snapshot():
    db.session.rollback()
    learners = db.session.execute(
        select(
            Learner.reference,
            Learner.first_name,
            Learner.last_name,
            Learner.date_of_birth,
            Learner.age_band,
            Learner.postcode,
            Learner.email,
            Learner.phone,
            Learner.gender,
            Learner.lawful_basis,
            Learner.consent_method,
            Learner.registered_on,
            Learner.registered_partner_id,
        ).order_by(Learner.reference)
    ).all()
    sessions = db.session.execute(
        select(
            LearningSession.import_ref,
            LearningSession.session_date,
            LearningSession.start_time,
            LearningSession.venue_id,
            LearningSession.session_type,
            LearningSession.duration_minutes,
        ).order_by(LearningSession.import_ref)
    ).all()
    attendance = db.session.execute(
        select(LearningSession.import_ref, Learner.reference)
        .join(Attendance.learning_session)
        .join(Attendance.learner)
        .order_by(LearningSession.import_ref, Learner.reference)
    ).all()
    skills = db.session.execute(
        select(LearningSession.import_ref, Learner.reference, SkillAchievement.skill_id)
        .join(SkillAchievement.learning_session)
        .join(SkillAchievement.learner)
        .order_by(LearningSession.import_ref, Learner.reference, SkillAchievement.skill_id)
    ).all()
    return learners, sessions, attendance, skills


def _wipe():
    for model in (SkillAchievement, Attendance, LearningSession, Learner):
        db.session.execute(delete(model))
    db.session.commit()


def test_xlsx_and_csv_files_give_the_same_records(runner, tmp_path):
    create_sample_alliance()
    assert import_file(runner, "learners", write(tmp_path, "l.csv", LEARNERS_SAMPLE)).exit_code == 0
    assert import_file(runner, "attendance", write(tmp_path, "a.csv", ATTENDANCE_SAMPLE)).exit_code == 0
    from_csv = _snapshot()
    _wipe()
    result = import_file(runner, "learners", write(tmp_path, "l.xlsx", _xlsx(LEARNERS_SAMPLE)))
    assert result.exit_code == 0, result.output
    result = import_file(runner, "attendance", write(tmp_path, "a.xlsx", _xlsx(ATTENDANCE_SAMPLE)))
    assert result.exit_code == 0, result.output
    assert _snapshot() == from_csv
    assert len(from_csv[2]) == 9


def test_ten_thousand_learners_and_ten_thousand_attendance_rows_import_whole_and_once(runner, tmp_path):
    # How long it takes is a `make bench` target (bench/report.py: import_learners), not a timed unit test.
    create_sample_alliance()
    learners = ["reference,first_name,last_name,date_of_birth,postcode,consent,registered_on,partner"]
    learners += [
        f"L-B{n:05d},Person{n},Family{n % 97},{1940 + n % 60}-0{1 + n % 9}-1{n % 9},SK{1 + n % 8} 1AA,yes,"
        f"2026-0{1 + n % 9}-01,Stockport Libraries"
        for n in range(10_000)
    ]
    attendance = ["session_date,start_time,venue,duration_minutes,learner_reference,skills"]
    attendance += [
        f"2026-10-{1 + n % 28:02d},{9 + n % 8}:00,{'Central' if n % 2 else 'Reddish'} Library,60,"
        f"L-B{n:05d},FND-0{1 + n % 9};COM-0{1 + n % 5}"
        for n in range(10_000)
    ]
    result = import_file(runner, "learners", write(tmp_path, "many-learners.csv", "\n".join(learners)))
    assert result.exit_code == 0, result.output
    result = import_file(runner, "attendance", write(tmp_path, "many-attendance.csv", "\n".join(attendance)))
    assert result.exit_code == 0, result.output
    counts = row_counts()
    assert counts["learners"] == 10_000 and counts["attendances"] == 10_000
    assert counts["skill_achievements"] == 20_000
    # Day and hour both follow n, so they repeat together every lcm(28, 8) = 56 rows: 56 sessions.
    assert counts["learning_sessions"] == 56
    again = import_file(runner, "attendance", write(tmp_path, "many-attendance.csv", "\n".join(attendance)))
    assert "attendances added: 0" in again.output


def test_dates_in_either_format_give_the_same_learner(runner, tmp_path):
    create_sample_alliance()
    rows = (
        "first_name,last_name,date_of_birth,registered_on,partner,consent\n"
        "Ann,Lee,02/03/1950,01/09/2026,Stockport Libraries,yes\n"
        "Bob,Lee,1950-03-02,2026-09-01,Stockport Libraries,yes\n"
    )
    assert import_file(runner, "learners", write(tmp_path, "d.csv", rows)).exit_code == 0
    db.session.rollback()
    assert set(db.session.scalars(select(Learner.date_of_birth))) == {date(1950, 3, 2)}
