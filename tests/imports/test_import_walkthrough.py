"""Import defects of the walk-through (issue 14): an unknown column hides no row error; re-imports add nothing."""

import io

from inclusion.imports.summary import import_summary
from tests.imports.helpers import (
    ATTENDANCE_SAMPLE,
    LEARNERS_SAMPLE,
    create_sample_alliance,
    import_file,
    row_counts,
    write,
)


def _upload(client, content: str, kind: str, name: str):
    return client.post(
        "/imports/",
        data={"kind": kind, "file": (io.BytesIO(content.encode()), name)},
        content_type="multipart/form-data",
    )


def test_an_unknown_column_is_listed_with_every_row_error(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    rows = "first_name,last_name,partner,consent,shoe_size\nAnn,,Stockport Libraries,yes,5\nBob,Lee,Nowhere,yes,9\n"
    page = client.get(_upload(client, rows, "learners", "learners.csv").headers["Location"]).get_data(as_text=True)
    assert "shoe_size" in page and "unknown column" in page
    assert "Enter the learner&#39;s last name" in page or "last_name" in page
    assert "Nowhere" in page  # row 3's unknown partner, listed beside the unknown column


def test_the_command_also_lists_row_errors_beside_an_unknown_column(app, runner, tmp_path):
    create_sample_alliance()
    path = write(tmp_path, "l.csv", "first_name,last_name,partner,consent,shoe_size\nAnn,,Stockport Libraries,yes,5\n")
    result = import_file(runner, "learners", path)
    assert result.exit_code == 1
    assert "row 1: shoe_size: unknown column" in result.output
    assert "row 2: last_name:" in result.output


def test_a_missing_required_column_still_stops_the_row_checks(app, runner, tmp_path):
    create_sample_alliance()
    path = write(tmp_path, "l.csv", "first_name,partner,consent\nAnn,Stockport Libraries,yes\n")
    result = import_file(runner, "learners", path)
    assert "row 1: last_name: required column is missing" in result.output
    assert "row 2" not in result.output  # not one "is required" per row


def test_re_importing_an_attendance_file_says_nothing_was_added(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    client.post(_upload(client, LEARNERS_SAMPLE, "learners", "learners.csv").headers["Location"])
    client.post(_upload(client, ATTENDANCE_SAMPLE, "attendance", "attendance.csv").headers["Location"])
    before = row_counts()
    client.post(_upload(client, ATTENDANCE_SAMPLE, "attendance", "attendance.csv").headers["Location"])
    page = client.get("/imports/").get_data(as_text=True)
    assert "Nothing was added: all 9 rows were already recorded." in page
    assert "Attendances: 0 new, 9 already recorded" in page
    assert "Imported 9 rows" not in page.split("Nothing was added")[1][:200]
    counts = row_counts()
    assert {k: v for k, v in counts.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


def test_the_summary_counts_what_was_new_and_what_was_there():
    counts = {
        "sessions_added": 1,
        "sessions_already_present": 2,
        "attendances_added": 4,
        "attendances_already_present": 5,
    }
    assert import_summary(9, counts) == (
        "Imported 9 rows. Attendances: 4 new, 5 already recorded; sessions: 1 new, 2 already recorded."
    )
    assert import_summary(1, {"learners_added": 0, "learners_already_present": 1}) == (
        "Nothing was added: the row was already recorded. Learners: 0 new, 1 already recorded."
    )
