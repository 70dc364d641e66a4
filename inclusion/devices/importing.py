"""Adding devices from a spreadsheet: whole or not at all, read within the learner import's limits.

The file is read by the imports package (inclusion/imports/reading.py, with the IMPORT_MAX_* limits
of imports/services.read_limits), its header checked by imports/parsing.check_columns, and each cell
by the same rules as the device form (devices/rules.py). Any problem: nothing is written.
"""

from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.devices.models import Device
from inclusion.devices.stock import FIELD_RULES, require_stock_manager
from inclusion.extensions import db
from inclusion.imports.cells import with_control_character_problems, without_control_characters
from inclusion.imports.parsing import ImportFileError, Problem, Table, check_columns
from inclusion.imports.services import read_upload_table
from inclusion.partners.models import Venue
from inclusion.rules import Invalid
from inclusion.timeutil import utcnow

COLUMNS = ("asset_tag", "kind", "make_model", "serial", "source", "condition", "venue")
REQUIRED = ("asset_tag", "kind", "make_model", "condition", "venue")
CHUNK = 500

__all__ = ["COLUMNS", "DeviceImport", "ImportFileError", "import_devices"]


@dataclass
class DeviceImport:
    rows: int
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    devices: list[dict] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.problems and not self.dry_run


def _existing_tags(tags: list[str]) -> set[str]:
    found: set[str] = set()
    wanted = sorted(set(tags))
    for start in range(0, len(wanted), CHUNK):
        found.update(
            db.session.scalars(select(Device.asset_tag).where(Device.asset_tag.in_(wanted[start : start + CHUNK])))
        )
    return found


def plan_devices(table: Table) -> DeviceImport:
    """Every problem in the file, or the devices to add (nothing is written)."""
    plan = DeviceImport(rows=len(table.rows), dry_run=True, problems=check_columns(table, COLUMNS, REQUIRED))
    if plan.problems:
        return plan
    venues = {name.lower(): venue_id for venue_id, name in db.session.execute(select(Venue.id, Venue.name))}
    seen: dict[str, int] = {}
    for number, raw in table.rows:
        values, dirty = without_control_characters(raw)
        problems: list[Problem] = []
        device = {}
        for column, rule in FIELD_RULES.items():
            try:
                device[column] = rule(values.get(column, ""))
            except Invalid as error:
                problems.append(Problem(number, column, error.cell))
        venue_name = values.get("venue", "").strip()
        if not venue_name:
            problems.append(Problem(number, "venue", "is required"))
        elif venue_name.lower() not in venues:
            problems.append(Problem(number, "venue", f"no venue is called '{venue_name}'"))
        else:
            device["venue_id"] = venues[venue_name.lower()]
        tag = device.get("asset_tag")
        if tag:
            if tag in seen:
                problems.append(Problem(number, "asset_tag", f"{tag} is also on row {seen[tag]}"))
            seen.setdefault(tag, number)
        problems = with_control_character_problems(number, dirty, problems)
        plan.problems.extend(problems)
        if not problems:
            plan.devices.append(device)
    for tag in sorted(_existing_tags(list(seen))):
        plan.problems.append(Problem(seen[tag], "asset_tag", f"another device already has the asset tag {tag}"))
    plan.problems.sort(key=lambda problem: problem.row)
    return plan


def import_devices(user: User, data: bytes, filename: str, *, dry_run: bool = False) -> DeviceImport:
    """Read and check a devices spreadsheet; unless a dry run or anything is wrong, add every device at once.

    Raises ImportFileError for a file that cannot be read or breaks a limit.
    """
    require_stock_manager(user)
    table = read_upload_table(data, filename)
    if dry_run:
        return plan_devices(table)
    try:
        with write_transaction():
            plan = plan_devices(table)  # checked inside the transaction, so the tags are still free when written
            plan.dry_run = False
            if plan.problems:
                return plan
            now = utcnow()
            rows = [
                {**device, "status": "in-stock", "created_at": now, "created_by_id": user.id} for device in plan.devices
            ]
            for start in range(0, len(rows), CHUNK):
                db.session.execute(insert(Device), rows[start : start + CHUNK])
            record_event(
                "import_devices",
                user_id=user.id,
                record_type="import",
                record_id=None,
                details={"file": filename[:200], "rows": plan.rows, "devices_added": len(rows)},
            )
    except IntegrityError:
        raise ImportFileError(
            "Another import or change added some of the same asset tags at the same time. Nothing was added: try again"
        ) from None
    return plan
