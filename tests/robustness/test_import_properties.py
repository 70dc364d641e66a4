"""Random and hostile spreadsheets given to the import: always a clear answer, never a traceback.

The parser and the services answer with ImportFileError (the file as a whole is unusable) or a
result whose problems read `row N: column: message`; `flask import learners|attendance FILE`
exits 0 or 1, and every line it writes to stderr is an `Error: ...` or a `row N: column: message`.
"""

import csv
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from inclusion.imports.parsing import ImportFileError
from inclusion.imports.services import import_table, read_upload_table
from tests import factories

LEARNER_COLUMNS = [
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "age_band",
    "postcode",
    "email",
    "phone",
    "gender",
    "lawful_basis",
    "consent",
    "registered_on",
    "partner",
]
ATTENDANCE_COLUMNS = [
    "session_date",
    "start_time",
    "venue",
    "session_type",
    "duration_minutes",
    "learner_reference",
    "skills",
    "session_ref",
]
PROBLEM = re.compile(r"row \d+: [^:\n]+: .+")
HOSTILE_CELLS = [
    "",
    " ",
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(A1)",
    "0",
    "601",
    "99999999999999999999",
    "2026-02-30",
    "31/12/1899",
    "29/02/2023",
    "2026-13-01",
    "25:61",
    "10:00",
    "yes",
    "no",
    "consent",
    "public-task",
    "under-18",
    "75+",
    "SK4 1AA",
    "not a postcode",
    "a@b",
    "FND-01;ZZZ-99;;",
    "Reddish Partner",
    "Reddish Library",
    "L-HOST1",
    "L-NOPE0",
    "drop-in",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "🙂",
    "\u202e",
    "a" * 300,
    "1e309",
    "NaN",
    '"',
    "\r\n",
]
CELL = st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=40))


def _header(columns):
    return st.lists(
        st.one_of(st.sampled_from(columns), st.sampled_from([c.upper() for c in columns]), st.text(max_size=12)),
        min_size=0,
        max_size=len(columns) + 2,
    ).map(lambda extra: columns + extra if len(extra) % 3 == 0 else extra)  # often every column, sometimes not


def _rows(width: int):
    return st.lists(st.lists(CELL, min_size=0, max_size=width + 1), max_size=6)


@st.composite
def spreadsheets(draw, columns):
    header = draw(_header(columns))
    rows = draw(_rows(len(header)))
    kind = draw(st.sampled_from(["csv", "csv-bytes", "xlsx", "xlsx-garbage", "other"]))
    if kind == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(rows)
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
        return text.getvalue().encode(encoding, errors="replace"), "upload.csv"
    if kind == "csv-bytes":
        return draw(st.binary(max_size=400)), draw(st.sampled_from(["upload.csv", "upload", "upload.txt"]))
    if kind == "xlsx":
        book = Workbook()
        sheet = book.active
        for record in [header, *rows]:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in record])  # Excel cannot hold these
        data = io.BytesIO()
        book.save(data)
        return data.getvalue(), "upload.xlsx"
    if kind == "xlsx-garbage":
        return b"PK\x03\x04" + draw(st.binary(max_size=200)), "upload.xlsx"
    return draw(st.binary(max_size=100)), draw(st.sampled_from(["upload.xls", "upload.pdf", "upload.docx"]))


@pytest.fixture
def import_world(db):
    partner = factories.create_partner("Reddish Partner")
    factories.create_venue("Reddish Library", partner=partner)
    factories.create_learner("Hostile", "Rowe", reference="L-HOST1", partner=partner)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("kind, columns", [("learners", LEARNER_COLUMNS), ("attendance", ATTENDANCE_COLUMNS)])
@SETTINGS
@given(data=st.data(), dry_run=st.booleans())
def test_the_import_services_answer_any_file_with_a_result_or_a_file_error(import_world, kind, columns, data, dry_run):
    content, filename = data.draw(spreadsheets(columns))
    try:
        result = import_table(kind, read_upload_table(content, filename), filename=filename, dry_run=dry_run)
    except ImportFileError as error:
        assert str(error).strip() and "Traceback" not in str(error)
        return
    for problem in result.problems:
        assert PROBLEM.fullmatch(str(problem)), str(problem)


@pytest.mark.parametrize("kind, columns", [("learners", LEARNER_COLUMNS), ("attendance", ATTENDANCE_COLUMNS)])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), dry_run=st.booleans())
def test_the_import_command_exits_0_or_1_with_row_messages_and_never_a_traceback(
    import_world, runner, kind, columns, data, dry_run
):
    content, filename = data.draw(spreadsheets(columns))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(content)
        result = runner.invoke(args=["import", kind, str(path), *(["--dry-run"] if dry_run else [])])
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("Importing")]
    for line in lines:
        assert line.startswith("Error: ") or PROBLEM.fullmatch(line), line
    if result.exit_code == 1:
        assert lines, "a failure must say why"


def test_a_header_with_a_colon_or_a_terminal_escape_is_reported_by_position_escaped(import_world):
    table = read_upload_table(b"first_name,a:b\x1b[31m,last_name,partner\nAda,x,Byron,Reddish Partner\n", "x.csv")
    result = import_table("learners", table, filename="x.csv", dry_run=True)
    # First the header's problem; the rows' own problems follow (an unknown column hides none of them).
    assert [str(problem).split("; ")[0] for problem in result.problems][0] == (
        r"row 1: column 2 ('a\x3ab\x1b[31m'): unknown column"
    )
