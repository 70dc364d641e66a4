"""confidence_checks_paired and learners_more_confident (DESIGN.md, "Outcomes"), worked by hand."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import insert, select

from inclusion.extensions import db
from inclusion.outcomes.models import ConfidenceCheck, ConfidenceQuestionSet
from inclusion.reports import dashboard, funder_csv, metrics
from inclusion.reports.cache import data_version
from inclusion.reports.models import DataVersion
from inclusion.reports.periods import Period
from tests import factories

SEPTEMBER = Period.month(date(2026, 9, 1))


def _check(learner, venue, stage, day, overall):
    question_set = db.session.scalar(select(ConfidenceQuestionSet.id).where(ConfidenceQuestionSet.is_current))
    db.session.add(
        ConfidenceCheck(
            learner_id=learner.id,
            stage=stage,
            checked_on=day,
            venue_id=venue.id,
            question_set_id=question_set,
            overall=overall,
        )
    )
    db.session.commit()


@pytest.fixture
def checks():
    libraries, charity = factories.create_partner("Libraries"), factories.create_partner("Charity")
    central, hub = factories.create_venue("Central Library", libraries), factories.create_venue("Hub", charity)
    people = {
        name: factories.create_learner(name, age_band=band, partner=libraries)
        for name, band in (
            ("Ann", "25-34"),
            ("Bob", "45-54"),
            ("Cat", "45-54"),
            ("Dan", "55-64"),
            ("Eve", "55-64"),
            ("Fay", "65-74"),
        )
    }
    teen = factories.create_learner("Teen", date_of_birth=date(2010, 1, 1), partner=libraries)
    # Ann: baseline 2 in August; exit 3 at Central and follow-up 4 at the Hub in September → paired
    # under the Hub (her latest), more confident (4 > 2).
    _check(people["Ann"], central, "baseline", date(2026, 8, 20), 2)
    _check(people["Ann"], central, "exit", date(2026, 9, 5), 3)
    _check(people["Ann"], hub, "follow-up", date(2026, 9, 25), 4)
    # Bob: 3 then 3 at Central → paired, not more confident.
    _check(people["Bob"], central, "baseline", date(2026, 9, 1), 3)
    _check(people["Bob"], central, "exit", date(2026, 9, 10), 3)
    # Cat: skipped the overall question at baseline, 5 at exit → paired, not counted as more confident.
    _check(people["Cat"], central, "baseline", date(2026, 9, 2), None)
    _check(people["Cat"], central, "exit", date(2026, 9, 12), 5)
    # Dan: an exit check and no baseline → not paired. Eve: her exit is in October → not in September.
    _check(people["Dan"], central, "exit", date(2026, 9, 3), 5)
    _check(people["Eve"], central, "baseline", date(2026, 9, 1), 1)
    _check(people["Eve"], central, "exit", date(2026, 10, 2), 5)
    # Fay: baseline 1 in July, exit 5 at the Hub in September → paired (Hub), more confident.
    _check(people["Fay"], central, "baseline", date(2026, 7, 1), 1)
    _check(people["Fay"], hub, "exit", date(2026, 9, 15), 5)
    # The under-18: never counted.
    _check(teen, central, "baseline", date(2026, 9, 1), 1)
    _check(teen, central, "exit", date(2026, 9, 2), 5)
    # A session in September at each venue, so both appear in the CSV's venue rows.
    factories.create_session(central, date(2026, 9, 1), attendees=[people["Bob"]])
    factories.create_session(hub, date(2026, 9, 1), attendees=[people["Ann"]])
    return libraries


def test_paired_checks_count_adults_with_a_baseline_and_a_later_check_in_the_month(checks):
    assert metrics.confidence_checks_paired(SEPTEMBER) == 4  # Ann, Bob, Cat, Fay
    assert metrics.confidence_checks_paired(SEPTEMBER, by="venue") == {"Central Library": 2, "Hub": 2}
    assert metrics.confidence_checks_paired(SEPTEMBER, by="partner") == {"Libraries": 2, "Charity": 2}
    assert metrics.confidence_checks_paired(SEPTEMBER, by="age_band") == {"25-34": 1, "45-54": 2, "65-74": 1}
    assert metrics.confidence_checks_paired(Period.month(date(2026, 10, 1))) == 1  # Eve


def test_more_confident_compares_the_latest_later_check_with_the_baseline(checks):
    assert metrics.learners_more_confident(SEPTEMBER) == 2  # Ann and Fay
    assert metrics.learners_more_confident(SEPTEMBER, by="venue") == {"Hub": 2}
    assert metrics.learners_more_confident(SEPTEMBER, partner_id=checks.id) == 0
    assert metrics.learners_more_confident(SEPTEMBER, by="age_band") == {"25-34": 1, "65-74": 1}


def test_version_2_and_the_dashboard_show_the_confidence_measures(checks, app):
    original, app.config["SUPPRESSION_THRESHOLD"] = app.config["SUPPRESSION_THRESHOLD"], 0
    try:
        rows = list(csv.reader(io.StringIO(funder_csv.monthly_csv(SEPTEMBER, 2).decode())))[1:]
    finally:
        app.config["SUPPRESSION_THRESHOLD"] = original
    cells = {tuple(row[1:4]): row[4] for row in rows if row[1] == "learners_more_confident"}
    assert cells == {
        ("learners_more_confident", "total", "all"): "2",
        ("learners_more_confident", "partner", "Charity"): "2",
        ("learners_more_confident", "partner", "Libraries"): "0",
        ("learners_more_confident", "venue", "Central Library"): "0",
        ("learners_more_confident", "venue", "Hub"): "2",
        ("learners_more_confident", "age_band", "25-34"): "1",
        ("learners_more_confident", "age_band", "65-74"): "1",
    }
    board = dashboard.build_dashboard(dashboard.Filters(SEPTEMBER), today=date(2026, 10, 15), suppressed=False)
    headline = {row["measure"]: row["values"][0] for row in board.headline}
    assert (headline["confidence_checks_paired"], headline["learners_more_confident"]) == (4, 2)


def test_recording_a_check_changes_the_data_version_so_cached_figures_are_not_served(checks):
    with db.engine.begin() as connection:
        connection.execute(DataVersion.__table__.delete())
        connection.execute(insert(DataVersion).values(id=1, version=1))
    learner = factories.create_learner(age_band="25-34")
    venue = factories.create_venue("Another")
    before = data_version()
    _check(learner, venue, "baseline", date(2026, 9, 1), 3)
    assert data_version() != before


def test_the_confidence_trend_gives_each_month_its_own_figure(checks):
    july_to_october = Period(date(2026, 7, 1), date(2026, 10, 31))
    assert metrics.confidence_checks_paired(july_to_october, by="month") == {"2026-09": 4, "2026-10": 1}
    assert metrics.learners_more_confident(july_to_october, by="month") == {"2026-09": 2, "2026-10": 1}  # Eve 1 → 5
    assert metrics.learners_more_confident(july_to_october, partner_id=checks.id, by="month") == {"2026-10": 1}


def test_the_dashboard_charts_the_confidence_measures_and_hides_small_numbers_for_a_funder_at_one_place(checks):
    board = dashboard.build_dashboard(dashboard.Filters(SEPTEMBER), today=date(2026, 10, 15), suppressed=False)
    (trend,) = [trend for trend in board.outcome_trends if trend["heading"] == "Confidence before and after"]
    september = trend["rows"][-1]
    assert september["month"].key == "2026-09"
    assert september["values"] == {"confidence_checks_paired": 4, "learners_more_confident": 2}

    at_libraries = dashboard.Filters(SEPTEMBER, partner_id=checks.id, partner_name="Libraries")
    funder = dashboard.build_dashboard(at_libraries, today=date(2026, 10, 15), suppressed=True)
    (trend,) = [trend for trend in funder.outcome_trends if trend["heading"] == "Confidence before and after"]
    # At Libraries' venues in September: Bob and Cat paired (2, under the threshold), none more confident.
    assert trend["rows"][-1]["values"] == {"confidence_checks_paired": "[c]", "learners_more_confident": 0}


def test_the_dashboard_page_shows_the_outcome_trends_with_their_tables(checks, client, login_as):
    login_as("coordinator")
    html = client.get("/reports/?month=2026-09&partner=&venue=").get_data(as_text=True)
    for heading in ("Confidence before and after", "Skills levels reached"):
        assert f">{heading}</h3>" in html and f"{heading}: the chart's figures, month by month" in html
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">More confident</th>' in html
