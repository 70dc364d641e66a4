"""A write leaves stored the figures of periods that end before the earliest day it reaches.

The rules are inclusion/reports/reach.py; each test here counts the figure queries a second ask
sends (0: served from the cache) after one kind of write.
"""

from datetime import date

import pytest
from sqlalchemy import event, select, update

from inclusion.extensions import db as _db
from inclusion.learners.models import Learner
from inclusion.reports import cache, metrics
from inclusion.reports.models import DataVersionMonth
from inclusion.reports.periods import Period
from inclusion.sessions import services as sessions
from inclusion.sessions.models import LearningSession
from tests import factories
from tests.reports.test_figure_cache import _statements, cached  # noqa: F401  (the fixture)

SEPTEMBER = Period.month(date(2026, 9, 1))
OCTOBER = Period.month(date(2026, 10, 1))
NOVEMBER = Period.month(date(2026, 11, 1))
YEAR = Period(date(2025, 12, 1), date(2026, 11, 30))


@pytest.fixture
def alliance(cached, db):  # noqa: F811
    venue = factories.create_venue()
    ann, bob = factories.create_learner(), factories.create_learner()
    factories.create_session(venue, date(2026, 9, 8), attendees=[ann], skills={ann: ["FND-01"]})
    factories.create_session(venue, date(2026, 10, 6), attendees=[ann, bob])
    factories.create_session(venue, date(2026, 11, 3), attendees=[bob])
    return venue, ann, bob


def _figure_queries(db, work) -> int:
    return _statements(db, work, lambda statement: "data_version" not in statement and statement != "BEGIN")


def _ask_all():
    return [metrics.adults_helped(month) for month in (SEPTEMBER, OCTOBER, NOVEMBER)] + [
        metrics.adults_helped_to_date(OCTOBER),
        metrics.adults_helped(YEAR, by="month"),
    ]


def _queries_to_ask_again(db) -> dict[str, int]:
    """Per figure asked, how many figure queries asking it now sends."""
    asks = {
        "September": lambda: metrics.adults_helped(SEPTEMBER),
        "October": lambda: metrics.adults_helped(OCTOBER),
        "November": lambda: metrics.adults_helped(NOVEMBER),
        "to date, October": lambda: metrics.adults_helped_to_date(OCTOBER),
    }
    return {name: _figure_queries(db, ask) for name, ask in asks.items()}


def test_a_session_logged_in_a_month_leaves_the_months_before_it_stored(alliance, db):
    venue, ann, bob = alliance
    assert _ask_all()[:3] == [1, 2, 1]

    factories.create_session(venue, date(2026, 10, 20), attendees=[factories.create_learner(partner=venue.partner)])

    assert _queries_to_ask_again(db) == {"September": 0, "October": 1, "November": 1, "to date, October": 1}
    assert [metrics.adults_helped(month) for month in (SEPTEMBER, OCTOBER, NOVEMBER)] == [1, 3, 1]


def test_a_trend_counts_again_only_the_months_a_write_reaches(alliance, db):
    venue, _ann, _bob = alliance
    assert metrics.adults_helped(YEAR, by="month") == {"2026-09": 1, "2026-10": 2, "2026-11": 1}
    factories.create_session(venue, date(2026, 11, 17), attendees=[factories.create_learner(partner=venue.partner)])

    statements = []

    def record(_conn, _cursor, statement, *_args):
        if "data_version" not in statement and statement != "BEGIN":
            statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        trend = metrics.adults_helped(YEAR, by="month")
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)

    assert trend == {"2026-09": 1, "2026-10": 2, "2026-11": 2}
    assert len(statements) == 1
    assert statements[0].count("UNION ALL") == 0  # one month's arm: November's, not twelve


def test_re_dating_a_session_reaches_the_earlier_of_its_two_dates(alliance, db):
    venue, ann, bob = alliance
    _ask_all()
    november = _db.session.scalar(select(LearningSession).where(LearningSession.session_date == date(2026, 11, 3)))
    user = factories.create_user(role="coordinator", partner=venue.partner)
    attendees, skills = sessions.current_attendance(november)
    details = sessions.SessionDetails(
        session_date=date(2026, 9, 15),
        venue_id=november.venue_id,
        duration_minutes=november.duration_minutes,
        attendees=attendees,
        skills=skills,
    )
    sessions.update_session(user, november, details)

    assert _queries_to_ask_again(db)["September"] == 1
    assert [metrics.adults_helped(month) for month in (SEPTEMBER, OCTOBER, NOVEMBER)] == [2, 2, 0]


def test_changing_a_learners_age_reaches_all_of_history(alliance, db):
    _venue, ann, _bob = alliance
    _ask_all()

    _db.session.execute(update(Learner).where(Learner.id == ann.id).values(age_band="under-18"))
    _db.session.commit()

    assert set(_queries_to_ask_again(db).values()) == {1}
    assert [metrics.adults_helped(month) for month in (SEPTEMBER, OCTOBER, NOVEMBER)] == [0, 1, 1]


def test_registering_a_learner_reaches_no_figure(alliance, db):
    venue, _ann, _bob = alliance
    _ask_all()
    before = cache.read_versions().months

    factories.create_learner(partner=venue.partner)

    assert cache.read_versions().months == before
    assert set(_queries_to_ask_again(db).values()) == {0}


def test_a_write_records_the_first_of_the_month_it_reaches(alliance, db):
    venue, _ann, _bob = alliance
    factories.create_session(venue, date(2026, 10, 20), attendees=[factories.create_learner()])
    factories.create_venue()  # a new venue: who belongs where reaches all of history

    months = set(_db.session.scalars(select(DataVersionMonth.month)))

    assert {date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1), date(1, 1, 1)} <= months
    assert all(month.day == 1 for month in months)


def test_months_no_write_is_recorded_as_reaching_are_kept_under_every_write(alliance, db):
    """A database written before the months were recorded (or emptied of them) keys those figures on
    every write, as before the months existed: two databases at one address never share a key."""
    with _db.engine.begin() as connection:
        connection.execute(DataVersionMonth.__table__.delete())
    db.session.rollback()
    assert metrics.adults_helped(OCTOBER) == 2
    assert _figure_queries(db, lambda: metrics.adults_helped(OCTOBER)) == 0

    with _db.engine.begin() as connection:  # any write: a new plain data version, no month recorded
        connection.execute(update(cache.DataVersion).values(version=cache.DataVersion.version + 1))
    db.session.rollback()

    assert _figure_queries(db, lambda: metrics.adults_helped(OCTOBER)) > 0
