"""Milestones: list, add, change, and choose the one current milestone."""

from datetime import date

import pytest
from sqlalchemy import func, select

from inclusion.admin import milestone_services
from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.reports.models import Milestone


def _date_fields(day, month, year):
    return [("start_date", str(day)), ("start_date", str(month)), ("start_date", str(year))]


def _post(client, url, name, target, day="1", month="4", year="2027"):
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict([("name", name), ("target", target), *_date_fields(day, month, year)]))


@pytest.mark.parametrize("role", ["champion", "coordinator", "funder"])
def test_only_admins_manage_milestones(client, login_as, role):
    login_as(role)

    assert client.get("/admin/milestones").status_code == 403


def test_the_seeded_5000_adults_milestone_is_listed_as_current(client, login_as):
    login_as("admin")

    page = client.get("/admin/milestones").get_data(as_text=True)

    assert "5,000" in page
    assert "Current" in page
    assert milestone_services.current_milestone().target == 5000


def test_an_admin_adds_a_milestone_which_does_not_replace_the_current_one(client, login_as):
    login_as("admin")

    response = _post(client, "/admin/milestones", "10,000 adults by 2028", "10,000")

    assert response.status_code == 302
    added = db.session.scalar(select(Milestone).where(Milestone.name == "10,000 adults by 2028"))
    assert (added.target, added.start_date, added.is_current) == (10000, date(2027, 4, 1), False)
    assert milestone_services.current_milestone().target == 5000


def test_making_a_milestone_current_leaves_exactly_one_current(client, login_as):
    admin = login_as("admin")
    added = milestone_services.add_milestone("Next", 8000, date(2027, 4, 1), acting_user_id=None)

    response = client.post(f"/admin/milestones/{added.id}/make-current")

    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Milestone.id)).where(Milestone.is_current.is_(True))) == 1
    assert milestone_services.current_milestone().name == "Next"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "milestone_made_current"))
    assert (event.user_id, event.after) == (admin.id, {"current": "Next"})


def test_a_milestone_name_already_used_is_refused(client, login_as):
    login_as("admin")
    existing = milestone_services.current_milestone().name

    response = _post(client, "/admin/milestones", existing.upper(), "100")

    assert "There is already a milestone called" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Milestone.id))) == 1


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("lots", "Target number of adults must be a whole number"),
        ("0", "Target must be from 1 to 10,000,000"),
        ("", "Enter the target as a whole number"),
    ],
)
def test_a_bad_target_is_refused(client, login_as, target, message):
    login_as("admin")

    response = _post(client, "/admin/milestones", "Another", target)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_a_date_that_does_not_exist_is_refused(client, login_as):
    login_as("admin")

    response = _post(client, "/admin/milestones", "Another", "100", day="31", month="2", year="2027")

    assert "Start date must be a real date" in response.get_data(as_text=True)


def test_a_form_missing_the_date_boxes_is_an_error_not_a_crash(client, login_as):
    login_as("admin")

    response = client.post("/admin/milestones", data={"name": "Another", "target": "100"})

    assert response.status_code == 200
    assert "Enter the start date" in response.get_data(as_text=True)


def test_changing_a_milestone_is_saved_and_audited(client, login_as):
    login_as("admin")
    current = milestone_services.current_milestone()

    response = _post(client, f"/admin/milestones/{current.id}/edit", "5,000 adults", "5500", "1", "9", "2026")

    assert response.status_code == 302
    changed = db.session.get(Milestone, current.id)
    assert (changed.name, changed.target, changed.is_current) == ("5,000 adults", 5500, True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "milestone_updated"))
    assert event.after["target"] == 5500
