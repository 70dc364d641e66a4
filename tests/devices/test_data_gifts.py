"""SIMs and data vouchers: the rules, the six-month expiry by default, and who sees the identifier."""

from datetime import date

import pytest
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.devices import services
from inclusion.devices.models import DataGift
from inclusion.devices.stock import DeviceError
from inclusion.extensions import db
from tests import factories

ICCID = "8944100000000012345"


def _details(library, **changes):
    values = {
        "kind": "sim",
        "network": "Vodafone",
        "identifier": ICCID,
        "eligibility_reason": "no-home-internet",
        "given_on": date(2026, 8, 31),
        "expires_on": None,
        "venue_id": library.venue.id,
        **changes,
    }
    return services.DataGiftDetails(**values)


def _gifts() -> int:
    return db.session.scalar(select(func.count(DataGift.id)))


def test_a_sim_expires_six_months_after_it_was_given_unless_another_date_is_entered(library):
    gift = services.give_data(library.champion, library.learner.reference, _details(library))
    assert gift.expires_on == date(2027, 2, 28)  # 31 August + 6 months: the last day of February
    entered = services.give_data(
        library.champion, library.learner.reference, _details(library, expires_on=date(2026, 12, 1))
    )
    assert entered.expires_on == date(2026, 12, 1)


def test_the_audit_of_a_data_gift_never_holds_the_identifier(library):
    services.give_data(library.champion, library.learner.reference, _details(library))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "data_gift_recorded"))
    assert event.details["network"] == "Vodafone"
    assert ICCID not in str(event.details)


@pytest.mark.parametrize("network", ["", "   "])
def test_a_sim_without_a_network_is_refused_and_nothing_is_written(library, network):
    with pytest.raises(DeviceError, match="Enter the network") as error:
        services.give_data(library.champion, library.learner.reference, _details(library, network=network))
    assert error.value.field == "network" and _gifts() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"identifier": ""}, "identifier"),
        ({"identifier": "8944<script>"}, "identifier"),
        ({"kind": "cable"}, "kind"),
        ({"eligibility_reason": "because"}, "eligibility_reason"),
        ({"expires_on": date(2026, 8, 1)}, "expires_on"),
        ({"given_on": date(2099, 1, 1)}, "given_on"),
    ],
)
def test_each_bad_value_of_a_data_gift_is_refused_against_its_field(library, changes, field):
    with pytest.raises(DeviceError) as error:
        services.give_data(library.champion, library.learner.reference, _details(library, **changes))
    assert error.value.field == field and _gifts() == 0


def test_a_champion_cannot_record_a_gift_at_another_partners_venue(library):
    with pytest.raises(DeviceError, match="Choose a venue you work at"):
        services.give_data(
            library.champion, library.learner.reference, _details(library, venue_id=library.other_venue.id)
        )


def test_the_sim_number_on_the_learner_page_is_shown_to_coordinators_and_admins_only(client, login_as, library):
    factories.create_data_gift(library.learner, library.venue, identifier=ICCID)
    page = f"/learners/{library.learner.reference}"
    login_as("champion", partner=library.partner)
    html = client.get(page).text
    assert "SIMs and data vouchers" in html and "Shown to coordinators only" in html and ICCID not in html
    for role in ("coordinator", "admin"):
        client.post("/logout")
        login_as(role)
        assert ICCID in client.get(page).text


def test_the_data_gift_form_lists_every_problem_at_once(client, login_as, library):
    login_as("champion", partner=library.partner)
    response = client.post(
        f"/devices/data/{library.learner.reference}",
        data={"kind": "sim", "network": "", "identifier": "", "venue_id": "0", "given_on": ["", "", ""]},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in html
    for message in (
        "Enter the network",
        "Enter the SIM&#39;s ICCID or the voucher code",
        "Choose why the learner was eligible",
        "Choose the venue",
        "Enter the date it was given",
    ):
        assert message in html
    assert _gifts() == 0


def test_a_champion_records_a_sim_from_the_learner_page(client, login_as, library):
    champion = login_as("champion", partner=library.partner)
    response = client.post(
        f"/devices/data/{library.learner.reference}",
        data={
            "kind": "sim",
            "network": "Three",
            "identifier": ICCID,
            "eligibility_reason": "cannot-afford-data",
            "venue_id": str(library.venue.id),
            "given_on": ["2", "11", "2026"],
            "expires_on": ["", "", ""],
        },
    )
    assert response.status_code == 302
    gift = db.session.scalar(select(DataGift))
    assert (gift.network, gift.expires_on, gift.given_by_id) == ("Three", date(2027, 5, 2), champion.id)
