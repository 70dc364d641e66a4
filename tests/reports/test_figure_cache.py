"""The figure cache serves a figure again only while the data behind it is unchanged."""

import time
from datetime import date

import pytest
from sqlalchemy import event, insert, select, update

from inclusion.reports import cache, metrics
from inclusion.reports.models import DataVersion
from inclusion.reports.periods import Period
from inclusion.sessions.models import Attendance
from tests import factories

OCTOBER = Period.month(date(2026, 10, 1))


@pytest.fixture
def cached(app, db):
    """The cache on, with a data version no earlier test can have used."""
    app.config["REPORT_FIGURE_CACHE"] = True
    cache.clear()
    with db.engine.begin() as connection:
        connection.execute(DataVersion.__table__.delete())
        connection.execute(insert(DataVersion).values(id=1, version=time.time_ns()))
    yield
    app.config["REPORT_FIGURE_CACHE"] = False
    cache.clear()


def _statements(db, work, counted) -> int:
    """How many statements `work()` sends for which `counted(statement)` holds."""
    statements = []

    def _count(_connection, _cursor, statement, *_args):
        if counted(statement):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)
    return len(statements)


def _figure_queries(db, work) -> int:
    return _statements(db, work, lambda statement: "data_version" not in statement)


def test_a_figure_asked_for_twice_is_computed_once(cached, db):
    venue = factories.create_venue()
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])

    assert metrics.adults_helped(OCTOBER) == 1
    assert _figure_queries(db, lambda: metrics.adults_helped(OCTOBER)) == 0


def test_logging_a_session_changes_the_data_version_and_the_figure(cached, db):
    venue = factories.create_venue()
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])
    assert metrics.adults_helped(OCTOBER) == 1
    before = cache.data_version()

    factories.create_session(venue, date(2026, 10, 7), attendees=[factories.create_learner()])

    assert cache.data_version() != before
    assert metrics.adults_helped(OCTOBER) == 2


def test_a_write_outside_the_orm_changes_the_figure_too(cached, db):
    venue = factories.create_venue()
    learner = factories.create_learner()
    factories.create_session(venue, date(2026, 10, 6), attendees=[learner])
    assert metrics.adults_helped_to_date(OCTOBER, by="age_band") == {learner.age_band: 1}

    with db.engine.begin() as connection:  # as a bulk job or psql would
        connection.execute(update(type(learner)).where(type(learner).id == learner.id).values(age_band="under-18"))
    db.session.rollback()  # a new request: this session's read transaction began before the write

    assert metrics.adults_helped_to_date(OCTOBER, by="age_band") == {}
    assert metrics.adults_helped_to_date(OCTOBER) == 0


def test_deleting_attendances_changes_the_figure(cached, db):
    venue = factories.create_venue()
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])
    assert metrics.attendances(OCTOBER) == 1

    with db.engine.begin() as connection:
        connection.execute(Attendance.__table__.delete())
    db.session.rollback()

    assert metrics.attendances(OCTOBER) == 0


def test_a_breakdown_from_the_cache_can_be_changed_by_its_caller_without_harm(cached, db):
    venue = factories.create_venue()
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])
    first = metrics.adults_helped(OCTOBER, by="venue")
    first.clear()

    assert metrics.adults_helped(OCTOBER, by="venue") == {venue.name: 1}


def test_without_the_data_version_row_nothing_is_cached(cached, db):
    venue = factories.create_venue()
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])
    with db.engine.begin() as connection:
        connection.execute(DataVersion.__table__.delete())

    metrics.adults_helped(OCTOBER)

    assert db.session.scalar(select(DataVersion.version)) is None
    assert _figure_queries(db, lambda: metrics.adults_helped(OCTOBER)) > 0


def _version_reads(db, work) -> int:
    return _statements(db, work, lambda statement: "FROM data_version" in statement)


def test_a_block_of_figures_reads_the_data_version_once_and_caches_under_it(cached, db):
    venue = factories.create_venue()
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])

    def figures():
        with cache.one_version():
            return metrics.adults_helped(OCTOBER), metrics.attendances(OCTOBER), metrics.new_learners(OCTOBER)

    assert _version_reads(db, figures) == 1
    assert _version_reads(db, lambda: metrics.adults_helped(OCTOBER)) == 1  # outside a block: a read per figure
    assert _figure_queries(db, figures) == 0  # stored under the version pinned, found under the current one

    factories.create_session(venue, date(2026, 10, 7), attendees=[factories.create_learner()])
    assert figures() == (2, 2, 2)  # the next block reads the new version


def test_the_dashboard_and_the_funder_csv_read_the_data_version_once(cached, db, client, login_as):
    from inclusion.reports import funder_csv

    venue = factories.create_venue()
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])
    login_as("coordinator")
    assert _version_reads(db, lambda: funder_csv.monthly_csv(OCTOBER)) == 1

    def dashboard():
        assert client.get("/reports/?month=2026-10").status_code == 200

    assert _version_reads(db, dashboard) <= 2  # the figures' read, and at most one by the page around them
