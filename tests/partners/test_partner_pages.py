"""The partners page (admins) and the venues page (coordinators and admins)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.partners import services
from inclusion.partners.models import Partner, Venue
from tests import factories


@pytest.mark.parametrize("role", ["champion", "coordinator", "funder"])
def test_only_admins_reach_the_partners_page(client, login_as, role):
    login_as(role)

    assert client.get("/admin/partners").status_code == 403
    assert client.post("/admin/partners", data={"name": "Sneaky"}).status_code == 403


@pytest.mark.parametrize("role", ["champion", "funder"])
def test_champions_and_funders_cannot_reach_the_venues_page(client, login_as, role):
    login_as(role)
    venue = factories.create_venue()

    assert client.get("/admin/venues").status_code == 403
    assert client.post(f"/admin/venues/{venue.id}/close").status_code == 403
    assert db.session.get(Venue, venue.id).closed_at is None


def test_an_admin_adds_a_partner_and_sees_it_listed(client, login_as):
    login_as("admin")

    response = client.post("/admin/partners", data={"name": "  Starting Point  Stockport "})

    assert response.status_code == 302
    assert db.session.scalar(select(Partner.name)) == "Starting Point Stockport"
    assert "Starting Point Stockport" in client.get("/admin/partners").get_data(as_text=True)


def test_a_partner_name_already_used_in_another_case_is_refused(client, login_as):
    login_as("admin")
    factories.create_partner("Stockport Libraries")

    response = client.post("/admin/partners", data={"name": "STOCKPORT libraries"})

    assert response.status_code == 200
    assert "There is already a partner called" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Partner.id))) == 1


def test_renaming_a_partner_is_saved_and_audited(client, login_as):
    admin = login_as("admin")
    partner = factories.create_partner("Age UK")

    response = client.post(f"/admin/partners/{partner.id}/edit", data={"name": "Age UK Stockport"})

    assert response.status_code == 302
    assert db.session.get(Partner, partner.id).name == "Age UK Stockport"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "partner_renamed"))
    assert (event.user_id, event.before, event.after) == (
        admin.id,
        {"name": "Age UK"},
        {"name": "Age UK Stockport"},
    )


def test_renaming_a_partner_to_another_partners_name_is_refused(client, login_as):
    login_as("admin")
    factories.create_partner("Age UK")
    partner = factories.create_partner("Libraries")

    response = client.post(f"/admin/partners/{partner.id}/edit", data={"name": "age uk"})

    assert "There is already a partner called &#39;Age UK&#39;" in response.get_data(as_text=True)
    assert db.session.get(Partner, partner.id).name == "Libraries"


def test_changing_only_the_case_of_a_partners_name_is_allowed(client, login_as):
    login_as("admin")
    partner = factories.create_partner("age uk")

    client.post(f"/admin/partners/{partner.id}/edit", data={"name": "Age UK"})

    assert db.session.get(Partner, partner.id).name == "Age UK"


def test_a_coordinator_adds_a_venue_with_its_partner_and_ward(client, login_as):
    login_as("coordinator")
    partner = factories.create_partner("Stockport Libraries")

    response = client.post(
        "/admin/venues",
        data={"name": "Central Library", "partner_id": str(partner.id), "ward": "Brinnington and Central"},
    )

    assert response.status_code == 302
    venue = db.session.scalar(select(Venue))
    assert (venue.name, venue.partner_id, venue.ward) == (
        "Central Library",
        partner.id,
        "Brinnington and Central",
    )
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.record_type == "venue")) == "venue_added"


def test_a_venue_name_already_used_is_refused(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")

    response = client.post("/admin/venues", data={"name": "central library", "partner_id": str(venue.partner_id)})

    assert "There is already a venue called" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Venue.id))) == 1


def test_a_venue_needs_a_partner_from_the_list(client, login_as):
    login_as("coordinator")

    response = client.post("/admin/venues", data={"name": "Central Library", "partner_id": "99999"})

    assert "Choose the partner that runs the venue" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Venue.id))) == 0


def test_a_coordinator_changes_a_venues_name_ward_and_partner(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library", ward="Old Ward")
    other = factories.create_partner("Starting Point")

    response = client.post(
        f"/admin/venues/{venue.id}/edit",
        data={"name": "Stockport Central Library", "partner_id": str(other.id), "ward": "New Ward"},
    )

    assert response.status_code == 302
    changed = db.session.get(Venue, venue.id)
    assert (changed.name, changed.partner_id, changed.ward) == (
        "Stockport Central Library",
        other.id,
        "New Ward",
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "venue_updated"))
    assert event.after["ward"] == "New Ward"
    assert event.before["name"] == "Central Library"


def test_renaming_a_venue_to_another_venues_name_is_refused(client, login_as):
    login_as("coordinator")
    factories.create_venue("Central Library")
    venue = factories.create_venue("Reddish Library")

    response = client.post(
        f"/admin/venues/{venue.id}/edit",
        data={"name": "CENTRAL LIBRARY", "partner_id": str(venue.partner_id)},
    )

    assert "There is already a venue called &#39;Central Library&#39;" in response.get_data(as_text=True)


def test_a_closed_venue_keeps_its_sessions_but_is_no_longer_open_for_new_ones(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    factories.create_session(venue, date(2026, 9, 4), attendees=[factories.create_learner()])

    response = client.post(f"/admin/venues/{venue.id}/close")

    assert response.status_code == 302
    assert db.session.get(Venue, venue.id).closed_at is not None
    assert services.open_venues() == []
    assert [v.name for v in services.list_venues()] == ["Central Library"]
    assert "Closed" in client.get("/admin/venues").get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.record_type == "venue")) == "venue_closed"


def test_a_closed_venue_can_be_reopened(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    client.post(f"/admin/venues/{venue.id}/close")

    client.post(f"/admin/venues/{venue.id}/reopen")

    assert [v.name for v in services.open_venues()] == ["Central Library"]


def test_closing_a_venue_twice_says_it_is_already_closed(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    client.post(f"/admin/venues/{venue.id}/close")

    page = client.post(f"/admin/venues/{venue.id}/close", follow_redirects=True).get_data(as_text=True)

    assert "Central Library is already closed" in page


def test_the_partners_list_counts_venues_and_users_in_one_query(client, login_as):
    partner = factories.create_partner("Stockport Libraries")
    factories.create_venue("Central Library", partner=partner)
    closed = factories.create_venue("Old Library", partner=partner)
    services.set_venue_closed(closed.id, True)
    factories.create_user("champion", partner=partner)

    [row] = services.list_partners()

    assert (row.partner.name, row.open_venues, row.closed_venues, row.users) == (
        "Stockport Libraries",
        1,
        1,
        1,
    )


def test_a_closed_venue_is_refused_for_a_new_session_and_an_open_one_accepted():
    open_venue = factories.create_venue("Central Library")
    closed = factories.create_venue("Old Library")
    services.set_venue_closed(closed.id, True)

    assert services.require_open_venue(open_venue.id).name == "Central Library"
    with pytest.raises(services.PartnerError, match="Old Library is closed: it cannot take new sessions"):
        services.require_open_venue(closed.id)


def test_the_venue_services_refuse_a_champion_acting_directly():
    venue = factories.create_venue("Central Library")
    champion = factories.create_user("champion")

    with pytest.raises(PermissionError):
        services.set_venue_closed(venue.id, True, acting_user_id=champion.id)
