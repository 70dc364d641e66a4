"""Lending, returning, extending and gifting devices: the rules on bad input, the audit, the database's guard."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.models import AuditEvent
from inclusion.devices import services
from inclusion.devices.models import Device, DeviceGift, Loan
from inclusion.devices.stock import DeviceError
from inclusion.extensions import db
from tests import factories

LENT_ON = date(2026, 10, 1)


def _loans() -> int:
    return db.session.scalar(select(func.count(Loan.id)))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _lend(library, device, **changes):
    arguments = {"lent_on": LENT_ON, "due_on": None, "agreement_signed": True, **changes}
    return services.lend_device(
        library.champion,
        library.learner.reference,
        device.asset_tag,
        arguments.pop("lent_on"),
        arguments.pop("due_on"),
        **arguments,
    )


def test_a_loan_records_the_agreement_version_and_is_due_loan_days_later_and_is_audited(app, library):
    app.config.update(LOAN_DAYS=21, LOAN_AGREEMENT_VERSION="2026-11b")
    try:
        device = factories.create_device(library.venue)
        loan = _lend(library, device)
    finally:
        app.config.update(LOAN_DAYS=28, LOAN_AGREEMENT_VERSION="2026-12")
    assert (loan.due_on, loan.agreement_version, loan.venue_id) == (date(2026, 10, 22), "2026-11b", library.venue.id)
    assert db.session.get(Device, device.id).status == "on-loan"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "device_lent"))
    assert (event.user_id, event.record_id, event.details["loan_id"]) == (library.champion.id, str(device.id), loan.id)


def test_lending_a_device_already_on_loan_is_refused_and_nothing_is_written(library):
    device = factories.create_device(library.venue, asset_tag="LAP-7")
    _lend(library, device)
    with pytest.raises(DeviceError, match=r"LAP-7 is already on loan \(due back 29 October 2026\)"):
        _lend(library, device)
    assert _loans() == 1


@pytest.mark.parametrize(("status", "message"), [("retired", "is retired"), ("gifted", "was given away")])
def test_lending_a_retired_or_given_device_is_refused(library, status, message):
    device = factories.create_device(library.venue, status=status)
    with pytest.raises(DeviceError, match=message):
        _lend(library, device)
    assert _loans() == 0 and "device_lent" not in _actions()


def test_a_champion_cannot_lend_a_device_held_at_another_partners_venue(library):
    device = factories.create_device(library.other_venue, asset_tag="MAR-1")
    with pytest.raises(DeviceError, match="MAR-1 is held at Marple Hub, a venue of another partner"):
        _lend(library, device)
    assert _loans() == 0 and db.session.get(Device, device.id).status == "in-stock"


def test_an_unknown_asset_tag_is_a_clear_error(library):
    with pytest.raises(DeviceError, match="No device has the asset tag NOPE-1") as error:
        services.lend_device(
            library.champion, library.learner.reference, "nope-1", LENT_ON, None, agreement_signed=True
        )
    assert error.value.field == "asset_tag"


def test_a_due_date_before_the_loan_date_is_refused(library):
    device = factories.create_device(library.venue)
    with pytest.raises(DeviceError, match="The due date cannot be before the loan date") as error:
        _lend(library, device, due_on=LENT_ON - timedelta(days=1))
    assert error.value.field == "due_on" and _loans() == 0


def test_a_loan_without_the_signed_agreement_is_refused(library):
    device = factories.create_device(library.venue)
    with pytest.raises(DeviceError, match="must sign loan agreement 2026-12"):
        _lend(library, device, agreement_signed=False)
    assert _loans() == 0


def test_a_loan_cannot_start_in_the_future(library):
    device = factories.create_device(library.venue)
    with pytest.raises(DeviceError, match="cannot be in the future"):
        _lend(library, device, lent_on=date(2099, 1, 1))


def test_the_database_keeps_one_open_loan_per_device_whatever_writes_the_row(library):
    device = factories.create_device(library.venue)
    factories.create_loan(device, library.learner)
    other = factories.create_learner(partner=library.partner)
    with pytest.raises(IntegrityError):
        factories.create_loan(device, other, lent_on=date(2026, 10, 2))
    db.session.rollback()
    # Returned loans do not count: the device may be lent again, and again.
    factories.create_loan(device, other, lent_on=date(2026, 9, 1), returned_on=date(2026, 9, 20))
    assert _loans() == 2


def test_a_return_closes_the_loan_puts_the_device_back_in_stock_in_its_condition_and_is_audited(library):
    device = factories.create_device(library.venue)
    loan = _lend(library, device)
    services.return_loan(library.champion, loan.id, date(2026, 10, 20), "fair")
    returned = db.session.get(Loan, loan.id)
    assert (returned.returned_on, returned.return_condition, returned.returned_by_id) == (
        date(2026, 10, 20),
        "fair",
        library.champion.id,
    )
    device = db.session.get(Device, device.id)
    assert (device.status, device.condition) == ("in-stock", "fair")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "loan_returned"))
    assert event.before == {"status": "on-loan", "condition": "good"}
    assert event.after == {"status": "in-stock", "condition": "fair"}
    # ... and it can be lent again
    assert _lend(library, device, lent_on=date(2026, 10, 21)).device_id == device.id


def test_a_return_before_the_loan_date_is_refused_and_the_loan_stays_open(library):
    device = factories.create_device(library.venue)
    loan = _lend(library, device)
    with pytest.raises(DeviceError, match="cannot be before the loan began \\(1 October 2026\\)") as error:
        services.return_loan(library.champion, loan.id, date(2026, 9, 30), "good")
    assert error.value.field == "returned_on"
    assert db.session.get(Loan, loan.id).returned_on is None
    assert db.session.get(Device, device.id).status == "on-loan"
    assert "loan_returned" not in _actions()


def test_a_loan_cannot_be_returned_twice(library):
    loan = _lend(library, factories.create_device(library.venue))
    services.return_loan(library.champion, loan.id, date(2026, 10, 5), "good")
    with pytest.raises(DeviceError, match="already returned on 5 October 2026"):
        services.return_loan(library.champion, loan.id, date(2026, 10, 6), "good")


def test_extending_a_loan_moves_its_due_date_on_and_the_audit_keeps_both(library):
    loan = _lend(library, factories.create_device(library.venue))
    services.extend_loan(library.champion, loan.id, date(2026, 11, 30))
    assert db.session.get(Loan, loan.id).due_on == date(2026, 11, 30)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "loan_extended"))
    assert (event.before, event.after) == ({"due_on": "2026-10-29"}, {"due_on": "2026-11-30"})
    with pytest.raises(DeviceError, match="must be after the current one"):
        services.extend_loan(library.champion, loan.id, date(2026, 11, 1))


def test_gifting_a_device_takes_it_out_of_stock_for_good(library):
    device = factories.create_device(library.venue, asset_tag="TAB-3")
    gift = services.gift_device(library.champion, library.learner.reference, "tab-3", date(2026, 10, 3))
    assert (gift.learner_id, gift.venue_id) == (library.learner.id, library.venue.id)
    assert db.session.get(Device, device.id).status == "gifted"
    assert "device_gifted" in _actions()
    with pytest.raises(DeviceError, match="was given away"):
        _lend(library, device)
    with pytest.raises(DeviceError, match="was given away"):
        services.gift_device(library.champion, library.learner.reference, "TAB-3", date(2026, 10, 3))
    assert db.session.scalar(select(func.count(DeviceGift.id))) == 1


def test_a_device_on_loan_cannot_be_gifted_until_it_is_returned(library):
    device = factories.create_device(library.venue)
    _lend(library, device)
    with pytest.raises(DeviceError, match="already on loan"):
        services.gift_device(library.champion, library.learner.reference, device.asset_tag, date(2026, 10, 3))


def test_another_partners_champion_cannot_return_or_extend_a_loan(library):
    loan = _lend(library, factories.create_device(library.venue))
    outsider = factories.create_user("champion", partner=factories.create_partner())
    with pytest.raises(services.AccessDenied):
        services.return_loan(outsider, loan.id, date(2026, 10, 5), "good")
    with pytest.raises(services.AccessDenied):
        services.extend_loan(outsider, loan.id, date(2026, 12, 5))


def test_a_loan_to_a_merged_duplicate_goes_to_the_learner_kept(library):
    from inclusion.learners.merging import merge_learners

    duplicate = factories.create_learner("Maggie", "Hughes", partner=library.partner)
    merge_learners(library.learner.id, duplicate.id, acting_user_id=library.coordinator.id)
    device = factories.create_device(library.venue)
    loan = services.lend_device(
        library.champion, duplicate.reference, device.asset_tag, LENT_ON, None, agreement_signed=True
    )
    assert loan.learner_id == library.learner.id
