"""The device pages from a phone's point of view: lend, extend, return and gift; stock and overdue lists."""

from datetime import date

from sqlalchemy import select

from inclusion.devices import views
from inclusion.devices.models import Device, Loan
from inclusion.extensions import db
from tests import factories


def test_a_champion_lends_extends_and_returns_a_device_from_the_learner_page(client, login_as, library):
    champion = login_as("champion", partner=library.partner)
    device = factories.create_device(library.venue, asset_tag="LAP-0001")
    learner_page = client.get(f"/learners/{library.learner.reference}").text
    assert "Devices and data" in learner_page and f"/devices/lend/{library.learner.reference}" in learner_page
    form = client.get(f"/devices/lend/{library.learner.reference}").text
    assert "loan agreement 2026-12" in form and 'maxlength="40"' in form

    lent = client.post(
        f"/devices/lend/{library.learner.reference}",
        data={"asset_tag": "lap-0001", "lent_on": ["1", "10", "2026"], "due_on": ["", "", ""], "agreement": "y"},
    )
    assert lent.status_code == 302
    loan = db.session.scalar(select(Loan))
    assert (loan.due_on, loan.lent_by_id) == (date(2026, 10, 29), champion.id)
    assert "LAP-0001" in client.get(f"/learners/{library.learner.reference}").text

    extended = client.post(f"/devices/loans/{loan.id}/extend", data={"due_on": ["12", "11", "2026"]})
    assert extended.status_code == 302
    returned = client.post(
        f"/devices/loans/{loan.id}/return", data={"returned_on": ["10", "11", "2026"], "condition": "fair"}
    )
    assert returned.status_code == 302
    db.session.expire_all()
    assert (db.session.get(Loan, loan.id).due_on, db.session.get(Loan, loan.id).returned_on) == (
        date(2026, 11, 12),
        date(2026, 11, 10),
    )
    history = client.get(f"/devices/{device.id}").text
    assert library.learner.reference in history and "10 November 2026, fair" in history


def test_lending_a_device_on_loan_shows_the_reason_on_the_form(client, login_as, library):
    login_as("champion", partner=library.partner)
    device = factories.create_device(library.venue, asset_tag="LAP-0002")
    factories.create_loan(device, factories.create_learner(partner=library.partner))
    response = client.post(
        f"/devices/lend/{library.learner.reference}",
        data={"asset_tag": "LAP-0002", "lent_on": ["2", "10", "2026"], "due_on": ["", "", ""], "agreement": "y"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "LAP-0002 is already on loan (due back 29 October 2026): record its return first" in html
    assert db.session.query(Loan).count() == 1


def test_a_return_before_the_loan_date_is_an_error_on_the_form(client, login_as, library):
    login_as("champion", partner=library.partner)
    loan = factories.create_loan(factories.create_device(library.venue), library.learner)
    response = client.post(
        f"/devices/loans/{loan.id}/return", data={"returned_on": ["30", "9", "2026"], "condition": "good"}
    )
    assert response.status_code == 200
    assert "The return date cannot be before the loan began (1 October 2026)" in response.get_data(as_text=True)
    assert db.session.get(Loan, loan.id).returned_on is None


def test_the_saved_session_page_links_each_attendee_to_a_loan_dated_that_session(client, login_as, library):
    login_as("champion", partner=library.partner)
    session = factories.create_session(library.venue, date(2026, 10, 14), attendees=[library.learner])
    html = client.get(f"/sessions/{session.id}").text
    link = f"/devices/lend/{library.learner.reference}?session={session.id}"
    assert link in html
    form = client.get(link).text
    assert 'value="14"' in form and 'value="2026"' in form  # the loan date defaults to the session's


def test_the_stock_list_of_a_venue_shows_its_devices_and_who_has_those_on_loan(client, login_as, library):
    login_as("champion", partner=library.partner)
    lent = factories.create_device(library.venue, asset_tag="A-1")
    factories.create_device(library.venue, asset_tag="A-2")
    factories.create_device(library.other_venue, asset_tag="B-1")
    factories.create_loan(lent, library.learner)
    html = client.get(f"/devices/venues/{library.venue.id}").text
    assert "A-1" in html and "A-2" in html and "B-1" not in html and library.learner.reference in html
    in_stock = client.get(f"/devices/venues/{library.venue.id}?status=in-stock").text
    assert "A-2" in in_stock and "A-1" not in in_stock
    assert client.get(f"/devices/venues/{library.other_venue.id}").status_code == 403


def test_the_overdue_list_holds_open_loans_due_before_today_most_overdue_first(client, login_as, library, monkeypatch):
    monkeypatch.setattr(views, "today_in_london", lambda: date(2026, 11, 15))
    login_as("champion", partner=library.partner)
    other = factories.create_learner("Ada", "Byron", partner=library.partner)
    devices = [factories.create_device(library.venue, asset_tag=f"OD-{n}") for n in range(4)]
    factories.create_loan(devices[0], library.learner, lent_on=date(2026, 10, 1), due_on=date(2026, 11, 1))
    factories.create_loan(devices[1], other, lent_on=date(2026, 9, 1), due_on=date(2026, 10, 1))
    factories.create_loan(devices[2], other, lent_on=date(2026, 11, 1), due_on=date(2026, 11, 15))  # due today
    factories.create_loan(
        devices[3], other, lent_on=date(2026, 9, 1), due_on=date(2026, 10, 1), returned_on=date(2026, 10, 20)
    )
    html = client.get(f"/devices/venues/{library.venue.id}/overdue").text
    assert "2 loans past their due date" in html
    assert html.index("OD-1") < html.index("OD-0") and "OD-2" not in html and "OD-3" not in html
    assert "45 days late" in html


def test_the_coordinators_home_counts_the_overdue_loans(client, login_as, library, monkeypatch):
    monkeypatch.setattr(views, "today_in_london", lambda: date(2026, 11, 15))
    for venue in (library.venue, library.other_venue):
        device = factories.create_device(venue)
        factories.create_loan(device, library.learner, lent_on=date(2026, 9, 1), due_on=date(2026, 10, 1))
    login_as("coordinator")
    assert "2 loans are overdue</a> across 2 venues" in client.get("/").text


def test_a_coordinator_adds_moves_and_retires_a_device_and_a_champion_may_not(client, login_as, library):
    login_as("coordinator")
    added = client.post(
        "/devices/new",
        data={
            "asset_tag": " dia-100 ",
            "kind": "tablet",
            "make_model": "Lenovo Tab M10",
            "serial": "",
            "source": "National Device Bank batch 7",
            "condition": "good",
            "venue_id": str(library.venue.id),
        },
    )
    assert added.status_code == 302
    device = db.session.scalar(select(Device))
    assert (device.asset_tag, device.serial, device.status) == ("DIA-100", None, "in-stock")
    assert client.post(f"/devices/{device.id}/move", data={"venue_id": str(library.other_venue.id)}).status_code == 302
    assert client.post(f"/devices/{device.id}/retire", data={"retired_on": ["2", "11", "2026"]}).status_code == 302
    db.session.expire_all()
    device = db.session.get(Device, device.id)
    assert (device.venue_id, device.status, device.retired_on) == (library.other_venue.id, "retired", date(2026, 11, 2))
    client.post("/logout")
    login_as("champion", partner=library.partner)
    assert client.get("/devices/new").status_code == 403


def test_the_device_form_lists_every_problem_at_once(client, login_as, library):
    login_as("coordinator")
    factories.create_device(library.venue, asset_tag="DUP-1")
    response = client.post("/devices/new", data={"asset_tag": "", "make_model": "", "venue_id": "0"})
    html = response.get_data(as_text=True)
    for message in ("Enter the asset tag", "Choose the kind of device", "Enter the make and model", "Choose the venue"):
        assert message in html
    response = client.post(
        "/devices/new",
        data={
            "asset_tag": "dup-1",
            "kind": "laptop",
            "make_model": "HP",
            "condition": "good",
            "venue_id": str(library.venue.id),
        },
    )
    assert "Another device already has the asset tag DUP-1" in response.get_data(as_text=True)
    assert db.session.query(Device).count() == 1


def test_the_overdue_list_names_only_borrowers_the_champion_may_see(client, login_as, library, monkeypatch):
    """A loan at this partner's venue to someone registered and attending elsewhere: the reference alone."""
    monkeypatch.setattr(views, "today_in_london", lambda: date(2026, 11, 15))
    elsewhere = factories.create_learner(
        "Olive", "Outerbridge", partner=library.other_venue.partner, phone="07700 900123"
    )
    device = factories.create_device(library.venue, asset_tag="OD-9")
    factories.create_loan(device, elsewhere, lent_on=date(2026, 10, 1), due_on=date(2026, 11, 1))
    factories.create_loan(
        factories.create_device(library.venue, asset_tag="OD-8"), library.learner, due_on=date(2026, 11, 2)
    )
    login_as("champion", partner=library.partner)
    html = client.get(f"/devices/venues/{library.venue.id}/overdue").text
    assert "OD-9" in html and elsewhere.reference in html and "A learner of another partner" in html
    assert "Outerbridge" not in html and "07700 900123" not in html
    assert "Margaret Hughes" in html  # their own partner's learner, as before
