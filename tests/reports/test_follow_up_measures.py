"""follow_ups_due, follow_ups_reached and learners_progressed (DESIGN.md, "Outcomes"), worked by hand.

December 2026, FOLLOW_UP_DAYS 90: a follow-up falls due in December when the first attendance was
from 2 September to 2 October 2026. Partners Libraries (venue Central), Charity (Hub) and Trust (Annex).

Learner (band, registering partner): first attendance → due date; follow-ups; counted in December as
due / reached / progressed:
- Ann (25-34, Libraries): 5 Sep → 4 Dec; reached 6 Dec, further learning: yes / yes / yes.
- Bob (45-54, Libraries): 10 Sep → 9 Dec; not reached 10 Dec, reached 20 Dec, no to both: yes / yes / no.
- Cat (45-54, Charity): 20 Sep → 19 Dec; may not be contacted: no / no / no.
- Dan (55-64, Charity, came to Central): 1 Oct → 30 Dec; reached 31 Dec, job or volunteering: yes (under
  Charity) / yes / yes.
- Eve (65-74, Libraries): 3 Oct → 1 Jan 2027; none: no / no / no.
- Fay (75+, Libraries): 1 Sep → 30 Nov (due in November); reached 2 Dec, further learning: no / yes / yes.
- Gus (unknown, counted as an adult; Libraries): 3 Sep → 2 Dec; declined 5 Dec: yes / no / no.
- Teen (under-18): never counted.
- Hal (35-44, Libraries): 15 Sep, but his duplicate Hal2 came on 1 Aug → 30 Oct; reached 4 Dec (further
  learning), and Hal2's reached 3 Dec moved to him by the merge: no / once / yes.
"""

import csv
import io
from datetime import date

import pytest

from inclusion.extensions import db
from inclusion.followups.models import ANSWER_COLUMNS, FollowUp
from inclusion.learners.merging import merge_learners
from inclusion.reports import dashboard, funder_csv, metrics
from inclusion.reports.follow_up_figures import NotCountedByVenue
from inclusion.reports.periods import Period
from tests import factories

DECEMBER = Period.month(date(2026, 12, 1))
NO = dict.fromkeys(ANSWER_COLUMNS, False)


def _follow_up(learner, day, outcome="reached", **yes):
    answers = {**NO, **dict.fromkeys(yes, True)} if outcome == "reached" else {}
    db.session.add(FollowUp(learner_id=learner.id, followed_up_on=day, outcome=outcome, **answers))
    db.session.commit()


@pytest.fixture
def follow_ups():
    libraries, charity, trust = (factories.create_partner(name) for name in ("Libraries", "Charity", "Trust"))
    central, hub = factories.create_venue("Central", libraries), factories.create_venue("Hub", charity)
    annex = factories.create_venue("Annex", trust)
    people = {}
    for name, band, partner, venue, first in (
        ("Ann", "25-34", libraries, central, date(2026, 9, 5)),
        ("Bob", "45-54", libraries, central, date(2026, 9, 10)),
        ("Cat", "45-54", charity, hub, date(2026, 9, 20)),
        ("Dan", "55-64", charity, central, date(2026, 10, 1)),
        ("Eve", "65-74", libraries, central, date(2026, 10, 3)),
        ("Fay", "75+", libraries, central, date(2026, 9, 1)),
        ("Gus", "unknown", libraries, central, date(2026, 9, 3)),
        ("Teen", "under-18", libraries, central, date(2026, 9, 5)),
        ("Hal", "35-44", libraries, central, date(2026, 9, 15)),
        ("Hal2", "35-44", libraries, central, date(2026, 8, 1)),
    ):
        fields = {"may_contact": False} if name == "Cat" else {}
        people[name] = factories.create_learner(name, age_band=band, partner=partner, **fields)
        factories.create_session(venue, first, attendees=[people[name]])
    _follow_up(people["Ann"], date(2026, 12, 6), further_learning=True)
    _follow_up(people["Bob"], date(2026, 12, 10), "not-reached")
    _follow_up(people["Bob"], date(2026, 12, 20), still_online=True)
    _follow_up(people["Dan"], date(2026, 12, 31), work_or_volunteering=True)
    _follow_up(people["Fay"], date(2026, 12, 2), further_learning=True)
    _follow_up(people["Gus"], date(2026, 12, 5), "declined")
    _follow_up(people["Teen"], date(2026, 12, 6), further_learning=True)
    _follow_up(people["Hal"], date(2026, 12, 4), further_learning=True)
    _follow_up(people["Hal2"], date(2026, 12, 3), still_online=True)
    merge_learners(people["Hal"].id, people["Hal2"].id, acting_user_id=None)
    # A December session at the Annex only: Trust has a session in the month, the others none.
    factories.create_session(annex, date(2026, 12, 5), attendees=[people["Eve"]])
    return {"libraries": libraries, "charity": charity, "central": central}


def test_follow_ups_due_counts_adults_who_may_be_contacted_due_in_the_month(follow_ups):
    assert metrics.follow_ups_due(DECEMBER) == 4  # Ann, Bob, Dan, Gus
    assert metrics.follow_ups_due(DECEMBER, by="partner") == {"Libraries": 3, "Charity": 1}
    assert metrics.follow_ups_due(DECEMBER, by="age_band") == {"25-34": 1, "45-54": 1, "55-64": 1, "unknown": 1}
    assert metrics.follow_ups_due(DECEMBER, partner_id=follow_ups["charity"].id) == 1  # Dan (not Cat)
    assert metrics.follow_ups_due(Period.month(date(2026, 11, 1))) == 1  # Fay
    assert metrics.follow_ups_due(Period.month(date(2026, 10, 1))) == 1  # Hal, from his duplicate's 1 August
    autumn = Period.months(date(2026, 10, 1), date(2026, 12, 1))
    assert metrics.follow_ups_due(autumn, by="month") == {"2026-10": 1, "2026-11": 1, "2026-12": 4}


def test_follow_ups_due_follows_the_setting(follow_ups, app):
    original, app.config["FOLLOW_UP_DAYS"] = app.config["FOLLOW_UP_DAYS"], 60
    try:  # due in December: first attended 2 October to 1 November
        assert metrics.follow_ups_due(DECEMBER) == 1  # Eve
    finally:
        app.config["FOLLOW_UP_DAYS"] = original


def test_follow_ups_reached_counts_each_adult_reached_in_the_month_once(follow_ups):
    assert metrics.follow_ups_reached(DECEMBER) == 5  # Ann, Bob, Dan, Fay, Hal (with his duplicate's)
    assert metrics.follow_ups_reached(DECEMBER, by="partner") == {"Libraries": 4, "Charity": 1}
    assert metrics.follow_ups_reached(DECEMBER, by="age_band") == {
        "25-34": 1,
        "35-44": 1,
        "45-54": 1,
        "55-64": 1,
        "75+": 1,
    }
    assert metrics.follow_ups_reached(Period.month(date(2026, 11, 1))) == 0


def test_learners_progressed_counts_yes_to_further_learning_or_to_work_or_volunteering(follow_ups):
    assert metrics.learners_progressed(DECEMBER) == 4  # Ann, Dan, Fay, Hal; not Bob
    assert metrics.learners_progressed(DECEMBER, by="partner") == {"Libraries": 3, "Charity": 1}
    assert metrics.learners_progressed(DECEMBER, by="age_band") == {"25-34": 1, "35-44": 1, "55-64": 1, "75+": 1}
    assert metrics.learners_progressed(DECEMBER, partner_id=follow_ups["libraries"].id) == 3


def test_the_follow_up_measures_have_no_venue_rows(follow_ups):
    for measure in metrics.REGISTERING_PARTNER_MEASURES:
        assert metrics.dimensions_of(measure) == ("partner", "age_band")
        with pytest.raises(NotCountedByVenue):
            metrics.ALL_MEASURES[measure](DECEMBER, by="venue")
        with pytest.raises(NotCountedByVenue):
            metrics.ALL_MEASURES[measure](DECEMBER, venue_id=follow_ups["central"].id)


def _cells(app, threshold: int) -> dict:
    original, app.config["SUPPRESSION_THRESHOLD"] = app.config["SUPPRESSION_THRESHOLD"], threshold
    try:
        rows = list(csv.reader(io.StringIO(funder_csv.monthly_csv(DECEMBER, 2).decode())))[1:]
    finally:
        app.config["SUPPRESSION_THRESHOLD"] = original
    return {tuple(row[1:4]): row[4] for row in rows if row[1] in metrics.REGISTERING_PARTNER_MEASURES}


def test_version_2_has_total_partner_and_age_band_rows_and_no_venue_rows(follow_ups, app):
    cells = _cells(app, 0)
    reached = {key[1:]: value for key, value in cells.items() if key[0] == "follow_ups_reached"}
    assert reached == {
        ("total", "all"): "5",
        ("partner", "Charity"): "1",  # no session in December, but not zero: its row is written
        ("partner", "Libraries"): "4",
        ("partner", "Trust"): "0",  # a session in December: a row, zero included
        ("age_band", "25-34"): "1",
        ("age_band", "35-44"): "1",
        ("age_band", "45-54"): "1",
        ("age_band", "55-64"): "1",
        ("age_band", "75+"): "1",
    }
    assert cells[("follow_ups_due", "total", "all")] == "4"
    assert cells[("learners_progressed", "partner", "Libraries")] == "3"
    assert not [key for key in cells if key[1] == "venue"]


def test_version_2_suppresses_small_partner_and_age_band_cells_but_not_totals(follow_ups, app):
    cells = _cells(app, 5)
    assert cells[("follow_ups_reached", "total", "all")] == "5"
    assert cells[("follow_ups_reached", "partner", "Libraries")] == "[c]"
    assert cells[("follow_ups_reached", "partner", "Trust")] == "0"
    assert {value for key, value in cells.items() if key[1] == "age_band"} == {"[c]"}


def test_version_1_is_unchanged_by_the_follow_up_measures(follow_ups, app):
    text = funder_csv.monthly_csv(DECEMBER, 1).decode()
    assert not any(measure in text for measure in metrics.REGISTERING_PARTNER_MEASURES)


def test_the_dashboard_shows_the_follow_up_measures_but_not_for_one_venue(follow_ups):
    today = date(2027, 1, 10)
    board = dashboard.build_dashboard(dashboard.Filters(DECEMBER), today=today, suppressed=False)
    headline = {row["measure"]: row["values"] for row in board.headline}
    assert [headline[m][0] for m in metrics.REGISTERING_PARTNER_MEASURES] == [4, 5, 4]
    assert headline["follow_ups_due"][1] == 1  # November
    charity = dashboard.Filters(DECEMBER, partner_id=follow_ups["charity"].id)
    board = dashboard.build_dashboard(charity, today=today, suppressed=True)
    headline = {row["measure"]: row["values"][0] for row in board.headline}
    assert [headline[m] for m in metrics.REGISTERING_PARTNER_MEASURES] == ["[c]", "[c]", "[c]"]
    at_central = dashboard.Filters(DECEMBER, venue_id=follow_ups["central"].id)
    board = dashboard.build_dashboard(at_central, today=today, suppressed=False)
    assert not set(metrics.REGISTERING_PARTNER_MEASURES) & {row["measure"] for row in board.headline}
    assert len(board.not_by_venue) == 3


def test_a_recorded_follow_up_changes_the_figures_served_from_the_cache(follow_ups, app):
    from inclusion.reports import cache

    learner = factories.create_learner("Ivy", age_band="25-34", partner=follow_ups["libraries"])
    factories.create_session(follow_ups["central"], date(2026, 9, 6), attendees=[learner])
    app.config["REPORT_FIGURE_CACHE"] = True
    try:
        cache.clear()
        assert metrics.follow_ups_reached(DECEMBER) == 5
        _follow_up(learner, date(2026, 12, 7), further_learning=True)
        assert metrics.follow_ups_reached(DECEMBER) == 6
        assert metrics.follow_ups_due(DECEMBER) == 5  # Ivy is due 5 December
        learner.may_contact = False
        db.session.commit()
        assert metrics.follow_ups_due(DECEMBER) == 4  # until she said no
    finally:
        app.config["REPORT_FIGURE_CACHE"] = False
        cache.clear()


def test_the_dashboard_has_a_follow_up_trend_month_by_month(follow_ups, client, login_as):
    board = dashboard.build_dashboard(dashboard.Filters(DECEMBER), today=date(2027, 1, 10), suppressed=False)
    (follow_up_trend,) = [t for t in board.outcome_trends if t["measures"] is dashboard.FOLLOW_UP_TREND]
    trend = {row["month"].key: row["values"] for row in follow_up_trend["rows"]}
    assert len(trend) == 12
    assert trend["2026-10"] == {"follow_ups_due": 1, "follow_ups_reached": 0, "learners_progressed": 0}
    assert trend["2026-12"] == {"follow_ups_due": 4, "follow_ups_reached": 5, "learners_progressed": 4}
    login_as("coordinator")
    page = client.get("/reports/?month=2026-12").get_data(as_text=True)
    assert "Follow-ups month by month" in page
    assert "Learners gone on to learning, work or volunteering" in page
