"""Subject access: everything held about one learner, as JSON and CSV files in a zip (one CSV per owner's table)."""

import io
import json
import logging
import zipfile

from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.csv_safety import csv_bytes
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.learner_data import ExportTable, learner_data_owners
from inclusion.learners.models import Learner
from inclusion.learners.privacy import (
    PrivacyError,
    _with_merged,
    check_may_manage_personal_data,
    find_learner,
)
from inclusion.learners.rules import RECORD_FIELDS, TYPED_FIELDS
from inclusion.observability.logs import security_event
from inclusion.partners.models import Partner
from inclusion.timeutil import utcnow

DETAIL_FIELDS = ("reference", *TYPED_FIELDS, *RECORD_FIELDS)
README = """Everything {alliance} holds about learner {reference}, made on {made} (UTC).

{files}
"""


OWN_NAMES = {"learner", "merged_duplicates", "audit_entries", "learner.json", "details.csv", "audit.csv", "README.txt"}


def _readme_lines(tables: list[ExportTable], merged: bool) -> str:
    files = [
        ("learner.json", "all of it in one file"),
        ("details.csv", "the learner's record" + (", and any duplicate records merged into it" if merged else "")),
        *((table.file_name, table.description) for table in tables),
        ("audit.csv", "the history of changes to and uses of the record"),
    ]
    return "\n".join(f"{name.ljust(14)} {description}" for name, description in files)


def _text(value) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def collect_learner_data(learner: Learner) -> tuple[dict, list[ExportTable]]:
    """The learner's record (and any duplicates merged into it), every owner's rows, and audit entries.

    Returns the whole (learner.json) and the owners' tables (one CSV file each).
    """
    ids = _with_merged([learner.id])
    learners = db.session.scalars(select(Learner).where(Learner.id.in_(ids)).order_by(Learner.id)).all()
    references = {record.id: record.reference for record in learners}
    partners = dict(db.session.execute(select(Partner.id, Partner.name)).all())
    staff_ids = {r.consent_recorded_by_id for r in learners} | {r.registered_by_id for r in learners}
    staff = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(staff_ids - {None}))).all())

    def details(record: Learner) -> dict:
        values = {name: _text(getattr(record, name, None)) for name in DETAIL_FIELDS}
        values["registered_partner"] = partners.get(record.registered_partner_id)
        values["consent_recorded_by"] = staff.get(record.consent_recorded_by_id)
        values["registered_by"] = staff.get(record.registered_by_id)
        values["merged_into"] = record.merged_into.reference if record.merged_into_id else None
        return values

    audit = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.record_type == "learner", AuditEvent.record_id.in_([str(i) for i in ids]))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    tables = [table for owner in learner_data_owners() for table in owner.export(ids, references)]
    names = [name for table in tables for name in (table.key, table.file_name)]
    if len(set(names)) != len(names) or set(names) & OWN_NAMES:
        raise RuntimeError(f"Learner-data owners export clashing names: {names}")  # a file would be lost
    data = {
        "learner": details(learner),
        "merged_duplicates": [details(record) for record in learners if record.id != learner.id],
        **{table.key: table.rows for table in tables},
        "audit_entries": [
            {
                "when": _text(event.occurred_at),
                "by": by,
                "action": event.action,
                "record": references[int(event.record_id)],
                "before": event.before,
                "after": event.after,
                "details": event.details,
            }
            for event, by in audit
        ],
    }
    return data, tables


def _rows_csv(rows: list[dict], columns: tuple[str, ...]) -> bytes:
    return csv_bytes(columns, ([_cell(row.get(column)) for column in columns] for row in rows))


def _cell(value) -> object:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def subject_access_export(
    reference: str, *, acting_user: User | None, alliance: str = "the alliance"
) -> tuple[str, bytes]:
    """(file name, zip bytes) of everything held about the learner; the export is audited."""
    check_may_manage_personal_data(acting_user)
    learner = find_learner(reference)
    if learner is None:
        raise PrivacyError("There is no learner with that reference")
    data, tables = collect_learner_data(learner)
    made = utcnow()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                alliance=alliance,
                reference=learner.reference,
                made=made.isoformat(timespec="seconds"),
                files=_readme_lines(tables, merged=bool(data["merged_duplicates"])),
            ),
        )
        archive.writestr("learner.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr(
            "details.csv",
            csv_bytes(("field", "value"), ((name, data["learner"][name]) for name in DETAIL_FIELDS)),
        )
        for table in tables:
            archive.writestr(table.file_name, _rows_csv(table.rows, table.columns))
        archive.writestr(
            "audit.csv",
            _rows_csv(data["audit_entries"], ("when", "by", "action", "record", "before", "after", "details")),
        )
    with write_transaction():
        event = record_event(
            "learner_data_exported",
            user_id=acting_user.id if acting_user else None,
            record_type="learner",
            record_id=learner.id,
            details={"format": "zip", "purpose": "subject access"},
        )
        db.session.flush()
    # The audit event says whose data it was; the log line only points to it.
    security_event("export", level=logging.INFO, export="subject_access", audit_event_id=event.id)
    return f"subject-access-{learner.reference}-{made:%Y%m%d}.zip", buffer.getvalue()
