"""Hostile spreadsheets are refused within seconds, with a message naming the limit, nothing written.

Each file is built in the test (tests/imports/hostile_files.py). On the command line: exit 1,
one `Error: ...` line on stderr, no traceback; on the web: the upload form's error summary.
"""

import io
import time
import zipfile

import pytest
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.imports.models import ImportUpload
from tests.imports import hostile_files as hostile
from tests.imports.helpers import create_sample_alliance, import_file, row_counts, write

LEARNER_HEADER = hostile.row(hostile.text_cell("first_name"), hostile.text_cell("last_name"))


def _refused_on_the_command_line(runner, tmp_path, content: bytes, name: str = "hostile.xlsx"):
    before = row_counts()
    started = time.monotonic()
    result = import_file(runner, "learners", write(tmp_path, name, content))
    elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert row_counts() == before
    return result.stderr, elapsed


def _refused_on_the_web(client, login_as, content: bytes, name: str = "hostile.xlsx") -> str:
    login_as("coordinator")
    before = row_counts()
    response = client.post(
        "/imports/",
        data={"kind": "learners", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "govuk-error-message" in page
    assert row_counts() == before
    assert db.session.scalar(select(func.count(ImportUpload.id))) == 0
    return page


def test_a_small_workbook_of_a_million_rows_is_refused_within_seconds_naming_the_limit(runner, tmp_path):
    content = hostile.million_rows()
    assert len(content) < 400_000
    message, elapsed = _refused_on_the_command_line(runner, tmp_path, content)
    # 51 MB of XML compressed 330 times: refused on the zip's directory, before any row is read.
    assert "expands more than 100 times" in message
    assert elapsed < 10, f"took {elapsed:.1f}s"


def test_a_zip_bomb_is_refused_before_it_is_decompressed(runner, tmp_path, client, login_as):
    content = hostile.zip_bomb(megabytes=100)
    message, elapsed = _refused_on_the_command_line(runner, tmp_path, content)
    assert "50 MB" in message
    assert elapsed < 10, f"took {elapsed:.1f}s"
    assert "at most 50 MB of spreadsheet data" in _refused_on_the_web(client, login_as, content)


def test_a_workbook_compressed_far_more_than_a_spreadsheet_is_refused_as_a_possible_zip_bomb(
    runner, tmp_path, monkeypatch, app
):
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
    message, _ = _refused_on_the_command_line(runner, tmp_path, hostile.zip_bomb(megabytes=20))
    assert "expands more than 100 times" in message


def test_rows_past_the_limit_stop_the_reading_with_a_message_naming_the_limit(runner, tmp_path):
    # Stored without compression, so only the row count is over a limit: 60,000 rows, 3 MB.
    header, body = hostile.row(hostile.text_cell("first_name")), hostile.row(hostile.text_cell("Ann"))
    content = hostile.xlsx(hostile.sheet_of_rows(header, body, 60_000), compression=zipfile.ZIP_STORED)
    message, elapsed = _refused_on_the_command_line(runner, tmp_path, content)
    assert "more than 50,000 rows: the limit is 50,000" in message
    assert elapsed < 60, f"took {elapsed:.1f}s"


def test_a_sheet_that_jumps_to_row_fifty_million_is_refused_within_seconds(runner, tmp_path):
    far = b'<row r="50000000"><c r="A50000000" t="inlineStr"><is><t>Ann</t></is></c></row>'
    content = hostile.one_sheet(b'<row r="1">' + hostile.text_cell("first_name") + b"</row>", far)
    message, elapsed = _refused_on_the_command_line(runner, tmp_path, content)
    assert "goes past row 1,048,576" in message
    assert elapsed < 20, f"took {elapsed:.1f}s"


def test_a_csv_of_more_rows_than_the_limit_is_refused_and_one_of_exactly_the_limit_is_read(
    runner, tmp_path, monkeypatch, app
):
    create_sample_alliance()
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 10)
    rows = ["first_name,last_name,partner,consent"] + [f"Ann{n},Lee,Stockport Libraries,yes" for n in range(11)]
    message, _ = _refused_on_the_command_line(runner, tmp_path, "\n".join(rows).encode(), name="many.csv")
    assert "more than 10 rows: the limit is 10" in message
    # Blank rows do not count towards the limit.
    exactly = rows[:11] + ["", ",,,"] * 5
    result = import_file(runner, "learners", write(tmp_path, "ten.csv", "\n".join(exactly)))
    assert result.exit_code == 0, result.output
    assert row_counts()["learners"] == 10


def test_a_csv_of_millions_of_short_rows_is_refused_within_seconds(runner, tmp_path):
    content = b"first_name\n" + b"a\n" * 2_500_000  # just under the 5 MB file limit
    message, elapsed = _refused_on_the_command_line(runner, tmp_path, content, name="short.csv")
    assert "more than 50,000 rows" in message
    assert elapsed < 10, f"took {elapsed:.1f}s"


def test_a_file_larger_than_the_limit_is_refused_without_being_read_whole(runner, tmp_path):
    message, _ = _refused_on_the_command_line(runner, tmp_path, b"first_name\n" * 600_000, name="big.csv")
    assert "too large: the limit is 5 MB" in message


DAMAGED = {
    "text in a number cell": hostile.one_sheet(LEARNER_HEADER, b'<row><c t="n"><v>not a number</v></c></row>'),
    "a shared string that is not there": hostile.one_sheet(LEARNER_HEADER, b'<row><c t="s"><v>99</v></c></row>'),
    "broken XML": hostile.xlsx([hostile.SHEET_START + LEARNER_HEADER + b"<row><c><v>1</v></row>"]),
    "an entity expansion bomb": hostile.xlsx(
        [
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
            b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + LEARNER_HEADER
            + b'<row><c t="inlineStr"><is><t>&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;</t></is></c></row>'
            + hostile.SHEET_END
        ]
    ),
    "a missing sheet": hostile.xlsx([hostile.sheet_xml(LEARNER_HEADER)], replace={"xl/workbook.xml": None}),
    "a truncated zip": hostile.one_sheet(LEARNER_HEADER)[:-200],
}


@pytest.mark.parametrize("damage", DAMAGED)
def test_a_damaged_workbook_is_a_clear_could_not_read_error(runner, tmp_path, client, login_as, damage):
    content = DAMAGED[damage]
    message, elapsed = _refused_on_the_command_line(runner, tmp_path, content)
    assert "not a readable Excel Workbook" in message
    assert elapsed < 10
    assert "not a readable Excel Workbook" in _refused_on_the_web(client, login_as, content)
