"""Loans, device gifts and data gifts as learner data: merge and undo, subject access, erasure, the learner page."""

from typing import Any

from sqlalchemy import select, union_all, update

from inclusion.devices.models import DataGift, Device, DeviceGift, Loan
from inclusion.devices.queries import learner_devices
from inclusion.extensions import db
from inclusion.learners.learner_data import ExportTable, LearnerDataOwner, LearnerPanel
from inclusion.partners.models import Venue

LOAN_COLUMNS = (
    "record",
    "asset_tag",
    "device",
    "venue",
    "lent_on",
    "due_on",
    "agreement_version",
    "returned_on",
    "return_condition",
)
GIFT_COLUMNS = ("record", "asset_tag", "device", "venue", "given_on")
DATA_COLUMNS = ("record", "kind", "network", "identifier", "eligibility_reason", "venue", "given_on", "expires_on")
MODELS = {"loans": Loan, "device_gifts": DeviceGift, "data_gifts": DataGift}


def _text(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _rows(columns, result, references) -> list[dict[str, Any]]:
    return [
        dict(zip(columns, (references[learner_id], *(_text(value) for value in values)), strict=True))
        for learner_id, *values in result
    ]


class DeviceRecords(LearnerDataOwner):
    """The devices package's rows about a learner. Loans and gifts hold no personal detail beyond whom they
    went to: erasure keeps them, tied to the anonymised learner, so the figures and each device's history
    stand. A SIM's ICCID or a voucher's code is removed (it could be traced to the person)."""

    name = "devices"
    tables = ("loans", "device_gifts", "data_gifts")

    def merge(self, keep_id: int, duplicate_id: int) -> dict[str, Any]:
        """Move the duplicate's loans and gifts to the learner kept (no table is unique per learner)."""
        record = {}
        for key, model in MODELS.items():
            moved = list(db.session.scalars(select(model.id).where(model.learner_id == duplicate_id)))
            if moved:
                db.session.execute(update(model).where(model.id.in_(moved)).values(learner_id=keep_id))
            record[f"moved_{key}_ids"] = moved
        return record

    def undo_merge(self, keep_id: int, duplicate_id: int, record: dict[str, Any]) -> None:
        for key, model in MODELS.items():
            moved = record.get(f"moved_{key}_ids", [])
            if moved:
                db.session.execute(
                    update(model)
                    .where(model.id.in_(moved), model.learner_id == keep_id)
                    .values(learner_id=duplicate_id)
                )

    def export(self, learner_ids: list[int], references: dict[int, str]) -> list[ExportTable]:
        loans = db.session.execute(
            select(
                Loan.learner_id,
                Device.asset_tag,
                Device.make_model,
                Venue.name,
                Loan.lent_on,
                Loan.due_on,
                Loan.agreement_version,
                Loan.returned_on,
                Loan.return_condition,
            )
            .join(Device, Device.id == Loan.device_id)
            .join(Venue, Venue.id == Loan.venue_id)
            .where(Loan.learner_id.in_(learner_ids))
            .order_by(Loan.lent_on, Loan.id)
        )
        gifts = db.session.execute(
            select(DeviceGift.learner_id, Device.asset_tag, Device.make_model, Venue.name, DeviceGift.given_on)
            .join(Device, Device.id == DeviceGift.device_id)
            .join(Venue, Venue.id == DeviceGift.venue_id)
            .where(DeviceGift.learner_id.in_(learner_ids))
            .order_by(DeviceGift.given_on, DeviceGift.id)
        )
        data = db.session.execute(
            select(
                DataGift.learner_id,
                DataGift.kind,
                DataGift.network,
                DataGift.identifier,
                DataGift.eligibility_reason,
                Venue.name,
                DataGift.given_on,
                DataGift.expires_on,
            )
            .join(Venue, Venue.id == DataGift.venue_id)
            .where(DataGift.learner_id.in_(learner_ids))
            .order_by(DataGift.given_on, DataGift.id)
        )
        return [
            ExportTable(
                "loans",
                "loans.csv",
                "devices lent to them: when, until when, and how each came back",
                LOAN_COLUMNS,
                _rows(LOAN_COLUMNS, loans, references),
            ),
            ExportTable(
                "device_gifts",
                "device_gifts.csv",
                "devices given to them to keep",
                GIFT_COLUMNS,
                _rows(GIFT_COLUMNS, gifts, references),
            ),
            ExportTable(
                "data_gifts",
                "data_gifts.csv",
                "SIM cards and data vouchers given to them, with the SIM's or voucher's number",
                DATA_COLUMNS,
                _rows(DATA_COLUMNS, data, references),
            ),
        ]

    def anonymise(self, learner_ids: list[int]) -> None:
        """Keep loans and gifts (the figures and the devices' history); remove SIM and voucher numbers."""
        db.session.execute(update(DataGift).where(DataGift.learner_id.in_(learner_ids)).values(identifier=None))

    def last_activity(self):
        """Borrowing, returning, or being given a device or data is contact with the learner."""
        days = union_all(
            select(Loan.learner_id.label("learner_id"), Loan.lent_on.label("day")),
            select(Loan.learner_id, Loan.returned_on).where(Loan.returned_on.is_not(None)),
            select(DeviceGift.learner_id, DeviceGift.given_on),
            select(DataGift.learner_id, DataGift.given_on),
        ).subquery("device_activity")
        return select(days.c.learner_id.label("learner_id"), days.c.day.label("day"))

    def panel(self, learner) -> LearnerPanel:
        devices = learner_devices(learner.id, learner.reference)
        summary = [("Devices and data", _summary(devices))]
        return LearnerPanel("devices/_learner_panel.html", devices, summary)


def _summary(devices) -> str:
    if not (devices.loans or devices.gifts or devices.data_gifts):
        return "None yet"
    parts = []
    if devices.loans:
        parts.append(f"{len(devices.loans)} loan{'s' if len(devices.loans) != 1 else ''} ({devices.open_loans} open)")
    if devices.gifts:
        parts.append(f"{len(devices.gifts)} device{'s' if len(devices.gifts) != 1 else ''} given")
    if devices.data_gifts:
        parts.append(f"{len(devices.data_gifts)} SIM or voucher{'s' if len(devices.data_gifts) != 1 else ''}")
    return ", ".join(parts)
