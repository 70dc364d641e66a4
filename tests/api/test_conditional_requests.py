"""ETags: a BI tool polling hourly gets 304, without any figure computed, while nothing has changed."""

import time
from datetime import date

import pytest
from sqlalchemy import event, insert

from inclusion.reports.models import DataVersion
from tests import factories


@pytest.fixture
def data_version(db):
    """The data_version row the migrations create (the test database is emptied of it after each test)."""
    with db.engine.begin() as connection:
        connection.execute(DataVersion.__table__.delete())
        connection.execute(insert(DataVersion).values(id=1, version=time.time_ns()))


@pytest.fixture
def venue(db):
    venue = factories.create_venue("Central Library")
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])
    return venue


def _statements(db, work) -> list[str]:
    statements = []
    listener = lambda _c, _cur, statement, *_a: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return statements


def test_the_same_figures_asked_again_with_their_etag_get_304_and_no_figure_is_computed(data_version, venue, db, feed):
    first = feed("/figures?month=2026-10")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    responses = []
    statements = _statements(db, lambda: responses.append(feed("/figures?month=2026-10", **{"If-None-Match": etag})))
    assert responses[0].status_code == 304
    assert responses[0].headers["ETag"] == etag
    assert not responses[0].get_data()
    reads_of_facts = [s for s in statements if "attendances" in s or "learning_sessions" in s]
    assert not reads_of_facts, reads_of_facts


def test_a_write_changes_the_etag(data_version, venue, db, feed):
    etag = feed("/figures?month=2026-10").headers["ETag"]
    factories.create_session(venue, date(2026, 10, 7), attendees=[factories.create_learner()])
    response = feed("/figures?month=2026-10", **{"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_the_etag_differs_by_month(data_version, venue, feed):
    assert feed("/figures?month=2026-10").headers["ETag"] != feed("/figures?month=2026-09").headers["ETag"]


def test_a_new_milestone_target_changes_the_etag(data_version, venue, app, feed):
    etag = feed("/figures?month=2026-10").headers["ETag"]
    app.config["MILESTONE_TARGET"] = 1234
    try:
        assert feed("/figures?month=2026-10").headers["ETag"] != etag
    finally:
        app.config["MILESTONE_TARGET"] = None


def test_feed_answers_may_be_kept_by_the_client_but_must_be_revalidated(data_version, venue, feed):
    assert feed("/figures?month=2026-10").headers["Cache-Control"] == "private, no-cache"


def test_a_weakened_etag_from_a_proxy_still_matches(data_version, venue, feed):
    etag = feed("/figures?month=2026-10").headers["ETag"]
    assert feed("/figures?month=2026-10", **{"If-None-Match": f"W/{etag}"}).status_code == 304
