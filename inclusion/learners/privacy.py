"""Residents' data rights: erasure by anonymisation, and retention of inactive records."""

from datetime import date

from sqlalchemy import false, func, or_, select, union_all, update

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.fields import search_key
from inclusion.learners.learner_data import learner_data_owners
from inclusion.learners.models import Learner
from inclusion.timeutil import today_in_london, utcnow

ERASED_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "postcode",
    "email",
    "phone",
    "gender",
    "ethnicity",
    "disability",
    "heard_about",
)
# Keys that may hold erased values inside earlier audit entries about the learner.
PERSONAL_KEYS = {*ERASED_FIELDS, "search_name", "name", "full_name"}
ANONYMOUS_FIRST, ANONYMOUS_LAST = "Anonymised", "learner"
ERASED = "[erased]"
CHUNK = 500


class PrivacyError(ValueError):
    """A request that cannot be done, with a message fit to show the user."""


def check_may_manage_personal_data(user: User | None) -> None:
    """Only coordinators and admins (or the system itself, user None) use these tools."""
    if user is not None and user.role not in ALLIANCE_WIDE_ROLES:
        raise PermissionError("Only coordinators and administrators can do this")


def find_learner(reference: str) -> Learner | None:
    return db.session.scalar(select(Learner).where(Learner.reference == reference.strip().upper()))


def _with_merged(learner_ids: list[int]) -> list[int]:
    """The learners and every duplicate merged into them: one person's records."""
    merged = db.session.scalars(select(Learner.id).where(Learner.merged_into_id.in_(learner_ids))).all()
    return list(dict.fromkeys([*learner_ids, *merged]))


def _erase(learner_ids: list[int]) -> None:
    """Overwrite the personal fields (keeping the age band), scrub earlier audit values, and ask each owner."""
    now = utcnow()
    for start in range(0, len(learner_ids), CHUNK):
        chunk = learner_ids[start : start + CHUNK]
        db.session.execute(
            update(Learner)
            .where(Learner.id.in_(chunk))
            .values(
                first_name=ANONYMOUS_FIRST,
                last_name=ANONYMOUS_LAST,
                search_name=search_key(ANONYMOUS_FIRST, ANONYMOUS_LAST),
                anonymised_at=now,
                **{field: None for field in ERASED_FIELDS if field not in ("first_name", "last_name")},
            ),
            execution_options={"synchronize_session": False},
        )
        events = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.record_type == "learner", AuditEvent.record_id.in_([str(i) for i in chunk])
            )
        )
        for event in events:
            for attribute in ("before", "after", "details"):
                values = getattr(event, attribute)
                if values and PERSONAL_KEYS & values.keys():
                    setattr(
                        event,
                        attribute,
                        {
                            key: (ERASED if key in PERSONAL_KEYS and value is not None else value)
                            for key, value in values.items()
                        },
                    )
        for owner in learner_data_owners():  # a chunk at a time too: a query's parameters are limited
            owner.anonymise(chunk)
    db.session.flush()
    db.session.expire_all()  # objects loaded earlier must not show the erased values


def anonymise_learner(reference: str, confirmation: str, *, acting_user: User | None) -> Learner:
    """Erase a learner's name, date of birth, postcode, contact and equality details, irreversibly.

    `confirmation` must be the learner's reference, typed by the person asking. The audit entry
    names the fields erased, never their values.
    """
    check_may_manage_personal_data(acting_user)
    with write_transaction():
        learner = find_learner(reference)
        if learner is None:
            raise PrivacyError("There is no learner with that reference")
        if learner.anonymised_at is not None:
            raise PrivacyError("This learner's details have already been erased")
        if confirmation.strip().upper() != learner.reference:
            raise PrivacyError(f"Type the learner's reference, {learner.reference}, exactly to confirm")
        learner_id = learner.id
        ids = _with_merged([learner_id])
        _erase(ids)
        record_event(
            "learner_anonymised",
            user_id=acting_user.id if acting_user else None,
            record_type="learner",
            record_id=learner_id,
            details={
                "fields_erased": list(ERASED_FIELDS),
                "reason": "request",
                "merged_records_erased": len(ids) - 1,
            },
        )
    return db.session.get(Learner, learner_id)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _last_active():
    """Subquery (learner_id, last_seen): each learner's latest day of activity in any owner's rows."""
    activity = [query for owner in learner_data_owners() if (query := owner.last_activity()) is not None]
    if not activity:  # no owner records activity: only the registration date counts
        nothing = select(Learner.id.label("learner_id"), Learner.registered_on.label("last_seen")).where(false())
        return nothing.subquery()
    days = union_all(*activity).subquery()
    return select(days.c.learner_id, func.max(days.c.day).label("last_seen")).group_by(days.c.learner_id).subquery()


def inactive_learners(years: int, today: date | None = None) -> list[tuple[int, str, date | None]]:
    """(id, reference, last activity) of learners to anonymise after `years` without activity.

    A learner qualifies when they registered before the cut-off and have no activity on or
    after it (never active counts as no activity). Activity is what the owners' `last_activity`
    name: today, attendance at a session. Records already anonymised, and duplicates merged
    into another record (they follow the record kept), are left out.
    """
    cutoff = years_before(today or today_in_london(), years)
    last_seen = _last_active()
    query = (
        select(Learner.id, Learner.reference, last_seen.c.last_seen)
        .outerjoin(last_seen, last_seen.c.learner_id == Learner.id)
        .where(
            Learner.anonymised_at.is_(None),
            Learner.merged_into_id.is_(None),
            Learner.registered_on < cutoff,
            or_(last_seen.c.last_seen.is_(None), last_seen.c.last_seen < cutoff),
        )
        .order_by(Learner.reference)
    )
    return [tuple(row) for row in db.session.execute(query)]


def anonymise_inactive(
    years: int, *, dry_run: bool = False, acting_user_id: int | None = None, today: date | None = None
) -> list[tuple[int, str, date | None]]:
    """Anonymise every inactive learner (see inactive_learners); returns who was (or would be) anonymised."""
    if years < 1:
        raise PrivacyError("--years must be 1 or more")
    if dry_run:
        return inactive_learners(years, today)
    with write_transaction():
        found = inactive_learners(years, today)
        if found:
            _erase(_with_merged([learner_id for learner_id, _, _ in found]))
            for learner_id, _, last_seen in found:
                record_event(
                    "learner_anonymised",
                    user_id=acting_user_id,
                    record_type="learner",
                    record_id=learner_id,
                    details={
                        "fields_erased": list(ERASED_FIELDS),
                        "reason": f"no attendance for {years} years",
                        "last_attendance": last_seen and last_seen.isoformat(),
                    },
                )
    return found
