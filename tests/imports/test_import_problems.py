"""Every kind of bad input gives a clear message, exits 1 and writes nothing."""

import pytest

from tests.imports.helpers import (
    ATTENDANCE_SAMPLE,
    LEARNERS_SAMPLE,
    create_sample_alliance,
    import_file,
    row_counts,
    write,
)

LEARNER_HEADER = "first_name,last_name,partner,consent,date_of_birth,lawful_basis\n"
ATTENDANCE_HEADER = "session_date,start_time,venue,duration_minutes,learner_reference,skills\n"

CASES = {
    "an unknown column": (
        "learners",
        "first_name,last_name,partner,consent,favourite_colour\nAnn,Lee,Stockport Libraries,yes,red\n",
        "row 1: favourite_colour: unknown column",
    ),
    "a missing required column": (
        "learners",
        "first_name,partner,consent\nAnn,Stockport Libraries,yes\n",
        "row 1: last_name: required column is missing",
    ),
    "a bad date": (
        "learners",
        LEARNER_HEADER + "Ann,Lee,Stockport Libraries,yes,31/02/1950,\n",
        "row 2: date_of_birth: '31/02/1950' is not a real date",
    ),
    "a cell holding a line break (quoted, as a spreadsheet writes it)": (
        "learners",
        LEARNER_HEADER + 'Ann,Lee,Stockport Libraries,yes,"0\n0",\n',
        "row 2: date_of_birth: '0 [line break] 0' is not a date: use YYYY-MM-DD or DD/MM/YYYY",
    ),
    "a date in neither format": (
        "attendance",
        ATTENDANCE_HEADER + "Sept 4th,10:00,Central Library,60,L-0001,\n",
        "row 2: session_date: 'Sept 4th' is not a date: use YYYY-MM-DD or DD/MM/YYYY",
    ),
    "an unknown partner": (
        "learners",
        LEARNER_HEADER + "Ann,Lee,Stockport Libarries,yes,,\n",
        "row 2: partner: no partner called 'Stockport Libarries'",
    ),
    "a missing consent where the basis is consent": (
        "learners",
        LEARNER_HEADER + "Ann,Lee,Stockport Libraries,,,consent\n",
        "row 2: consent: must be yes",
    ),
    "an unknown venue": (
        "attendance",
        ATTENDANCE_HEADER + "2026-09-04,10:00,Central Libary,60,L-0001,\n",
        "row 2: venue: no venue called 'Central Libary'",
    ),
    "an unknown learner reference": (
        "attendance",
        ATTENDANCE_HEADER + "2026-09-04,10:00,Central Library,60,L-9999,\n",
        "row 2: learner_reference: no learner with the reference L-9999",
    ),
    "an unknown skill code": (
        "attendance",
        ATTENDANCE_HEADER + "2026-09-04,10:00,Central Library,60,L-0001,FND-01;XYZ-09\n",
        "row 2: skills: no skill with the code XYZ-09",
    ),
    "a duration out of range": (
        "attendance",
        ATTENDANCE_HEADER + "2026-09-04,10:00,Central Library,601,L-0001,\n",
        "row 2: duration_minutes: must be between 1 and 600 minutes",
    ),
    "a zero duration": (
        "attendance",
        ATTENDANCE_HEADER + "2026-09-04,10:00,Central Library,0,L-0001,\n",
        "row 2: duration_minutes: must be between 1 and 600 minutes",
    ),
    "a session_ref used for two different sessions": (
        "attendance",
        "session_ref,session_date,venue,duration_minutes,learner_reference\n"
        "S-1,2026-09-04,Central Library,60,L-0001\nS-1,2026-09-05,Central Library,60,L-0002\n",
        "row 3: session_ref: S-1 has a different date",
    ),
    "an empty file": ("attendance", "", "Error: The file is empty"),
    "a header and no rows": ("learners", LEARNER_HEADER, "the file has a header row but no rows to import"),
    "a file that is not a spreadsheet": (
        "learners",
        b"%PDF-1.4\x00\x01\x02 binary",
        "Error: The file is not a CSV or XLSX spreadsheet",
    ),
    "a wrong encoding": (
        "learners",
        LEARNER_HEADER.encode() + b"Ann,L\x81e,Stockport Libraries,yes,,\n",
        "Error: The file's text encoding was not recognised",
    ),
    "a broken xlsx": (
        "learners",
        b"PK\x03\x04 not really a workbook",
        "Error: The file is not a readable Excel Workbook",
    ),
}


@pytest.fixture
def imported(runner, tmp_path):
    create_sample_alliance()
    assert import_file(runner, "learners", write(tmp_path, "learners.csv", LEARNERS_SAMPLE)).exit_code == 0
    assert import_file(runner, "attendance", write(tmp_path, "attendance.csv", ATTENDANCE_SAMPLE)).exit_code == 0


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_bad_file_gives_its_message_exits_1_and_writes_nothing(case, imported, runner, tmp_path):
    kind, content, message = CASES[case]
    name = (
        "file.pdf"
        if case == "a file that is not a spreadsheet"
        else ("file.xlsx" if case == "a broken xlsx" else "file.csv")
    )
    before = row_counts()
    result = import_file(runner, kind, write(tmp_path, name, content))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert row_counts() == before


def test_a_file_over_the_size_limit_is_refused_and_writes_nothing(app, imported, runner, tmp_path):
    before = row_counts()
    limit, app.config["IMPORT_MAX_BYTES"] = app.config["IMPORT_MAX_BYTES"], 200
    try:
        result = import_file(runner, "learners", write(tmp_path, "big.csv", LEARNERS_SAMPLE))
    finally:
        app.config["IMPORT_MAX_BYTES"] = limit
    assert result.exit_code == 1
    assert "Error: The file is too large" in result.output
    assert row_counts() == before


def test_one_bad_row_among_good_ones_writes_none_of_them_and_lists_every_problem(imported, runner, tmp_path):
    rows = (
        LEARNER_HEADER + "Ann,Lee,Stockport Libraries,yes,,\n"
        "Bob,,Stockport Libraries,yes,,\nCath,Jones,Nowhere,,2030-01-01,\n"
    )
    before = row_counts()
    result = import_file(runner, "learners", write(tmp_path, "some-bad.csv", rows))
    assert result.exit_code == 1
    for line in (
        "row 3: last_name: is required",
        "row 4: partner: no partner called 'Nowhere'",
        "row 4: consent: must be yes",
        "row 4: date_of_birth: is after the registration date",
    ):
        assert line in result.output
    assert row_counts() == before


def test_row_numbers_count_the_header_as_row_1_and_include_blank_rows(imported, runner, tmp_path):
    rows = LEARNER_HEADER + "Ann,Lee,Stockport Libraries,yes,,\n,,,,,\nBob,,Stockport Libraries,yes,,\n"
    result = import_file(runner, "learners", write(tmp_path, "gap.csv", rows))
    assert "row 4: last_name: is required" in result.output


def test_headers_match_whatever_their_case(imported, runner, tmp_path):
    rows = "First_Name,LAST_NAME,Partner,Consent\nAnn,Lee,stockport libraries,YES\n"
    result = import_file(runner, "learners", write(tmp_path, "case.csv", rows))
    assert result.exit_code == 0, result.output


def test_a_utf8_file_with_a_byte_order_mark_imports(imported, runner, tmp_path):
    rows = ("\ufeff" + LEARNER_HEADER + "Zoë,Brontë,Stockport Libraries,yes,,\n").encode("utf-8")
    result = import_file(runner, "learners", write(tmp_path, "bom.csv", rows))
    assert result.exit_code == 0, result.output
    assert row_counts()["learners"] == 7


def test_a_windows_excel_csv_in_cp1252_imports_with_its_accents(imported, runner, tmp_path):
    from sqlalchemy import select

    from inclusion.extensions import db
    from inclusion.learners.models import Learner

    rows = (LEARNER_HEADER + "José,O’Neill,Stockport Libraries,yes,,\n").encode("cp1252")
    result = import_file(runner, "learners", write(tmp_path, "excel.csv", rows))
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert db.session.scalar(select(Learner.last_name).where(Learner.first_name == "José")) == "O’Neill"


def test_a_collision_with_a_simultaneous_change_is_a_message_not_a_traceback(imported, runner, tmp_path, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from inclusion.imports import services

    def collide(plan, user_id, progress=None):
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setitem(services.KINDS, "learners", (services.KINDS["learners"][0], collide))
    before = row_counts()
    rows = LEARNER_HEADER + "Ann,Lee,Stockport Libraries,yes,,\n"
    result = import_file(runner, "learners", write(tmp_path, "race.csv", rows))
    assert result.exit_code == 1
    assert "Error: Another import or change saved some of the same records" in result.output
    assert row_counts() == before


def test_a_file_that_does_not_exist_is_a_message_and_exit_1(runner, tmp_path):
    result = import_file(runner, "attendance", str(tmp_path / "missing.csv"))
    assert result.exit_code == 1
    assert "Error: Cannot read" in result.output and "No such file" in result.output
