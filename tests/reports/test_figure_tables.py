"""Every table a cached figure reads changes the data version when written (no stale figure).

The tables are not listed here: the first test runs every cached figure with every breakdown
and scope and records the tables its SQL names; they must all be in the derived
FIGURE_TABLES, and every one of those must have its data-version trigger in the migrated
database and change the version when a row of it is written.
"""

from datetime import date

import pytest
from sqlalchemy import Table, event, text
from sqlalchemy.sql import visitors

from inclusion.extensions import db
from inclusion.followups.models import FollowUp
from inclusion.outcomes.models import ANSWER_COLUMNS
from inclusion.outcomes.services import CheckDetails, record_check
from inclusion.reports import cache, metrics
from inclusion.reports.figure_tables import FIGURE_TABLES
from inclusion.reports.periods import Period
from inclusion.reports.triggers import definitions
from tests import factories
from tests.reports.keys_support import put_back_data_version

OCTOBER = Period.month(date(2026, 10, 1))


@pytest.fixture
def history(db):
    venue = factories.create_venue()
    ann = factories.create_learner()
    factories.create_session(venue, date(2026, 10, 6), attendees=[ann], skills={ann: ["FND-01"]})
    # A row in every table a figure reads, so a row-level trigger (SQLite) has a row to fire on.
    champion = factories.create_user("champion", partner=venue.partner)
    answers = dict.fromkeys(ANSWER_COLUMNS, 3)
    record_check(champion, ann.reference, CheckDetails("baseline", date(2026, 10, 6), venue.id, answers))
    db.session.add(FollowUp(learner_id=ann.id, followed_up_on=date(2026, 10, 20), outcome="declined"))
    db.session.commit()
    factories.create_loan(factories.create_device(venue), ann, lent_on=date(2026, 10, 6))
    factories.create_device_gift(factories.create_device(venue), ann, given_on=date(2026, 10, 6))
    factories.create_data_gift(ann, venue, given_on=date(2026, 10, 6))
    factories.create_signpost(ann, venue, date(2026, 10, 6), to_venue=factories.create_venue())
    put_back_data_version()
    return venue


def tables_read_by_every_figure(venue) -> set[str]:
    read: set[str] = set()

    def record(_conn, clause, *_args):
        for element in visitors.iterate(clause):
            if isinstance(element, Table):
                read.add(element.name)

    event.listen(db.engine, "before_execute", record)
    try:
        for figure in cache.FIGURES:
            name = figure.__name__
            breakdowns = (None, *metrics.dimensions_of(name)) if name in metrics.MEASURES else (None,)
            scopes = [{}, {"partner_id": venue.partner_id}, {"venue_id": venue.id}]
            if name in metrics.REGISTERING_PARTNER_MEASURES:  # no venue rows, so no venue scope
                scopes.pop()
            for scope in scopes:
                for by in breakdowns:
                    figure.uncached(OCTOBER, by=by, **scope)
    finally:
        event.remove(db.engine, "before_execute", record)
    return read - {"data_version"}


def test_every_table_a_cached_figure_reads_is_one_the_cache_is_invalidated_by(history):
    read = tables_read_by_every_figure(history)

    assert len(cache.FIGURES) >= len(metrics.MEASURES)
    assert read, "the figures' SQL named no table"
    assert read <= set(FIGURE_TABLES)
    invalidating = {item.table for item in definitions(db.engine.dialect.name) if "_data_version" in item.name}
    assert set(FIGURE_TABLES) <= invalidating


@pytest.mark.parametrize("table", FIGURE_TABLES)
def test_a_write_to_a_table_the_figures_read_changes_the_data_version(history, table):
    before = cache.data_version()
    db.session.execute(text(f"UPDATE {table} SET id = id"))  # noqa: S608  (a name from FIGURE_TABLES)
    db.session.commit()

    assert cache.data_version() != before


def test_every_table_the_figures_read_has_a_rule_for_how_far_back_its_writes_reach():
    from inclusion.reports.reach import REACH

    assert set(REACH) == set(FIGURE_TABLES)


@pytest.mark.parametrize("table", FIGURE_TABLES)
def test_a_write_to_a_table_the_figures_read_records_the_month_it_reaches(history, table):
    before = cache.read_versions().months
    db.session.execute(text(f"UPDATE {table} SET id = id"))  # noqa: S608  (a name from FIGURE_TABLES)
    db.session.commit()

    after = cache.read_versions().months
    assert after != before
    # Every row of `history` is dated in October 2026; a table whose writes reach all of history says so.
    reached = {row[0] for row in set(after) - set(before)}
    assert reached <= {date(2026, 10, 1), date(1, 1, 1)}
