"""The monthly funder CSV: the contract of DESIGN.md, row by row."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.reports import exports
from inclusion.reports.periods import Period
from tests import factories
from tests.reports.samples import build_samples

SEPTEMBER = Period.month(date(2026, 9, 1))


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def _value(content: bytes, measure: str, dimension: str, category: str) -> str:
    matches = [row[4] for row in _rows(content)[1:] if row[1:4] == [measure, dimension, category]]
    assert len(matches) == 1, (measure, dimension, category, matches)
    return matches[0]


@pytest.fixture
def threshold(app):
    """Set SUPPRESSION_THRESHOLD for one test."""
    original = app.config["SUPPRESSION_THRESHOLD"]

    def _set(value):
        app.config["SUPPRESSION_THRESHOLD"] = value

    yield _set
    app.config["SUPPRESSION_THRESHOLD"] = original


def test_the_csv_starts_with_the_header_row():
    build_samples()
    assert exports.monthly_csv(SEPTEMBER).split(b"\n")[0] == b"month,measure,dimension,category,value"


def test_the_samples_september_totals_are_written_as_worked_out(threshold):
    build_samples()
    content = exports.monthly_csv(SEPTEMBER)
    expected = {
        "adults_helped_to_date": "4",
        "adults_helped": "4",
        "new_learners": "4",
        "returning_learners": "0",
        "sessions_delivered": "3",
        "unregistered_attendances": "0",
        "attendances": "5",
        "learner_hours": "5.5",
        "skills_gained": "7",
        "learners_gaining_skills": "4",
        "milestone_target": "5000",
        "milestone_progress_percent": "0.1",  # 100 × 4 / 5000 = 0.08
    }
    for measure, value in expected.items():
        assert _value(content, measure, "total", "all") == value, measure


def test_the_samples_october_breakdowns_without_suppression(threshold):
    threshold(0)
    build_samples()
    content = exports.monthly_csv(Period.month(date(2026, 10, 1)))
    # Central (2 Oct, 120 min): L-0002, L-0006 (new). Reddish (9 Oct, 30 min): L-0003.
    assert _value(content, "adults_helped", "venue", "Central Library") == "2"
    assert _value(content, "new_learners", "venue", "Reddish Library") == "0"
    assert _value(content, "returning_learners", "venue", "Reddish Library") == "1"
    assert _value(content, "learner_hours", "venue", "Central Library") == "4.0"
    assert _value(content, "adults_helped", "partner", "Stockport Libraries") == "3"
    assert _value(content, "skills_gained", "skill_area", "TRA") == "2"
    assert _value(content, "skills_gained", "skill_area", "COM") == "1"  # COM-02; COM-03 was September's
    assert _value(content, "skills_gained", "skill_area", "SAF") == "0"
    assert _value(content, "new_learners", "age_band", "unknown") == "1"
    # L-0001 (September only) is counted to date under Central Library.
    assert _value(content, "adults_helped_to_date", "venue", "Central Library") == "4"


def test_rows_are_sorted_by_measure_dimension_and_category():
    build_samples()
    rows = _rows(exports.monthly_csv(SEPTEMBER))[1:]
    keys = [tuple(row[1:4]) for row in rows]
    assert keys == sorted(keys)
    assert keys[0] == ("adults_helped", "age_band", "35-44")


def test_the_row_set_follows_the_contract(threshold):
    threshold(0)
    build_samples()
    rows = _rows(exports.monthly_csv(SEPTEMBER))[1:]
    by_measure = {}
    for _month, measure, dimension, category, _figure in rows:
        by_measure.setdefault(measure, []).append((dimension, category))
    venues = [("venue", "Central Library"), ("venue", "Reddish Library")]
    partners = [("partner", "Stockport Libraries")]  # Age Friendly Stockport had no session
    assert sorted(by_measure["sessions_delivered"]) == sorted([("total", "all")] + venues + partners)
    assert by_measure["milestone_target"] == [("total", "all")]
    areas = [("skill_area", code) for code in ("COM", "FND", "HIC", "PRB", "SAF", "TRA")]
    assert set(areas) <= set(by_measure["skills_gained"])
    # Age bands only where the figure is not zero: September's adults are 35-44, 45-54 and 75+ (two).
    bands = [category for dimension, category in by_measure["adults_helped"] if dimension == "age_band"]
    assert bands == ["35-44", "45-54", "75+"]
    assert not [row for row in by_measure["returning_learners"] if row[0] == "age_band"]
    assert all(row[0] == "2026-09" for row in rows)


def test_small_numbers_are_suppressed_below_the_threshold_but_not_at_it(threshold):
    threshold(3)
    build_samples()
    content = exports.monthly_csv(SEPTEMBER)
    assert _value(content, "adults_helped", "venue", "Central Library") == "3"  # at the threshold
    assert _value(content, "adults_helped", "venue", "Reddish Library") == "[c]"  # 1
    assert _value(content, "adults_helped", "age_band", "75+") == "[c]"  # 2
    assert _value(content, "skills_gained", "skill_area", "HIC") == "0"  # zero is not suppressed
    assert _value(content, "adults_helped", "total", "all") == "4"  # totals never


def test_sessions_and_hours_are_never_suppressed(threshold):
    threshold(5)
    build_samples()
    content = exports.monthly_csv(SEPTEMBER)
    assert _value(content, "sessions_delivered", "venue", "Reddish Library") == "1"
    assert _value(content, "learner_hours", "venue", "Reddish Library") == "1.5"
    assert _value(content, "adults_helped", "venue", "Reddish Library") == "[c]"


def test_a_threshold_of_zero_turns_suppression_off(threshold):
    threshold(0)
    build_samples()
    content = exports.monthly_csv(SEPTEMBER)
    assert b"[c]" not in content
    assert _value(content, "adults_helped", "venue", "Reddish Library") == "1"


def test_a_venue_name_that_looks_like_a_formula_is_neutralised(threshold):
    threshold(0)
    venue = factories.create_venue('=HYPERLINK("http://evil")')
    learner = factories.create_learner(age_band="25-34")
    factories.create_session(venue, date(2026, 9, 4), attendees=[learner])
    content = exports.monthly_csv(SEPTEMBER)
    assert _value(content, "adults_helped", "venue", '\'=HYPERLINK("http://evil")') == "1"
    assert b"\n2026-09,adults_helped,venue,=" not in content


def test_the_command_writes_the_csv_to_standard_output(runner):
    build_samples()
    result = runner.invoke(args=["reports", "monthly", "--month", "2026-09", "--version", "1"])
    assert result.exit_code == 0
    assert result.stdout_bytes == exports.monthly_csv(SEPTEMBER)


def test_the_command_and_the_web_download_give_the_same_bytes(runner, client, login_as, tmp_path):
    build_samples()
    out = tmp_path / "september.csv"
    assert runner.invoke(args=["reports", "monthly", "--month", "2026-09", "--out", str(out)]).exit_code == 0
    login_as("funder")
    response = client.get("/reports/monthly/2026-09.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data == out.read_bytes()


@pytest.mark.parametrize("month", ["2026-13", "26-09", "september", "2026-9", ""])
def test_a_malformed_month_is_an_error_on_the_command_line(runner, month):
    result = runner.invoke(args=["reports", "monthly", "--month", month])
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "YYYY-MM" in result.stderr
    assert "Traceback" not in result.output


def test_a_future_month_is_an_error_on_the_command_line(runner):
    result = runner.invoke(args=["reports", "monthly", "--month", "2999-01"])
    assert result.exit_code == 1
    assert "in the future" in result.stderr


@pytest.mark.parametrize("month", ["2026-13", "2999-01", "banana"])
def test_a_malformed_or_future_month_is_not_found_on_the_web(client, login_as, month):
    login_as("coordinator")
    assert client.get(f"/reports/monthly/{month}.csv").status_code == 404


def test_a_web_download_is_recorded_in_the_audit_log(client, login_as):
    user = login_as("funder")
    client.get("/reports/monthly/2026-09.csv")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_downloaded"))
    assert (event.user_id, event.record_id) == (user.id, "2026-09")


def test_champions_cannot_download_the_funder_report(client, login_as):
    login_as("champion")
    assert client.get("/reports/monthly/2026-09.csv").status_code == 403


def test_an_anonymous_download_is_sent_to_sign_in(client):
    response = client.get("/reports/monthly/2026-09.csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_month_without_sessions_has_only_totals_skill_areas_and_the_milestone():
    rows = _rows(exports.monthly_csv(SEPTEMBER))[1:]
    # 10 measures' totals + 6 areas × 2 skill measures + 2 milestone rows = 24, all zero but the target.
    assert len(rows) == 24
    assert {row[2] for row in rows} == {"total", "skill_area"}
    assert [row[4] for row in rows if row[1] == "milestone_target"] == ["5000"]
    assert [row[4] for row in rows if row[1] == "learner_hours"] == ["0.0"]
