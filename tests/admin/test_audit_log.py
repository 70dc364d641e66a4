"""The administrators' audit log: filters by user, record and date, a page at a time."""

from datetime import datetime

import pytest

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from tests.factories import create_user


def _event(action: str, *, user=None, record_type="learner", record_id="1", when=datetime(2026, 9, 4, 10)):
    event = AuditEvent(
        action=action,
        user_id=user.id if user else None,
        record_type=record_type,
        record_id=record_id,
        occurred_at=when,
        details={"note": action},
    )
    db.session.add(event)
    db.session.commit()
    return event


def _table(page: str) -> str:
    """The results table, not the filter lists (which name every action too)."""
    return page[page.index("<tbody") :]


def _rows(page: str) -> int:
    return _table(page).count('<tr class="govuk-table__row">')


def test_an_admin_sees_the_log_newest_first(client, login_as):
    login_as("admin")
    _event("first_thing", when=datetime(2026, 9, 1, 9))
    _event("second_thing", when=datetime(2026, 9, 2, 9))
    page = _table(client.get("/admin/audit").get_data(as_text=True))
    assert page.index("second thing") < page.index("first thing")


def test_the_log_filters_by_user(client, login_as):
    login_as("admin")
    alice, bob = create_user(role="coordinator", name="Alice Coordinator"), create_user(role="champion")
    _event("alice_did_this", user=alice)
    _event("bob_did_this", user=bob)
    page = _table(client.get(f"/admin/audit?user={alice.id}").get_data(as_text=True))
    assert "alice did this" in page and "bob did this" not in page


def test_the_log_filters_by_record_type_and_number(client, login_as):
    login_as("admin")
    _event("about_learner_7", record_id="7")
    _event("about_learner_8", record_id="8")
    _event("about_venue_7", record_type="venue", record_id="7")
    page = _table(client.get("/admin/audit?record_type=learner&record_id=7").get_data(as_text=True))
    assert "about learner 7" in page and "about learner 8" not in page and "about venue 7" not in page


def test_the_log_filters_by_date_range_in_uk_days(client, login_as):
    login_as("admin")
    _event("too_early", when=datetime(2026, 8, 31, 22, 59))  # 23:59 on 31 August in London
    _event("in_range", when=datetime(2026, 8, 31, 23, 30))  # 00:30 on 1 September in London
    _event("too_late", when=datetime(2026, 9, 3, 0, 30))
    page = _table(client.get("/admin/audit?date_from=2026-09-01&date_to=2026-09-02").get_data(as_text=True))
    assert "in range" in page and "too early" not in page and "too late" not in page


def test_the_log_is_paginated(client, login_as):
    login_as("admin")
    for number in range(55):
        _event(f"bulk_{number:02d}", record_type="test")
    first = client.get("/admin/audit?record_type=test").get_data(as_text=True)
    assert _rows(first) == 50 and "page 1 of 2" in first
    second = client.get("/admin/audit?record_type=test&page=2").get_data(as_text=True)
    assert _rows(second) == 5 and "bulk 00" in _table(second)


def test_a_bad_filter_value_is_not_an_error(client, login_as):
    login_as("admin")
    response = client.get("/admin/audit?date_from=yesterday&user=abc&page=x")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["champion", "coordinator", "funder"])
def test_only_admins_can_read_the_audit_log(client, login_as, role):
    login_as(role)
    assert client.get("/admin/audit").status_code == 403


def test_a_merge_can_be_undone_from_its_audit_entry(client, login_as):
    from inclusion.learners.merging import merge_learners
    from inclusion.learners.models import Learner
    from tests.factories import create_learner

    login_as("admin")
    kept, duplicate = create_learner("Ann", "Walker"), create_learner("Ann", "Walker")
    event = merge_learners(kept.id, duplicate.id, acting_user_id=None)
    page = client.get("/admin/audit?action=learner_merged").get_data(as_text=True)
    assert "Undo this merge" in page
    response = client.post(f"/learners/merges/{event.id}/undo", data={"next": "/admin/audit?action=learner_merged"})
    assert response.headers["Location"].endswith("/admin/audit?action=learner_merged")
    assert db.session.get(Learner, duplicate.id).merged_into_id is None
    assert "Undone" in client.get("/admin/audit?action=learner_merged").get_data(as_text=True)
