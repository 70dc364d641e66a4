"""learners_reaching_foundation and learners_reaching_life_skills (DESIGN.md, "Outcomes"), worked by hand."""

import csv
import io
from datetime import date

import pytest

from inclusion.extensions import db
from inclusion.learners.merging import merge_learners
from inclusion.reports import dashboard, funder_csv, metrics
from inclusion.reports.periods import Period
from inclusion.sessions.models import Skill
from tests import factories

AUGUST = Period.month(date(2026, 8, 1))
SEPTEMBER = Period.month(date(2026, 9, 1))
FOUNDATION = [f"FND-{number:02d}" for number in range(1, 10)]  # the framework's nine


def _local_skill(code: str, area: str) -> None:
    db.session.add(
        Skill(code=code, area=area, title=f"Local {code}", framework="local", framework_version="1", is_local=True)
    )
    db.session.commit()


@pytest.fixture
def levels():
    """Two partners, a venue each; who reached which level when and where is in the comments."""
    _local_skill("FND-90", "FND")
    _local_skill("SAF-90", "SAF")
    libraries, charity = factories.create_partner("Libraries"), factories.create_partner("Charity")
    central, hub = factories.create_venue("Central Library", libraries), factories.create_venue("Hub", charity)
    xena = factories.create_learner("Xena", age_band="25-34", partner=libraries)
    yusuf = factories.create_learner("Yusuf", age_band="45-54", partner=libraries)
    zara = factories.create_learner("Zara", age_band="65-74", partner=charity)
    will = factories.create_learner("Will", age_band="65-74", partner=charity)
    teen = factories.create_learner("Teen", date_of_birth=date(2010, 1, 1), partner=charity)
    # August at Central: Xena eight foundation skills and COM, HIC, TRA; Zara all nine (foundation in
    # August); Will eight foundation and four life areas (never either level).
    factories.create_session(
        central,
        date(2026, 8, 20),
        attendees=[xena, zara, will],
        skills={
            xena: FOUNDATION[:8] + ["COM-01", "HIC-01", "TRA-01"],
            zara: FOUNDATION,
            will: FOUNDATION[:8] + ["COM-01", "HIC-01", "TRA-01", "PRB-01"],
        },
    )
    # 3 September at Central: Xena PRB. 5 September at the Hub: Xena the ninth foundation skill
    # (foundation in September, at the Hub). 6 September at the Hub: Xena a local SAF skill (life
    # skills in September, at the Hub; local skills count).
    factories.create_session(central, date(2026, 9, 3), attendees=[xena], skills={xena: ["PRB-01"]})
    factories.create_session(hub, date(2026, 9, 5), attendees=[xena], skills={xena: ["FND-09"]})
    factories.create_session(hub, date(2026, 9, 6), attendees=[xena], skills={xena: ["SAF-90"]})
    # 10 September at Central: Yusuf all nine foundation skills and one of each life area (both levels
    # in September, at Central), and the local FND-90 (not needed, changes nothing); the under-18 too
    # (never counted). 20 September at the Hub: Yusuf FND-01 again (already held: not a new completion).
    everything = FOUNDATION + ["FND-90", "COM-02", "HIC-02", "TRA-02", "PRB-02", "SAF-02"]
    factories.create_session(
        central, date(2026, 9, 10), attendees=[yusuf, teen], skills={yusuf: everything, teen: everything}
    )
    factories.create_session(hub, date(2026, 9, 20), attendees=[yusuf], skills={yusuf: ["FND-01"]})
    return {"xena": xena, "yusuf": yusuf, "zara": zara, "will": will, "hub": hub, "libraries": libraries}


def test_foundation_counts_each_adult_once_in_the_month_and_at_the_venue_that_completed_it(levels):
    assert metrics.learners_reaching_foundation(SEPTEMBER) == 2  # Xena and Yusuf
    assert metrics.learners_reaching_foundation(AUGUST) == 1  # Zara
    assert metrics.learners_reaching_foundation(SEPTEMBER, by="venue") == {"Central Library": 1, "Hub": 1}
    assert metrics.learners_reaching_foundation(SEPTEMBER, by="partner") == {"Libraries": 1, "Charity": 1}
    assert metrics.learners_reaching_foundation(SEPTEMBER, by="age_band") == {"25-34": 1, "45-54": 1}
    assert metrics.learners_reaching_foundation(Period(date(2026, 8, 1), date(2026, 9, 30))) == 3


def test_life_skills_need_one_skill_in_each_of_five_areas_and_local_skills_count(levels):
    assert metrics.learners_reaching_life_skills(SEPTEMBER) == 2  # Xena (local SAF) and Yusuf
    assert metrics.learners_reaching_life_skills(AUGUST) == 0
    assert metrics.learners_reaching_life_skills(SEPTEMBER, by="venue") == {"Central Library": 1, "Hub": 1}
    libraries = levels["libraries"].id  # Central Library's partner
    assert metrics.learners_reaching_life_skills(SEPTEMBER, partner_id=libraries) == 1  # Yusuf, at Central


def test_a_merged_duplicates_skills_count_towards_the_learner_kept(levels):
    """Will's duplicate record gained the ninth foundation skill in September: with the two merged, Will
    reached foundation in September (counted once, as the learner kept)."""
    will = levels["will"]
    duplicate = factories.create_learner("Will", age_band="65-74", partner=will.registered_partner)
    factories.create_session(
        levels["hub"], date(2026, 9, 25), attendees=[duplicate], skills={duplicate: ["FND-09", "SAF-01"]}
    )
    assert metrics.learners_reaching_foundation(SEPTEMBER) == 2
    merge_learners(will.id, duplicate.id, acting_user_id=None)
    assert metrics.learners_reaching_foundation(SEPTEMBER) == 3
    assert metrics.learners_reaching_life_skills(SEPTEMBER) == 3  # Will's four areas and the duplicate's SAF
    assert metrics.learners_reaching_foundation(SEPTEMBER, by="age_band") == {"25-34": 1, "45-54": 1, "65-74": 1}


def test_version_2_of_the_csv_has_both_levels_with_partner_venue_and_age_band_rows(levels, app):
    app.config["SUPPRESSION_THRESHOLD"], original = 0, app.config["SUPPRESSION_THRESHOLD"]
    try:
        rows = list(csv.reader(io.StringIO(funder_csv.monthly_csv(SEPTEMBER, 2).decode())))[1:]
    finally:
        app.config["SUPPRESSION_THRESHOLD"] = original
    cells = {tuple(row[1:4]): row[4] for row in rows if row[1].startswith("learners_reaching")}
    assert cells == {
        ("learners_reaching_foundation", "total", "all"): "2",
        ("learners_reaching_foundation", "partner", "Charity"): "1",
        ("learners_reaching_foundation", "partner", "Libraries"): "1",
        ("learners_reaching_foundation", "venue", "Central Library"): "1",
        ("learners_reaching_foundation", "venue", "Hub"): "1",
        ("learners_reaching_foundation", "age_band", "25-34"): "1",
        ("learners_reaching_foundation", "age_band", "45-54"): "1",
        ("learners_reaching_life_skills", "total", "all"): "2",
        ("learners_reaching_life_skills", "partner", "Charity"): "1",
        ("learners_reaching_life_skills", "partner", "Libraries"): "1",
        ("learners_reaching_life_skills", "venue", "Central Library"): "1",
        ("learners_reaching_life_skills", "venue", "Hub"): "1",
        ("learners_reaching_life_skills", "age_band", "25-34"): "1",
        ("learners_reaching_life_skills", "age_band", "45-54"): "1",
    }
    assert "learners_reaching_foundation" not in funder_csv.monthly_csv(SEPTEMBER, 1).decode()


def test_with_suppression_the_level_rows_are_hidden_like_adults_helped_but_not_the_totals(levels):
    rows = list(csv.reader(io.StringIO(funder_csv.monthly_csv(SEPTEMBER, 2).decode())))[1:]
    cells = {tuple(row[1:4]): row[4] for row in rows if row[1] == "learners_reaching_foundation"}
    assert cells[("learners_reaching_foundation", "total", "all")] == "2"
    assert {value for key, value in cells.items() if key[1] != "total"} == {"[c]"}


def test_the_dashboard_shows_both_levels(levels):
    board = dashboard.build_dashboard(dashboard.Filters(SEPTEMBER), today=date(2026, 10, 15), suppressed=False)
    headline = {row["measure"]: row["values"][0] for row in board.headline}
    assert (headline["learners_reaching_foundation"], headline["learners_reaching_life_skills"]) == (2, 2)


def test_the_learner_page_shows_foundation_skills_held_of_nine(levels, client, login_as):
    login_as("coordinator")
    xena = client.get(f"/learners/{levels['xena'].reference}").get_data(as_text=True)
    will = client.get(f"/learners/{levels['will'].reference}").get_data(as_text=True)
    assert "9 of 9" in xena and "5 of 5" in xena
    assert "8 of 9" in will and "4 of 5" in will
    assert "Foundation skills" in will and "Life skills areas" in will


def test_the_levels_trend_gives_each_month_its_own_figure(levels):
    august_to_october = Period(date(2026, 8, 1), date(2026, 10, 31))
    assert metrics.learners_reaching_foundation(august_to_october, by="month") == {"2026-08": 1, "2026-09": 2}
    assert metrics.learners_reaching_life_skills(august_to_october, by="month") == {"2026-09": 2}
    libraries = levels["libraries"].id  # at Central: Zara in August, Yusuf in September (Xena at the Hub)
    by_month = metrics.learners_reaching_foundation(august_to_october, partner_id=libraries, by="month")
    assert by_month == {"2026-08": 1, "2026-09": 1}
    for month in august_to_october.each_month():
        for measure in (metrics.learners_reaching_foundation, metrics.learners_reaching_life_skills):
            assert measure(august_to_october, by="month").get(month.key, 0) == measure(month)


def test_the_dashboard_charts_the_levels_month_by_month(levels):
    board = dashboard.build_dashboard(dashboard.Filters(SEPTEMBER), today=date(2026, 10, 15), suppressed=False)
    (trend,) = [trend for trend in board.outcome_trends if trend["heading"] == "Skills levels reached"]
    months = {row["month"].key: row["values"] for row in trend["rows"]}
    assert len(months) == 12 and list(months)[-1] == "2026-09"
    assert months["2026-08"] == {"learners_reaching_foundation": 1, "learners_reaching_life_skills": 0}
    assert months["2026-09"] == {"learners_reaching_foundation": 2, "learners_reaching_life_skills": 2}
    assert trend["max"] == 2
