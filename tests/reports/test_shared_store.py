"""Figures shared through Redis (FIGURE_STORE_URI): read by another worker, never stale, never in the way.

Figures are shared in blocks that ask for it (cache.one_version(shared=True): the funder CSV and
the feed's cells). "Another worker" is this process with its own store emptied (cache.clear()):
what is left is what Redis holds. Needs a Redis to share through (TEST_REDIS_URL, set by .ci/run); each test empties
that database before and after itself.
"""

import logging
import os
import time
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert

from inclusion.reports import cache, metrics, shared_store
from inclusion.reports.funder_csv import monthly_csv
from inclusion.reports.models import DataVersion
from inclusion.reports.periods import Period
from tests import factories
from tests.reports.test_figure_cache import _figure_queries, _statements

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL names no Redis to share figures through")
OCTOBER = Period.month(date(2026, 10, 1))
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def shared(app, db, monkeypatch):
    """The figure cache and the shared store on, both empty, under a data version no earlier test used."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    monkeypatch.setattr(shared_store, "_paused_until", 0.0)
    app.config.update(REPORT_FIGURE_CACHE=True, FIGURE_STORE_URI=REDIS_URL)
    cache.clear()
    with db.engine.begin() as connection:
        connection.execute(DataVersion.__table__.delete())
        connection.execute(insert(DataVersion).values(id=1, version=time.time_ns()))
    yield client
    app.config.update(REPORT_FIGURE_CACHE=False, FIGURE_STORE_URI=None)
    cache.clear()
    client.flushdb()
    client.close()


def _reads_facts(statement: str) -> bool:
    return any(
        f"FROM {table}" in statement or f"JOIN {table}" in statement for table in ("attendances", "skill_achievements")
    )


def _october_session(attendees: int = 1):
    venue = factories.create_venue()
    learners = [factories.create_learner() for _ in range(attendees)]
    factories.create_session(venue, date(2026, 10, 6), attendees=learners, duration_minutes=90)
    return venue


def _shared(figure, *args, **kwargs):
    with cache.one_version(shared=True):
        return figure(*args, **kwargs)


def test_a_figure_one_worker_computed_is_read_by_another_without_a_query(shared, db):
    _october_session(attendees=2)
    assert _shared(metrics.adults_helped, OCTOBER) == 2
    assert shared.dbsize() == 1
    cache.clear()  # another worker: nothing of its own yet

    assert _figure_queries(db, lambda: _shared(metrics.adults_helped, OCTOBER)) == 0
    assert _shared(metrics.adults_helped, OCTOBER) == 2


def test_figures_outside_a_sharing_block_stay_with_the_worker(shared, db):
    _october_session(attendees=2)
    with cache.one_version():  # as the dashboard computes its figures
        assert metrics.adults_helped(OCTOBER) == 2
    assert metrics.attendances(OCTOBER) == 2

    assert shared.dbsize() == 0


def test_a_write_reaching_the_month_is_never_answered_from_the_shared_store(shared, db):
    venue = _october_session()
    assert _shared(metrics.adults_helped, OCTOBER) == 1

    factories.create_session(venue, date(2026, 10, 20), attendees=[factories.create_learner()])
    cache.clear()

    assert _shared(metrics.adults_helped, OCTOBER) == 2


def test_breakdowns_and_decimals_come_back_as_they_were_computed(shared, db):
    venue = _october_session(attendees=3)
    hours, by_venue = _shared(metrics.learner_hours, OCTOBER), _shared(metrics.adults_helped, OCTOBER, by="venue")
    cache.clear()

    assert _figure_queries(db, lambda: _shared(metrics.learner_hours, OCTOBER)) == 0
    assert _figure_queries(db, lambda: _shared(metrics.adults_helped, OCTOBER, by="venue")) == 0
    again = _shared(metrics.learner_hours, OCTOBER)
    assert (again, type(again)) == (hours, Decimal) == (Decimal("4.5"), Decimal)
    assert _shared(metrics.adults_helped, OCTOBER, by="venue") == by_venue == {venue.name: 3}


def test_values_json_would_change_stay_with_the_worker_that_computed_them(shared, app):
    changed_by_json = [{1: 2}, (1, 2), {"a": (1,)}, date(2026, 10, 1)]
    kept = {"a": [1, Decimal("0.5"), None, "x"]}
    entries = [(("a key", repr(value)), value) for value in changed_by_json] + [(("a key", "kept"), kept)]
    shared_store.put_many(entries, seconds=cache.MAX_AGE_SECONDS)

    assert [shared_store.get(("a key", repr(value))) for value in changed_by_json] == [(False, None)] * 4
    assert shared_store.get(("a key", "kept")) == (True, kept)


def test_the_monthly_csv_from_the_shared_store_is_the_same_bytes(shared, app, db):
    _october_session(attendees=6)
    app.config["FIGURE_STORE_URI"] = None
    computed = monthly_csv(OCTOBER)
    app.config["FIGURE_STORE_URI"] = REDIS_URL
    cache.clear()
    assert monthly_csv(OCTOBER) == computed  # computed again, and kept in the shared store
    cache.clear()

    # Only the venues' partners and the milestone's target are read again: no figure is computed.
    assert _statements(db, lambda: monthly_csv(OCTOBER), _reads_facts) == 0
    assert monthly_csv(OCTOBER) == computed


def test_a_host_with_other_figure_settings_computes_its_own(shared, app, db):
    _october_session()
    _shared(metrics.adults_helped, OCTOBER)
    cache.clear()
    app.config["FOLLOW_UP_DAYS"] += 1
    try:
        assert _figure_queries(db, lambda: _shared(metrics.adults_helped, OCTOBER)) > 0
    finally:
        app.config["FOLLOW_UP_DAYS"] -= 1


def test_a_store_that_does_not_answer_leaves_figures_computed_and_is_reported_once(shared, app, db, caplog):
    _october_session(attendees=2)
    app.config["FIGURE_STORE_URI"] = CLOSED_PORT
    with caplog.at_level(logging.WARNING, logger="inclusion.reports.shared_store"):
        assert _shared(metrics.adults_helped, OCTOBER) == 2
        cache.clear()
        assert _shared(metrics.attendances, OCTOBER) == 2
        assert _shared(metrics.adults_helped, OCTOBER) == 2

    warnings = [record for record in caplog.records if record.name == "inclusion.reports.shared_store"]
    assert [record.getMessage() for record in warnings] == [
        "shared figure store unavailable: figures are computed by each worker for a while"
    ]
    assert not shared_store.enabled()  # left alone for PAUSE_SECONDS, not asked by every figure


def test_a_breakdown_changed_by_its_caller_inside_the_block_is_shared_as_it_was_computed(shared, db):
    venue = _october_session(attendees=2)
    with cache.one_version(shared=True):
        metrics.adults_helped(OCTOBER, by="venue").clear()
    cache.clear()

    assert _shared(metrics.adults_helped, OCTOBER, by="venue") == {venue.name: 2}


def test_a_value_that_is_not_json_under_a_figures_key_is_computed_again(shared, db):
    _october_session(attendees=2)
    assert _shared(metrics.adults_helped, OCTOBER) == 2
    [key] = shared.keys("inclusion:figure:*")
    shared.set(key, b"\x80 not json")
    cache.clear()

    assert _shared(metrics.adults_helped, OCTOBER) == 2
