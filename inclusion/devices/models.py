"""Devices and data: stock held at venues, loans and gifts of devices, and SIMs or data vouchers given."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inclusion.extensions import db
from inclusion.timeutil import utcnow

KINDS = ("laptop", "tablet", "phone", "hotspot", "other")
STATUSES = ("in-stock", "on-loan", "gifted", "retired")
CONDITIONS = ("new", "good", "fair", "poor", "broken")
DATA_GIFT_KINDS = ("sim", "voucher")
ELIGIBILITY_REASONS = (
    "no-home-internet",
    "cannot-afford-data",
    "benefits-or-low-income",
    "job-seeking",
    "referred-by-partner",
    "other",
)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


class Device(db.Model):
    """One device the alliance holds (or held: a gifted or retired device keeps its row and its history)."""

    __tablename__ = "devices"
    __table_args__ = (
        _one_of("kind", KINDS, "kind_known"),
        _one_of("status", STATUSES, "status_known"),
        _one_of("condition", CONDITIONS, "condition_known"),
        # A venue's stock list: its devices by status, then asset tag.
        Index("ix_devices_venue_id_status_asset_tag", "venue_id", "status", "asset_tag"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_tag: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    make_model: Mapped[str] = mapped_column(String(120))
    serial: Mapped[str | None] = mapped_column(String(80))
    source: Mapped[str | None] = mapped_column(String(120))  # where it came from, e.g. a device bank batch
    condition: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="in-stock")
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    retired_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    venue = relationship("Venue")


class Loan(db.Model):
    """A device lent to a learner at a venue; open until returned_on is set. One open loan per device."""

    __tablename__ = "loans"
    __table_args__ = (
        CheckConstraint("due_on >= lent_on", name="due_after_lent"),
        CheckConstraint("returned_on IS NULL OR returned_on >= lent_on", name="returned_after_lent"),
        CheckConstraint(
            "return_condition IS NULL OR return_condition IN ('new', 'good', 'fair', 'poor', 'broken')",
            name="return_condition_known",
        ),
        # At most one open loan per device, kept by the database whatever writes the row.
        Index(
            "uq_loans_one_open_per_device",
            "device_id",
            unique=True,
            sqlite_where=text("returned_on IS NULL"),
            postgresql_where=text("returned_on IS NULL"),
        ),
        # The overdue list of a venue: its open loans by due date.
        Index(
            "ix_loans_open_venue_id_due_on",
            "venue_id",
            "due_on",
            sqlite_where=text("returned_on IS NULL"),
            postgresql_where=text("returned_on IS NULL"),
        ),
        Index("ix_loans_learner_id", "learner_id"),
        Index("ix_loans_device_id", "device_id"),
        Index("ix_loans_lent_on", "lent_on"),
        Index("ix_loans_returned_on", "returned_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    lent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lent_on: Mapped[date]
    due_on: Mapped[date]
    agreement_version: Mapped[str] = mapped_column(String(20))
    returned_on: Mapped[date | None]
    return_condition: Mapped[str | None] = mapped_column(String(10))
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    device: Mapped[Device] = relationship()
    learner = relationship("Learner")
    venue = relationship("Venue")


class DeviceGift(db.Model):
    """A device given to a learner to keep (its status becomes gifted). A device is gifted at most once."""

    __tablename__ = "device_gifts"
    __table_args__ = (
        Index("ix_device_gifts_learner_id", "learner_id"),
        Index("ix_device_gifts_given_on", "given_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), unique=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    given_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    device: Mapped[Device] = relationship()
    learner = relationship("Learner")
    venue = relationship("Venue")


class DataGift(db.Model):
    """A SIM or data voucher given to a learner. The identifier (ICCID or code) only coordinators see;
    erasure removes it (the rest counts in the figures)."""

    __tablename__ = "data_gifts"
    __table_args__ = (
        _one_of("kind", DATA_GIFT_KINDS, "kind_known"),
        _one_of("eligibility_reason", ELIGIBILITY_REASONS, "eligibility_known"),
        CheckConstraint("expires_on >= given_on", name="expires_after_given"),
        Index("ix_data_gifts_learner_id", "learner_id"),
        Index("ix_data_gifts_given_on", "given_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(10))
    network: Mapped[str] = mapped_column(String(40))
    identifier: Mapped[str | None] = mapped_column(String(40))  # None once the learner is erased
    eligibility_reason: Mapped[str] = mapped_column(String(30))
    given_on: Mapped[date]
    expires_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    venue = relationship("Venue")
