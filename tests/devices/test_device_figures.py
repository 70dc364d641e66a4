"""devices_lent, devices_returned, devices_gifted, data_gifts, adults_connected and loans_overdue, worked by hand."""

import csv
import io
from datetime import date

import pytest

from inclusion.learners.merging import merge_learners
from inclusion.learners.privacy import anonymise_learner
from inclusion.reports import dashboard, funder_csv, metrics
from inclusion.reports.periods import Period
from tests import factories

OCTOBER = Period.month(date(2026, 10, 1))
SEPTEMBER = Period.month(date(2026, 9, 1))
DEVICE_MEASURES = (
    "devices_lent",
    "devices_returned",
    "devices_gifted",
    "data_gifts",
    "adults_connected",
    "loans_overdue",
)


@pytest.fixture
def lending():
    libraries, charity = factories.create_partner("Libraries"), factories.create_partner("Charity")
    central = factories.create_venue("Central Library", libraries)
    branch = factories.create_venue("Branch Library", libraries)
    hub = factories.create_venue("Hub", charity)
    ann = factories.create_learner("Ann", age_band="45-54", partner=libraries)
    bob = factories.create_learner("Bob", age_band="65-74", partner=libraries)
    cat = factories.create_learner("Cat", age_band="25-34", partner=charity)
    dee = factories.create_learner("Dee", age_band="55-64", partner=charity)
    eve = factories.create_learner("Eve", age_band="45-54", partner=libraries)  # Ann's duplicate, merged below
    teen = factories.create_learner("Teen", date_of_birth=date(2010, 1, 1), partner=libraries)
    # October sessions at Central and the Hub (the CSV's venue rows); none at Branch Library.
    factories.create_session(central, date(2026, 10, 2), attendees=[ann])
    factories.create_session(hub, date(2026, 10, 2), attendees=[cat])
    device = {
        n: factories.create_device(venue)
        for n, venue in enumerate([central, central, hub, hub, hub, branch, central, central], 1)
    }
    loan = factories.create_loan
    loan(device[1], ann, lent_on=date(2026, 10, 3), due_on=date(2026, 10, 31))  # open, due on the last day: not overdue
    loan(device[2], bob, lent_on=date(2026, 9, 10), due_on=date(2026, 10, 8), returned_on=date(2026, 10, 20))
    loan(device[3], cat, lent_on=date(2026, 9, 1), due_on=date(2026, 9, 29))  # open and overdue since September
    loan(device[4], teen, lent_on=date(2026, 10, 5), due_on=date(2026, 10, 6))  # under 18: in no figure
    loan(device[5], ann, lent_on=date(2026, 10, 10), due_on=date(2026, 10, 20), returned_on=date(2026, 10, 25))
    # Returned in November: still open on 31 October, and overdue then.
    loan(device[6], dee, lent_on=date(2026, 8, 1), due_on=date(2026, 8, 29), returned_on=date(2026, 11, 2))
    factories.create_device_gift(device[7], bob, given_on=date(2026, 10, 12))
    factories.create_device_gift(device[8], teen, given_on=date(2026, 10, 12))
    factories.create_data_gift(cat, central, given_on=date(2026, 10, 15))
    factories.create_data_gift(dee, hub, given_on=date(2026, 10, 16), kind="voucher")
    factories.create_data_gift(ann, hub, given_on=date(2026, 9, 30))
    factories.create_data_gift(eve, central, given_on=date(2026, 10, 20))
    merge_learners(ann.id, eve.id, acting_user_id=None)  # Eve's SIM is now Ann's: Ann counts once
    anonymise_learner(dee.reference, dee.reference, acting_user=None)  # an anonymised learner still counts
    return {"central": central, "branch": branch, "hub": hub, "libraries": libraries, "charity": charity}


def test_the_october_totals(lending):
    totals = {measure: metrics.ALL_MEASURES[measure](OCTOBER) for measure in DEVICE_MEASURES}
    assert totals == {
        "devices_lent": 2,  # Ann's two (the teenager's is not an adult's)
        "devices_returned": 2,  # Bob's and Ann's second
        "devices_gifted": 1,  # Bob's
        "data_gifts": 3,  # Cat's, Dee's and Eve's (now Ann's); Ann's own was in September
        "adults_connected": 4,  # Ann (twice lent, and Eve's SIM), Bob, Cat, Dee
        "loans_overdue": 2,  # Cat's and Dee's
    }


def test_september_counts_its_own_loans_and_what_was_overdue_on_its_last_day(lending):
    assert metrics.devices_lent(SEPTEMBER) == 2  # Bob's and Cat's
    assert metrics.loans_overdue(SEPTEMBER) == 2  # Cat's (due 29 September) and Dee's (due 29 August)
    assert metrics.adults_connected(SEPTEMBER) == 3  # Bob, Cat, and Ann's SIM


def test_the_breakdowns_follow_the_venue_of_the_loan_or_gift(lending):
    assert metrics.devices_lent(OCTOBER, by="venue") == {"Central Library": 1, "Hub": 1}
    assert metrics.devices_returned(OCTOBER, by="venue") == {"Central Library": 1, "Hub": 1}
    assert metrics.data_gifts(OCTOBER, by="venue") == {"Central Library": 2, "Hub": 1}
    assert metrics.loans_overdue(OCTOBER, by="venue") == {"Branch Library": 1, "Hub": 1}
    assert metrics.loans_overdue(OCTOBER, by="partner") == {"Charity": 1, "Libraries": 1}
    # A learner counts under every venue that connected them: Ann at Central and at the Hub.
    assert metrics.adults_connected(OCTOBER, by="venue") == {"Central Library": 3, "Hub": 2}
    assert metrics.adults_connected(OCTOBER, by="age_band") == {"25-34": 1, "45-54": 1, "55-64": 1, "65-74": 1}
    assert metrics.adults_connected(OCTOBER, partner_id=lending["charity"].id) == 2
    assert metrics.devices_lent(OCTOBER, venue_id=lending["hub"].id) == 1


def _csv(app, version: int, threshold: int) -> dict[tuple[str, str, str], str]:
    app.config["SUPPRESSION_THRESHOLD"] = threshold
    try:
        rows = list(csv.reader(io.StringIO(funder_csv.monthly_csv(OCTOBER, version).decode())))[1:]
    finally:
        app.config["SUPPRESSION_THRESHOLD"] = 5
    return {tuple(row[1:4]): row[4] for row in rows if row[1] in DEVICE_MEASURES}


def test_version_2_has_every_device_measure_with_its_rows(app, lending):
    cells = _csv(app, 2, threshold=0)
    assert {key: value for key, value in cells.items() if key[0] == "devices_lent"} == {
        ("devices_lent", "total", "all"): "2",
        ("devices_lent", "partner", "Charity"): "1",
        ("devices_lent", "partner", "Libraries"): "1",
        ("devices_lent", "venue", "Central Library"): "1",
        ("devices_lent", "venue", "Hub"): "1",
    }
    # Venues with a session in the month, zeros included; the Branch Library had none, so no row of its own.
    assert {key: value for key, value in cells.items() if key[0] == "loans_overdue"} == {
        ("loans_overdue", "total", "all"): "2",
        ("loans_overdue", "partner", "Charity"): "1",
        ("loans_overdue", "partner", "Libraries"): "1",
        ("loans_overdue", "venue", "Central Library"): "0",
        ("loans_overdue", "venue", "Hub"): "1",
    }
    assert {key: value for key, value in cells.items() if key[:2] == ("adults_connected", "age_band")} == {
        ("adults_connected", "age_band", band): "1" for band in ("25-34", "45-54", "55-64", "65-74")
    }
    assert not [key for key in cells if key[1] == "age_band" and key[0] != "adults_connected"]
    assert cells[("devices_gifted", "venue", "Hub")] == "0"


def test_small_numbers_are_suppressed_except_loans_overdue_and_version_1_has_none_of_them(app, lending):
    cells = _csv(app, 2, threshold=5)
    assert cells[("devices_lent", "total", "all")] == "2"
    assert cells[("devices_lent", "venue", "Central Library")] == "[c]"
    assert cells[("adults_connected", "age_band", "45-54")] == "[c]"
    assert cells[("data_gifts", "partner", "Libraries")] == "[c]"
    assert cells[("loans_overdue", "venue", "Hub")] == "1"  # never suppressed
    assert cells[("loans_overdue", "partner", "Libraries")] == "1"
    assert _csv(app, 1, threshold=5) == {}


def test_the_dashboard_shows_the_device_measures(client, login_as, lending):
    board = dashboard.build_dashboard(dashboard.Filters(OCTOBER), today=date(2026, 11, 15), suppressed=False)
    assert {row["measure"]: row["value"] for row in board.devices} == {
        "devices_lent": 2,
        "devices_returned": 2,
        "devices_gifted": 1,
        "data_gifts": 3,
        "adults_connected": 4,
        "loans_overdue": 2,
    }
    login_as("funder")
    html = client.get("/reports/?month=2026-10").get_data(as_text=True)
    assert "Devices and data, October 2026" in html and "Loans overdue at the end of the period" in html


def test_a_funder_filtering_the_dashboard_by_venue_sees_small_figures_hidden_but_overdue_loans(lending):
    filters = dashboard.Filters(OCTOBER, venue_id=lending["hub"].id)
    board = dashboard.build_dashboard(filters, today=date(2026, 11, 15), suppressed=True)
    shown = {row["measure"]: row["value"] for row in board.devices}
    assert shown["devices_lent"] == "[c]" and shown["loans_overdue"] == 1
