"""Subject access: everything held about one learner, as JSON and CSV files in a zip."""

import io
import json
import logging
import zipfile

from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.imports.csv_cells import csv_bytes
from inclusion.learners.models import Learner
from inclusion.learners.privacy import (
    PrivacyError,
    _with_merged,
    check_may_manage_personal_data,
    find_learner,
)
from inclusion.observability.logs import security_event
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement
from inclusion.timeutil import utcnow

DETAIL_FIELDS = (
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "age_band",
    "postcode",
    "email",
    "phone",
    "gender",
    "ethnicity",
    "disability",
    "lawful_basis",
    "consent_method",
    "consent_recorded_by",
    "consent_recorded_at",
    "privacy_notice_version",
    "registered_on",
    "registered_partner",
    "registered_by",
    "merged_into",
    "anonymised_at",
    "created_at",
    "updated_at",
)
README = """Everything {alliance} holds about learner {reference}, made on {made} (UTC).

learner.json   all of it in one file
details.csv    the learner's record{merged}
attendance.csv the sessions they attended (date, place, type, length)
skills.csv     the skills they showed, and at which session
audit.csv      the history of changes to and uses of the record
"""


def _text(value) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def collect_learner_data(learner: Learner) -> dict:
    """The learner's record (and any duplicates merged into it), attendance, skills and audit entries."""
    ids = _with_merged([learner.id])
    learners = db.session.scalars(select(Learner).where(Learner.id.in_(ids)).order_by(Learner.id)).all()
    by_id = {record.id: record for record in learners}
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

    attendance = db.session.execute(
        select(
            Attendance.learner_id,
            LearningSession.session_date,
            LearningSession.start_time,
            Venue.name,
            LearningSession.session_type,
            LearningSession.duration_minutes,
        )
        .join(LearningSession, LearningSession.id == Attendance.session_id)
        .join(Venue, Venue.id == LearningSession.venue_id)
        .where(Attendance.learner_id.in_(ids))
        .order_by(LearningSession.session_date, LearningSession.id)
    )
    skills = db.session.execute(
        select(SkillAchievement.learner_id, Skill.code, Skill.title, LearningSession.session_date, Venue.name)
        .join(Skill, Skill.id == SkillAchievement.skill_id)
        .join(LearningSession, LearningSession.id == SkillAchievement.session_id)
        .join(Venue, Venue.id == LearningSession.venue_id)
        .where(SkillAchievement.learner_id.in_(ids))
        .order_by(LearningSession.session_date, Skill.code)
    )
    audit = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.record_type == "learner", AuditEvent.record_id.in_([str(i) for i in ids]))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return {
        "learner": details(learner),
        "merged_duplicates": [details(record) for record in learners if record.id != learner.id],
        "attendance": [
            {
                "record": by_id[lid].reference,
                "session_date": _text(day),
                "start_time": _text(start),
                "venue": venue,
                "session_type": kind,
                "duration_minutes": minutes,
            }
            for lid, day, start, venue, kind, minutes in attendance
        ],
        "skills": [
            {
                "record": by_id[lid].reference,
                "code": code,
                "skill": title,
                "session_date": _text(day),
                "venue": venue,
            }
            for lid, code, title, day, venue in skills
        ],
        "audit_entries": [
            {
                "when": _text(event.occurred_at),
                "by": by,
                "action": event.action,
                "record": by_id[int(event.record_id)].reference,
                "before": event.before,
                "after": event.after,
                "details": event.details,
            }
            for event, by in audit
        ],
    }


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
    data = collect_learner_data(learner)
    made = utcnow()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                alliance=alliance,
                reference=learner.reference,
                made=made.isoformat(timespec="seconds"),
                merged=", and any duplicate records merged into it" if data["merged_duplicates"] else "",
            ),
        )
        archive.writestr("learner.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr(
            "details.csv",
            csv_bytes(("field", "value"), ((name, data["learner"][name]) for name in DETAIL_FIELDS)),
        )
        archive.writestr(
            "attendance.csv",
            _rows_csv(
                data["attendance"],
                ("record", "session_date", "start_time", "venue", "session_type", "duration_minutes"),
            ),
        )
        archive.writestr("skills.csv", _rows_csv(data["skills"], ("record", "code", "skill", "session_date", "venue")))
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
