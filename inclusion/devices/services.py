"""Lending, returning, extending and gifting devices, and giving SIMs and data: every rule checked first.

Each service locks the device's row for the rest of its transaction, so two people lending the
same device at once queue: the second finds it on loan and is told so. Underneath, the database
keeps one open loan per device (a partial unique index), whatever writes the row.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.devices import rules
from inclusion.devices.models import (
    CONDITIONS,
    DATA_GIFT_KINDS,
    ELIGIBILITY_REASONS,
    DataGift,
    Device,
    DeviceGift,
    Loan,
)
from inclusion.devices.stock import DeviceError, device_visible
from inclusion.extensions import db
from inclusion.learners.access import AccessDenied, venue_visible
from inclusion.learners.models import Learner
from inclusion.learners.services import get_learner
from inclusion.partners.models import Venue
from inclusion.reports.periods import add_months
from inclusion.rules import Invalid
from inclusion.timeutil import today_in_london


def default_due_on(lent_on: date) -> date:
    """The LOAN_DAYS setting after the loan starts."""
    return lent_on + timedelta(days=current_app.config["LOAN_DAYS"])


def default_expires_on(given_on: date) -> date:
    """DATA_GIFT_MONTHS after the gift, on the same day of the month (or that month's last day)."""
    months = current_app.config["DATA_GIFT_MONTHS"]
    first = add_months(given_on, months)
    last_day = (add_months(first, 1) - timedelta(days=1)).day
    return first.replace(day=min(given_on.day, last_day))


def agreement_version() -> str:
    return current_app.config["LOAN_AGREEMENT_VERSION"]


def _borrower(user: User, reference: str) -> Learner:
    learner = get_learner(user, reference)  # LookupError / AccessDenied
    if learner.merged_into_id is not None:
        learner = db.session.get(Learner, learner.merged_into_id)
    if learner.anonymised_at is not None:
        raise DeviceError(f"{learner.reference} was anonymised: nothing more can be recorded for them")
    return learner


def _not_in_future(day: date, what: str, field: str) -> None:
    if day > today_in_london():
        raise DeviceError(f"{what} cannot be in the future", field)


def _device_to_hand_over(user: User, asset_tag: str) -> Device:
    """The device with this tag, locked, if it is in stock at a venue the user works at."""
    try:
        tag = rules.asset_tag(asset_tag)
    except Invalid as error:
        raise DeviceError(error.message, "asset_tag") from None
    device = db.session.scalar(select(Device).where(Device.asset_tag == tag).with_for_update())
    if device is None:
        raise DeviceError(f"No device has the asset tag {tag}: check the label", "asset_tag")
    if not db.session.scalar(select(Device.id).where(Device.id == device.id, device_visible(user))):
        raise DeviceError(
            f"{tag} is held at {device.venue.name}, a venue of another partner: "
            "ask a coordinator to move it to your venue first",
            "asset_tag",
        )
    if device.status == "on-loan":
        open_loan = db.session.scalar(select(Loan).where(Loan.device_id == device.id, Loan.returned_on.is_(None)))
        due = f" (due back {open_loan.due_on:%-d %B %Y})" if open_loan else ""
        raise DeviceError(f"{tag} is already on loan{due}: record its return first", "asset_tag")
    if device.status == "retired":
        raise DeviceError(f"{tag} is retired and cannot be lent or given", "asset_tag")
    if device.status == "gifted":
        raise DeviceError(f"{tag} was given away and is no longer in stock", "asset_tag")
    return device


ALREADY_LENT = "{tag} was lent to someone else a moment ago: it is on loan now. Choose another device"


def lend_device(
    user: User, reference: str, asset_tag: str, lent_on: date, due_on: date | None, *, agreement_signed: bool
) -> Loan:
    """Lend a device in stock at one of the user's venues to a learner they may see; audited.

    The due date defaults to LOAN_DAYS after the loan; the loan agreement's version (a setting) is recorded.
    """
    learner = _borrower(user, reference)
    _not_in_future(lent_on, "The loan date", "lent_on")
    due_on = due_on or default_due_on(lent_on)
    if due_on < lent_on:
        raise DeviceError("The due date cannot be before the loan date", "due_on")
    if not agreement_signed:
        raise DeviceError(f"The learner must sign loan agreement {agreement_version()} before borrowing", "agreement")
    tag = asset_tag
    try:
        with write_transaction():
            device = _device_to_hand_over(user, asset_tag)
            tag = device.asset_tag
            loan = Loan(
                device_id=device.id,
                learner_id=learner.id,
                venue_id=device.venue_id,
                lent_by_id=user.id,
                lent_on=lent_on,
                due_on=due_on,
                agreement_version=agreement_version(),
            )
            db.session.add(loan)
            device.status = "on-loan"
            db.session.flush()
            record_event(
                "device_lent",
                user_id=user.id,
                record_type="device",
                record_id=device.id,
                details={
                    "loan_id": loan.id,
                    "learner_id": learner.id,
                    "lent_on": lent_on.isoformat(),
                    "due_on": due_on.isoformat(),
                    "agreement_version": loan.agreement_version,
                },
            )
    except IntegrityError as error:  # another loan of the device committed first (the partial unique index)
        raise DeviceError(ALREADY_LENT.format(tag=tag), "asset_tag") from error
    return loan


def get_loan(user: User, loan_id: int, *, for_update: bool = False) -> Loan:
    """The loan, if the user may see the device (LookupError, AccessDenied otherwise)."""
    stmt = select(Loan).where(Loan.id == loan_id)
    loan = db.session.scalar(stmt.with_for_update() if for_update else stmt)
    if loan is None:
        raise LookupError(loan_id)
    if not db.session.scalar(select(Device.id).where(Device.id == loan.device_id, device_visible(user))):
        raise AccessDenied(f"{user.email} may not see loan {loan_id}")
    return loan


def return_loan(user: User, loan_id: int, returned_on: date, condition: str) -> Loan:
    """The device came back (in this condition): the loan closes and the device is in stock again; audited."""
    if condition not in CONDITIONS:
        raise DeviceError("Choose the condition the device came back in", "condition")
    _not_in_future(returned_on, "The return date", "returned_on")
    with write_transaction():
        loan = get_loan(user, loan_id, for_update=True)
        device = db.session.scalar(select(Device).where(Device.id == loan.device_id).with_for_update())
        if loan.returned_on is not None:
            raise DeviceError(f"This loan was already returned on {loan.returned_on:%-d %B %Y}", "returned_on")
        if returned_on < loan.lent_on:
            raise DeviceError(
                f"The return date cannot be before the loan began ({loan.lent_on:%-d %B %Y})", "returned_on"
            )
        loan.returned_on, loan.return_condition, loan.returned_by_id = returned_on, condition, user.id
        before = {"status": device.status, "condition": device.condition}
        device.status, device.condition = "in-stock", condition
        record_event(
            "loan_returned",
            user_id=user.id,
            record_type="device",
            record_id=device.id,
            before=before,
            after={"status": "in-stock", "condition": condition},
            details={"loan_id": loan.id, "returned_on": returned_on.isoformat()},
        )
    return loan


def extend_loan(user: User, loan_id: int, due_on: date) -> Loan:
    """A later due date for an open loan; the audit keeps both dates."""
    with write_transaction():
        loan = get_loan(user, loan_id, for_update=True)
        if loan.returned_on is not None:
            raise DeviceError(
                f"This loan was returned on {loan.returned_on:%-d %B %Y}: it cannot be extended", "due_on"
            )
        if due_on <= loan.due_on:
            raise DeviceError(f"The new due date must be after the current one ({loan.due_on:%-d %B %Y})", "due_on")
        before = loan.due_on
        loan.due_on = due_on
        record_event(
            "loan_extended",
            user_id=user.id,
            record_type="device",
            record_id=loan.device_id,
            before={"due_on": before.isoformat()},
            after={"due_on": due_on.isoformat()},
            details={"loan_id": loan.id},
        )
    return loan


def gift_device(user: User, reference: str, asset_tag: str, given_on: date) -> DeviceGift:
    """Give a device in stock to a learner to keep: it leaves the stock as gifted; audited."""
    learner = _borrower(user, reference)
    _not_in_future(given_on, "The date it was given", "given_on")
    try:
        with write_transaction():
            device = _device_to_hand_over(user, asset_tag)
            gift = DeviceGift(
                device_id=device.id,
                learner_id=learner.id,
                venue_id=device.venue_id,
                given_by_id=user.id,
                given_on=given_on,
            )
            db.session.add(gift)
            device.status = "gifted"
            db.session.flush()
            record_event(
                "device_gifted",
                user_id=user.id,
                record_type="device",
                record_id=device.id,
                details={"gift_id": gift.id, "learner_id": learner.id, "given_on": given_on.isoformat()},
            )
    except IntegrityError as error:  # given by someone else at the same moment (one gift per device)
        raise DeviceError(f"{asset_tag.strip().upper()} was given to someone else a moment ago", "asset_tag") from error
    return gift


@dataclass(frozen=True)
class DataGiftDetails:
    kind: str
    network: str
    identifier: str
    eligibility_reason: str
    given_on: date
    expires_on: date | None  # None: DATA_GIFT_MONTHS after given_on
    venue_id: int


def give_data(user: User, reference: str, details: DataGiftDetails) -> DataGift:
    """Record a SIM or data voucher given to a learner at a venue the user works at; audited (not the identifier)."""
    learner = _borrower(user, reference)
    if details.kind not in DATA_GIFT_KINDS:
        raise DeviceError("Choose a SIM or a data voucher", "kind")
    try:
        network = rules.network(details.network)
    except Invalid as error:
        raise DeviceError(error.message, "network") from None
    try:
        identifier = rules.identifier(details.identifier)
    except Invalid as error:
        raise DeviceError(error.message, "identifier") from None
    if details.eligibility_reason not in ELIGIBILITY_REASONS:
        raise DeviceError("Choose why the learner was eligible", "eligibility_reason")
    _not_in_future(details.given_on, "The date it was given", "given_on")
    expires_on = details.expires_on or default_expires_on(details.given_on)
    if expires_on < details.given_on:
        raise DeviceError("The expiry date cannot be before the date it was given", "expires_on")
    if not db.session.scalar(select(Venue.id).where(Venue.id == details.venue_id, venue_visible(user))):
        raise DeviceError("Choose a venue you work at", "venue_id")
    with write_transaction():
        gift = DataGift(
            learner_id=learner.id,
            venue_id=details.venue_id,
            given_by_id=user.id,
            kind=details.kind,
            network=network,
            identifier=identifier,
            eligibility_reason=details.eligibility_reason,
            given_on=details.given_on,
            expires_on=expires_on,
        )
        db.session.add(gift)
        db.session.flush()
        record_event(
            "data_gift_recorded",
            user_id=user.id,
            record_type="learner",
            record_id=learner.id,
            details={
                "data_gift_id": gift.id,
                "kind": gift.kind,
                "network": network,
                "given_on": gift.given_on.isoformat(),
            },
        )
    return gift


__all__ = ["AccessDenied", "DeviceError"]
