"""Device stock: adding, correcting, moving and retiring devices (coordinators and admins), and who sees which."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.services import changed_fields, record_event
from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import write_transaction
from inclusion.devices import rules
from inclusion.devices.models import Device
from inclusion.extensions import db
from inclusion.learners.access import AccessDenied, require_personal_data_access, venue_visible
from inclusion.partners.models import Venue
from inclusion.rules import Invalid
from inclusion.timeutil import today_in_london


class DeviceError(ValueError):
    """A change to devices, loans or gifts that cannot be made as asked; `field` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class DeviceDetails:
    asset_tag: str
    kind: str
    make_model: str
    serial: str | None
    source: str | None
    condition: str
    venue_id: int


FIELD_RULES = {
    "asset_tag": rules.asset_tag,
    "kind": rules.kind,
    "make_model": rules.make_model,
    "serial": rules.serial,
    "source": rules.source,
    "condition": rules.condition,
}


def clean_details(details: DeviceDetails) -> dict:
    """The details through their rules; DeviceError names the first field that breaks one."""
    clean = {}
    for name, rule in FIELD_RULES.items():
        try:
            clean[name] = rule(getattr(details, name))
        except Invalid as error:
            raise DeviceError(error.message, name) from None
    clean["venue_id"] = details.venue_id
    return clean


def may_manage_stock(user: User) -> bool:
    return user.role in ALLIANCE_WIDE_ROLES


def require_stock_manager(user: User) -> None:
    if not may_manage_stock(user):
        raise AccessDenied("Only coordinators and admins add, change, move or retire devices")


def device_visible(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Device: champions see the devices held at their own partner's venues."""
    return Device.venue_id.in_(select(Venue.id).where(venue_visible(user)))


def get_device(user: User, device_id: int, *, for_update: bool = False) -> Device:
    """The device, if the user may see it (LookupError, AccessDenied otherwise)."""
    require_personal_data_access(user)  # device pages show who borrowed them
    stmt = select(Device).where(Device.id == device_id)
    device = db.session.scalar(stmt.with_for_update() if for_update else stmt)
    if device is None:
        raise LookupError(device_id)
    if not db.session.scalar(select(Device.id).where(Device.id == device_id, device_visible(user))):
        raise AccessDenied(f"{user.email} may not see device {device_id}")
    return device


def _venue(venue_id: int | None) -> Venue:
    venue = db.session.scalar(select(Venue).where(Venue.id == venue_id)) if venue_id else None
    if venue is None:
        raise DeviceError("Choose the venue that holds the device", "venue_id")
    return venue


def _tag_taken(asset_tag: str, but_not: int | None = None) -> bool:
    stmt = select(Device.id).where(Device.asset_tag == asset_tag)
    if but_not is not None:
        stmt = stmt.where(Device.id != but_not)
    return db.session.scalar(stmt.limit(1)) is not None


def add_device(user: User, details: DeviceDetails) -> Device:
    """A device joins a venue's stock (in stock); audited. DeviceError for a rule broken or a tag in use."""
    require_stock_manager(user)
    clean = clean_details(details)
    _venue(clean["venue_id"])
    if _tag_taken(clean["asset_tag"]):
        raise DeviceError(f"Another device already has the asset tag {clean['asset_tag']}", "asset_tag")
    try:
        with write_transaction():
            device = Device(**clean, status="in-stock", created_by_id=user.id)
            db.session.add(device)
            db.session.flush()
            record_event("device_added", user_id=user.id, record_type="device", record_id=device.id, after=clean)
    except IntegrityError as error:  # the same tag added by someone else at the same moment
        raise DeviceError(f"Another device already has the asset tag {clean['asset_tag']}", "asset_tag") from error
    return device


def edit_device(user: User, device_id: int, details: DeviceDetails) -> Device:
    """Correct a device's details (not its venue: that is a move); the audit keeps what changed."""
    require_stock_manager(user)
    clean = clean_details(details)
    clean.pop("venue_id")
    try:
        with write_transaction():
            device = get_device(user, device_id, for_update=True)
            if _tag_taken(clean["asset_tag"], but_not=device.id):
                raise DeviceError(f"Another device already has the asset tag {clean['asset_tag']}", "asset_tag")
            before = {name: getattr(device, name) for name in clean}
            for name, value in clean.items():
                setattr(device, name, value)
            old, new = changed_fields(before, clean)
            if new:
                db.session.flush()
                record_event(
                    "device_edited", user_id=user.id, record_type="device", record_id=device.id, before=old, after=new
                )
    except IntegrityError as error:
        raise DeviceError(f"Another device already has the asset tag {clean['asset_tag']}", "asset_tag") from error
    return device


def move_device(user: User, device_id: int, venue_id: int) -> Device:
    """Move a device in stock to another venue (of any partner); audited with both venues."""
    require_stock_manager(user)
    venue = _venue(venue_id)
    with write_transaction():
        device = get_device(user, device_id, for_update=True)
        if device.status != "in-stock":
            raise DeviceError(
                f"{device.asset_tag} is {_status_words(device.status)}: only a device in stock can move", "venue_id"
            )
        if device.venue_id == venue.id:
            raise DeviceError(f"{device.asset_tag} is already at {venue.name}", "venue_id")
        before = device.venue_id
        device.venue_id = venue.id
        record_event(
            "device_moved",
            user_id=user.id,
            record_type="device",
            record_id=device.id,
            before={"venue_id": before},
            after={"venue_id": venue.id},
        )
    return device


def retire_device(user: User, device_id: int, retired_on: date | None) -> Device:
    """Take a device in stock out of use for good (its row and history stay); audited."""
    require_stock_manager(user)
    retired_on = retired_on or today_in_london()
    if retired_on > today_in_london():
        raise DeviceError("The date it was retired cannot be in the future", "retired_on")
    with write_transaction():
        device = get_device(user, device_id, for_update=True)
        if device.status != "in-stock":
            raise DeviceError(
                f"{device.asset_tag} is {_status_words(device.status)}: only a device in stock can be retired",
                "retired_on",
            )
        device.status = "retired"
        device.retired_on = retired_on
        record_event(
            "device_retired",
            user_id=user.id,
            record_type="device",
            record_id=device.id,
            details={"retired_on": retired_on.isoformat()},
        )
    return device


def _status_words(status: str) -> str:
    return {"in-stock": "in stock", "on-loan": "on loan", "gifted": "gifted", "retired": "retired"}[status]


def details_of(device: Device) -> DeviceDetails:
    return DeviceDetails(**{name: getattr(device, name) for name in DeviceDetails.__dataclass_fields__})
