"""The lists of the device pages: a venue's stock, its overdue loans, a device's history. One query a list."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from inclusion.auth.models import User
from inclusion.devices.models import STATUSES, DataGift, Device, DeviceGift, Loan
from inclusion.extensions import db
from inclusion.learners.access import venue_visible, visible_learners
from inclusion.learners.models import Learner
from inclusion.paging import Page, page_within
from inclusion.partners.models import Partner, Venue

PER_PAGE = 50


@dataclass(frozen=True)
class VenueSummary:
    venue_id: int
    venue: str
    partner: str
    counts: dict[str, int]  # status -> devices
    overdue: int


def venue_summaries(user: User, today: date) -> list[VenueSummary]:
    """Every venue the user works at that holds or held devices: devices by status and loans overdue."""
    by_status = db.session.execute(
        select(Device.venue_id, Device.status, func.count())
        .where(Device.venue_id.in_(select(Venue.id).where(venue_visible(user))))
        .group_by(Device.venue_id, Device.status)
    ).all()
    overdue = dict(
        db.session.execute(
            select(Loan.venue_id, func.count())
            .where(Loan.returned_on.is_(None), Loan.due_on < today)
            .where(Loan.venue_id.in_(select(Venue.id).where(venue_visible(user))))
            .group_by(Loan.venue_id)
        ).all()
    )
    counts: dict[int, dict[str, int]] = {}
    for venue_id, status, number in by_status:
        counts.setdefault(venue_id, dict.fromkeys(STATUSES, 0))[status] = number
    wanted = set(counts) | set(overdue)
    if not wanted:
        return []
    venues = db.session.execute(
        select(Venue.id, Venue.name, Partner.name)
        .join(Partner, Partner.id == Venue.partner_id)
        .where(Venue.id.in_(wanted))
        .order_by(Venue.name)
    ).all()
    return [
        VenueSummary(
            venue_id, name, partner, counts.get(venue_id, dict.fromkeys(STATUSES, 0)), overdue.get(venue_id, 0)
        )
        for venue_id, name, partner in venues
    ]


def overdue_on_home(user: User, today: date) -> dict[str, int]:
    """Open loans past their due date at the venues the user works at, and how many venues (one query)."""
    stmt = select(func.count(), func.count(Loan.venue_id.distinct())).where(
        Loan.returned_on.is_(None), Loan.due_on < today
    )
    overdue, venues = db.session.execute(
        stmt.where(Loan.venue_id.in_(select(Venue.id).where(venue_visible(user))))
    ).one()
    return {"overdue": overdue or 0, "venues": venues or 0}


def venue_stock(venue_id: int, status: str | None, page: int) -> Page:
    """A venue's devices (optionally of one status), by asset tag, with the open loan's due date and borrower.

    Read through the (venue_id, status, asset_tag) index; the open loan through the one-open-loan index.
    """
    where = [Device.venue_id == venue_id] + ([Device.status == status] if status else [])
    total = db.session.scalar(select(func.count()).select_from(Device).where(*where))
    page = page_within(page, total, PER_PAGE)
    rows = db.session.execute(
        select(
            Device.id,
            Device.asset_tag,
            Device.kind,
            Device.make_model,
            Device.condition,
            Device.status,
            Loan.id.label("loan_id"),
            Loan.due_on,
            Learner.reference,
        )
        .outerjoin(Loan, (Loan.device_id == Device.id) & Loan.returned_on.is_(None))
        .outerjoin(Learner, Learner.id == Loan.learner_id)
        .where(*where)
        .order_by(Device.asset_tag)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return Page(rows, total, page, PER_PAGE)


def overdue_loans(user: User, venue_id: int, today: date, page: int) -> Page:
    """A venue's open loans due before today, most overdue first, with the device and the borrower.

    The borrower's name and phone only where `user` may see the learner (learners/access.py): a
    loan at a partner's venue to someone registered and attending elsewhere shows the reference alone.
    """
    seen = visible_learners(user)
    where = (Loan.venue_id == venue_id, Loan.returned_on.is_(None), Loan.due_on < today)
    total = db.session.scalar(select(func.count()).select_from(Loan).where(*where))
    page = page_within(page, total, PER_PAGE)
    rows = db.session.execute(
        select(
            Loan.id.label("loan_id"),
            Loan.lent_on,
            Loan.due_on,
            Device.id.label("device_id"),
            Device.asset_tag,
            Device.make_model,
            Learner.reference,
            case((seen, Learner.first_name), else_=None).label("first_name"),
            case((seen, Learner.last_name), else_=None).label("last_name"),
            case((seen, Learner.phone), else_=None).label("phone"),
            case((seen, True), else_=False).label("visible"),
        )
        .join(Device, Device.id == Loan.device_id)
        .join(Learner, Learner.id == Loan.learner_id)
        .where(*where)
        .order_by(Loan.due_on, Loan.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return Page(rows, total, page, PER_PAGE)


def device_loans(device_id: int) -> list:
    """Every loan of a device, newest first, with the borrower's reference (an erased learner's too)."""
    return db.session.execute(
        select(Loan, Learner.reference, Venue.name)
        .join(Learner, Learner.id == Loan.learner_id)
        .join(Venue, Venue.id == Loan.venue_id)
        .where(Loan.device_id == device_id)
        .order_by(Loan.lent_on.desc(), Loan.id.desc())
    ).all()


def device_gift(device_id: int):
    return db.session.execute(
        select(DeviceGift, Learner.reference, Venue.name)
        .join(Learner, Learner.id == DeviceGift.learner_id)
        .join(Venue, Venue.id == DeviceGift.venue_id)
        .where(DeviceGift.device_id == device_id)
    ).first()


@dataclass
class LearnerDevices:
    reference: str
    loans: list
    gifts: list
    data_gifts: list

    @property
    def open_loans(self) -> int:
        return sum(1 for loan in self.loans if loan.returned_on is None)


def learner_devices(learner_id: int, reference: str) -> LearnerDevices:
    """A learner's loans, devices given and SIMs or vouchers given (three small queries)."""
    loans = db.session.scalars(
        select(Loan)
        .options(joinedload(Loan.device), joinedload(Loan.venue))
        .where(Loan.learner_id == learner_id)
        .order_by(Loan.lent_on.desc(), Loan.id.desc())
    ).all()
    gifts = db.session.scalars(
        select(DeviceGift)
        .options(joinedload(DeviceGift.device), joinedload(DeviceGift.venue))
        .where(DeviceGift.learner_id == learner_id)
        .order_by(DeviceGift.given_on.desc())
    ).all()
    data = db.session.scalars(
        select(DataGift)
        .options(joinedload(DataGift.venue))
        .where(DataGift.learner_id == learner_id)
        .order_by(DataGift.given_on.desc(), DataGift.id.desc())
    ).all()
    return LearnerDevices(reference, list(loans), list(gifts), list(data))
