"""The benchmark's SQL floor computes exactly the figures the dashboard shows (bench/floor.py)."""

from datetime import date

from sqlalchemy import select, text

from bench import floor
from inclusion.core.generate import generate
from inclusion.extensions import db
from inclusion.partners.models import Venue
from inclusion.reports import dashboard, metrics
from inclusion.reports.periods import Period
from inclusion.sessions.models import Attendance
from inclusion.signposts.models import Signpost

OCTOBER = Period.month(date(2026, 10, 1))


def _rows_as_dict(rows) -> dict:
    return {category: value for category, value in rows if value}


def _signposts_to_a_partner_arriving_in(period: Period) -> None:
    """The generated signposts that arrive are mostly to a venue: three to a partner, arriving in `period`."""
    visits = db.session.execute(
        select(Attendance.learner_id, Attendance.session_date, Venue.partner_id)
        .join(Venue, Venue.id == Attendance.venue_id)
        .where(Attendance.session_date.between(period.start, period.end))
        .order_by(Attendance.id)
        .limit(3)
    ).all()
    for learner_id, day, partner_id in visits:
        elsewhere = db.session.scalar(select(Venue.id).where(Venue.partner_id != partner_id).limit(1))
        db.session.add(Signpost(learner_id=learner_id, made_on=day, venue_id=elsewhere, to_partner_id=partner_id))
    db.session.commit()


def test_every_floor_query_gives_the_dashboards_figure(app):
    # Devices and loans too, so that every figure of the dashboard has something to count.
    generate(1000, 500, seed=11, until=date(2026, 10, 31), devices=80, loans=400, progress=lambda _message: None)
    _signposts_to_a_partner_arriving_in(OCTOBER)
    with db.engine.connect() as connection:
        found = floor.compute(connection, OCTOBER)
    scalar = {name: rows[0][0] for name, rows in found.items() if len(rows) == 1 and len(rows[0]) == 1}

    for label, period in (("", OCTOBER), ("previous_", OCTOBER.previous()), ("year_earlier_", OCTOBER.year_earlier())):
        for name in floor.HEADLINE:
            assert float(scalar[f"{label}{name}"]) == float(metrics.ALL_MEASURES[name](period)), (label, name)
    for name in set(floor.HEADLINE) - {"learners_reaching_foundation", "learners_reaching_life_skills"}:
        # A floor query that counted nothing would agree with an empty figure: each counts something here.
        assert any(scalar[f"{label}{name}"] for label in ("", "previous_", "year_earlier_")), name
    for name in floor.DEVICES:
        assert scalar[name] == metrics.ALL_MEASURES[name](OCTOBER), name
    # Gifts are rare in a month of this small alliance: the same queries over three years count some of each.
    years = Period(date(2023, 11, 1), OCTOBER.end)
    with db.engine.connect() as connection:
        for name, (sql, _parameters) in floor.queries(OCTOBER, connection.dialect.name).items():
            if name in floor.DEVICES:
                value = connection.execute(text(sql), {"start": years.start, "end": years.end}).scalar()
                assert value == metrics.ALL_MEASURES[name](years) > 0, name
    assert scalar["adults_helped_to_date"] == metrics.adults_helped_to_date(OCTOBER)
    assert scalar["milestone_target"] == metrics.milestone_target()
    window = Period(date(2026, 8, 3), date(2026, 10, 31))
    assert scalar["projection_new_learners"] == metrics.new_learners(window)

    span = Period(date(2025, 11, 1), date(2026, 10, 31))
    trends = [measure for measure, _label in dashboard.TREND_MEASURES]
    trends += [measure for _heading, measures in dashboard.OUTCOME_TRENDS for measure, _label in measures]
    assert {f"trend_{measure}" for measure in trends} == set(floor.TRENDS) | set(floor.TRENDS_ONCE)  # every trend drawn
    for measure in trends:
        expected = metrics.ALL_MEASURES[measure](span, by="month")
        assert _rows_as_dict(found[f"trend_{measure}"]) == expected, measure
        assert sum(expected.values()) > 0, f"{measure}: the generated data should give the trend something to show"
    assert _rows_as_dict(found["skills_gained_by_area"]) == metrics.skills_gained(OCTOBER, by="skill_area")
    assert _rows_as_dict(found["learners_gaining_skills_by_area"]) == metrics.learners_gaining_skills(
        OCTOBER, by="skill_area"
    )
    headline = {m for m, _label in dashboard.HEADLINE_MEASURES}
    assert headline <= set(floor.HEADLINE) | {"returning_learners"}  # returning: adults helped − new learners
    assert {m for m, _label in dashboard.DEVICE_MEASURES} == set(floor.DEVICES)
    for dimension in ("partner", "venue", "age_band"):
        for measure, _label in dashboard.BREAKDOWN_MEASURES:
            expected = metrics.MEASURES[measure](OCTOBER, by=dimension)
            assert _rows_as_dict(found[f"{measure}_by_{dimension}"]) == expected, (measure, dimension)
    assert len(found) == 3 * len(floor.HEADLINE) + len(floor.DEVICES) + len(floor.MILESTONE) + len(floor.TRENDS) + len(
        floor.TRENDS_ONCE
    ) + len(floor.BREAKDOWNS)
