"""The figures operation: exactly the cells of the month's funder CSV, with clear problems for bad input."""

import csv
import io
from datetime import date

import pytest

from inclusion.core.demo_data import seed_demo
from inclusion.reports import funder_csv
from inclusion.reports.periods import Period, add_months
from inclusion.timeutil import today_in_london
from tests import factories


def _csv_rows(month: str, version: int) -> list[dict]:
    period = Period.month(date.fromisoformat(f"{month}-01"))
    return list(csv.DictReader(io.StringIO(funder_csv.monthly_csv(period, version).decode())))


def _as_csv_text(cell: dict) -> str:
    if cell["suppressed"]:
        assert cell["value"] is None
        return "[c]"
    value = cell["value"]
    return f"{value:.1f}" if isinstance(value, float) else str(value)


@pytest.fixture
def demo(db):
    seed_demo(learners=120, seed=7)


def _recent_months(count: int) -> list[str]:
    first = today_in_london().replace(day=1)
    return [add_months(first, -offset).strftime("%Y-%m") for offset in range(count)]


@pytest.mark.parametrize("version", [1, 2])
def test_the_cells_are_the_funder_csvs_cell_by_cell_for_several_months_of_demo_data(demo, feed, version):
    suppressed = decimals = 0
    for month in _recent_months(4):
        response = feed(f"/figures?month={month}&version={version}")
        assert response.status_code == 200, response.json
        body = response.json
        assert body["month"] == month and body["version"] == version
        rows = _csv_rows(month, version)
        assert len(body["cells"]) == len(rows)
        for cell, row in zip(body["cells"], rows, strict=True):
            assert (cell["measure"], cell["dimension"], cell["category"]) == (
                row["measure"],
                row["dimension"],
                row["category"],
            )
            assert _as_csv_text(cell) == row["value"], (month, row)
            suppressed += cell["suppressed"]
            decimals += isinstance(cell["value"], float)
    assert suppressed and decimals  # the comparison covered both kinds of special cell


def test_values_are_json_numbers_and_suppressed_cells_are_null(db, feed):
    venue = factories.create_venue("Central Library")
    learners = [factories.create_learner() for _ in range(2)]
    factories.create_session(venue, date(2026, 10, 6), duration_minutes=90, attendees=learners)
    cells = {(c["measure"], c["dimension"], c["category"]): c for c in feed("/figures?month=2026-10").json["cells"]}
    assert cells[("adults_helped", "total", "all")] == {
        "measure": "adults_helped",
        "dimension": "total",
        "category": "all",
        "value": 2,
        "suppressed": False,
    }
    assert cells[("adults_helped", "venue", "Central Library")]["value"] is None
    assert cells[("adults_helped", "venue", "Central Library")]["suppressed"] is True
    assert cells[("learner_hours", "total", "all")]["value"] == 3.0
    assert isinstance(cells[("learner_hours", "total", "all")]["value"], float)


def test_the_default_version_is_the_one_funders_are_sent_and_version_1_can_be_asked_for(db, feed, app, monkeypatch):
    assert feed("/figures?month=2026-10").json["version"] == 2
    assert feed("/figures?month=2026-10&version=1").json["version"] == 1
    monkeypatch.setitem(app.config, "FUNDER_CSV_VERSION", 1)
    assert feed("/figures?month=2026-10").json["version"] == 1


def test_a_version_that_does_not_exist_is_a_problem_naming_those_that_do(feed):
    response = feed("/figures?month=2026-10&version=3")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert "Version 3 of the funder CSV is not available yet" in response.json["detail"]
    assert response.json["type"] == "urn:inclusion:problem:version-not-available"
    assert response.json["available"] == [1, 2]


def test_a_future_month_has_no_figures_yet(feed):
    response = feed("/figures?month=2999-01")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["type"] == "urn:inclusion:problem:month-not-available"
    assert "2999-01 is in the future" in response.json["detail"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "month: Missing data for required field."),
        ("?month=October", "month: Write the month as YYYY-MM"),
        ("?month=2026-13", "month: Write the month as YYYY-MM"),
        ("?month=0999-01", "month: Write the month as YYYY-MM"),
        ("?month=2026-10&version=zero", "version: Not a valid integer."),
        ("?month=2026-10&version=0", "version: The version is a whole number, 1 or more"),
    ],
)
def test_bad_parameters_get_a_400_problem_naming_the_parameter(feed, query, message):
    response = feed(f"/figures{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["type"] == "urn:inclusion:problem:invalid-parameter"
    assert body["title"] == "Bad Request" and body["status"] == 400
    assert message in body["detail"]
    assert set(body["errors"]) <= {"month", "version"}


def test_months_run_from_the_first_sessions_month_to_the_current_one(db, feed):
    venue = factories.create_venue()
    first = add_months(today_in_london().replace(day=1), -2)
    factories.create_session(venue, first.replace(day=3), attendees=[factories.create_learner()])
    body = feed("/months").json
    assert [m["month"] for m in body["months"]] == [add_months(first, n).strftime("%Y-%m") for n in range(3)]
    assert [m["complete"] for m in body["months"]] == [True, True, False]
    assert body["versions"] == [1, 2] and body["newest_version"] == 2


def test_no_sessions_means_no_months(feed):
    assert feed("/months").json["months"] == []
