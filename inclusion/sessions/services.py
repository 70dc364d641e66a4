"""Logging, correcting and deleting sessions with their attendees and the skills they showed."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES, Role
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.access import AccessDenied, require_personal_data_access
from inclusion.learners.services import visible_learner_ids
from inclusion.partners.models import Venue
from inclusion.rules import Invalid
from inclusion.sessions import rules
from inclusion.sessions.locking import lock_counted_learners
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement, session_champions
from inclusion.timeutil import to_london, today_in_london, utcnow

EDIT_WINDOW = timedelta(days=14)  # a champion may correct their own session for two weeks


class SessionError(ValueError):
    """A user mistake about a session; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class SessionDetails:
    session_date: date
    venue_id: int
    duration_minutes: int
    session_type: str = "drop-in"
    start_time: time | None = None
    notes: str | None = None
    unregistered_attendees: int = 0
    attendees: list[int] = field(default_factory=list)
    skills: dict[int, list[str]] = field(default_factory=dict)  # learner id -> skill codes gained


def get_session(user: User, session_id: int) -> LearningSession:
    """The session, if the user may see it: champions see sessions at their partner's venues."""
    require_personal_data_access(user)
    learning_session = db.session.get(LearningSession, session_id)
    if learning_session is None:
        raise LookupError(session_id)
    if user.role not in ALLIANCE_WIDE_ROLES and learning_session.venue.partner_id != user.partner_id:
        raise AccessDenied(f"{user.email} may not see session {session_id}")
    return learning_session


def may_change(user: User, learning_session: LearningSession) -> bool:
    """Coordinators and admins always; a champion, their own session for 14 days after logging it."""
    if user.role in ALLIANCE_WIDE_ROLES:
        return True
    return (
        user.role == Role.CHAMPION
        and learning_session.created_by_id == user.id
        and utcnow() - learning_session.created_at <= EDIT_WINDOW
    )


def _follow_the_rules(details: SessionDetails) -> None:
    """The session's own fields through the session rules, cleaned in place; the first broken rule is the error."""
    checks = {
        "session_date": lambda value: rules.session_date(value, today_in_london()),
        "start_time": rules.start_time,
        "session_type": rules.session_type,
        "duration_minutes": rules.duration_minutes,
        "unregistered_attendees": rules.unregistered_attendees,
        "notes": rules.notes,
    }
    for name, rule in checks.items():
        try:
            setattr(details, name, rule(getattr(details, name)))
        except Invalid as error:
            raise SessionError(error.message, name) from None


def _closed_before(venue: Venue, details: SessionDetails, late: bool) -> bool:
    """Whether the venue's closure stops this session: always, unless it is `late` (kept on a device
    while offline) and took place on or before the day the venue closed."""
    if venue.closed_at is None:
        return False
    return not (late and details.session_date <= to_london(venue.closed_at).date())


def _check(
    user: User, details: SessionDetails, current_venue_id: int | None = None, *, late: bool = False
) -> tuple[Venue, dict]:
    """Validate everything, whoever the caller; returns the venue and the skills by code."""
    _follow_the_rules(details)
    venue = db.session.get(Venue, details.venue_id) if details.venue_id else None
    if venue is None:
        raise SessionError("Choose a venue from the list", "venue_id")
    if user.role not in ALLIANCE_WIDE_ROLES and venue.partner_id != user.partner_id:
        raise SessionError("Choose one of your partner's venues", "venue_id")
    if venue.id != current_venue_id and _closed_before(venue, details, late):
        raise SessionError(f"{venue.name} has closed: choose an open venue", "venue_id")
    attendees = list(dict.fromkeys(details.attendees))
    if not attendees and details.unregistered_attendees == 0:
        raise SessionError(
            "Add at least one attendee, or the number of people helped who would not register", "attendees"
        )
    if len(visible_learner_ids(user, attendees)) != len(attendees):
        raise SessionError("One of the attendees cannot be added: search for them again", "attendees")
    codes = {code for learner_id in attendees for code in details.skills.get(learner_id, [])}
    skills = {skill.code: skill for skill in db.session.scalars(select(Skill).where(Skill.code.in_(codes)))}
    unknown = [code for code in codes if code not in skills or skills[code].retired_at is not None]
    if unknown:
        raise SessionError(f"Unknown skill: {', '.join(sorted(unknown))}", "attendees")
    details.attendees = attendees
    return venue, skills


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    """The fields that changed; snapshots are JSON already (lists and dicts kept whole for the audit)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def _snapshot(learning_session: LearningSession, attendees: list[int], skills: dict[int, list[str]]) -> dict:
    start = learning_session.start_time
    return {
        "session_date": learning_session.session_date.isoformat(),
        "start_time": start.strftime("%H:%M") if start else None,
        "venue_id": learning_session.venue_id,
        "session_type": learning_session.session_type,
        "duration_minutes": learning_session.duration_minutes,
        "notes": learning_session.notes,
        "unregistered_attendees": learning_session.unregistered_attendees,
        "attendees": sorted(attendees),
        "skills": {str(k): sorted(v) for k, v in sorted(skills.items()) if v},
    }


def current_attendance(learning_session: LearningSession) -> tuple[list[int], dict[int, list[str]]]:
    """The session's attendee ids and, for each, the codes of the skills recorded at it."""
    attendees = list(
        db.session.scalars(
            select(Attendance.learner_id).where(Attendance.session_id == learning_session.id).order_by(Attendance.id)
        )
    )
    skills: dict[int, list[str]] = {learner_id: [] for learner_id in attendees}
    for learner_id, code in db.session.execute(
        select(SkillAchievement.learner_id, Skill.code)
        .join(Skill, SkillAchievement.skill_id == Skill.id)
        .where(SkillAchievement.session_id == learning_session.id)
        .order_by(Skill.code)
    ):
        skills.setdefault(learner_id, []).append(code)
    return attendees, skills


def _apply(learning_session: LearningSession, details: SessionDetails) -> None:
    for name in (
        "session_date",
        "start_time",
        "venue_id",
        "session_type",
        "duration_minutes",
        "unregistered_attendees",
    ):
        setattr(learning_session, name, getattr(details, name))
    learning_session.notes = details.notes or None


def _lock(session_id: int) -> None:
    """Hold the session row until commit (PostgreSQL; SQLite has one writer anyway), before any write.

    Two people changing one session at once then take turns, and the database triggers that copy
    a session's date and venue onto its attendances see the other's rows (migration 3f6a9c2d7b15).
    """
    db.session.execute(select(LearningSession.id).where(LearningSession.id == session_id).with_for_update())


def _write_attendance(session_id: int, details: SessionDetails, skills: dict) -> None:
    """Replace the session's attendances and achievements with those in `details` (flushes only)."""
    lock_counted_learners(details.attendees, [session_id])
    db.session.execute(delete(SkillAchievement).where(SkillAchievement.session_id == session_id))
    db.session.execute(delete(Attendance).where(Attendance.session_id == session_id))
    for learner_id in details.attendees:
        db.session.add(Attendance(session_id=session_id, learner_id=learner_id))
        for code in sorted(set(details.skills.get(learner_id, []))):
            db.session.add(SkillAchievement(session_id=session_id, learner_id=learner_id, skill_id=skills[code].id))
    db.session.flush()


def find_by_idempotency_key(key: str) -> LearningSession | None:
    return db.session.scalar(select(LearningSession).where(LearningSession.idempotency_key == key))


def _same_form(user: User, key: str | None) -> LearningSession | None:
    """The session already stored from this form by this user; another user's key is an error, not theirs."""
    existing = find_by_idempotency_key(key) if key else None
    if existing is not None and existing.created_by_id != user.id:
        raise SessionError("This form was already used to save a session: open a new session form and enter it again")
    return existing


def record_session(
    user: User, details: SessionDetails, idempotency_key: str | None = None, *, late: bool = False
) -> tuple[LearningSession, bool]:
    """Store a new session; returns (session, created). A repeated idempotency key returns the first one.

    `late`: the session was kept on a device while offline and is sent now; a venue that closed
    after the session's date does not stop it (the session happened while the venue was open).
    """
    require_personal_data_access(user)
    try:
        idempotency_key = rules.idempotency_key(idempotency_key)
    except Invalid as error:
        raise SessionError(error.message) from None
    existing = _same_form(user, idempotency_key)
    if existing is not None:
        return existing, False
    venue, skills = _check(user, details, late=late)
    try:
        with write_transaction():
            learning_session = LearningSession(idempotency_key=idempotency_key or None, created_by_id=user.id)
            _apply(learning_session, details)
            db.session.add(learning_session)
            db.session.flush()
            db.session.execute(session_champions.insert().values(session_id=learning_session.id, user_id=user.id))
            _write_attendance(learning_session.id, details, skills)
            record_event(
                "session_logged",
                user_id=user.id,
                record_type="session",
                record_id=learning_session.id,
                after=_snapshot(learning_session, details.attendees, details.skills),
            )
    except IntegrityError:
        # The same form arrived twice at once: the database let one in; this is the other.
        existing = _same_form(user, idempotency_key)
        if existing is None:
            raise
        return existing, False
    return learning_session, True


def update_session(user: User, learning_session: LearningSession, details: SessionDetails) -> LearningSession:
    """Correct a session (its attendees and skills too); audited with before/after values."""
    get_session(user, learning_session.id)
    if not may_change(user, learning_session):
        raise AccessDenied("Only the champion who logged it (within 14 days) or a coordinator may change it")
    old_attendees, old_skills = current_attendance(learning_session)
    before = _snapshot(learning_session, old_attendees, old_skills)
    _venue, skills = _check(user, details, current_venue_id=learning_session.venue_id)
    with write_transaction():
        _lock(learning_session.id)
        _apply(learning_session, details)
        _write_attendance(learning_session.id, details, skills)
        old, new = _diff(before, _snapshot(learning_session, details.attendees, details.skills))
        if old or new:
            record_event(
                "session_edited",
                user_id=user.id,
                record_type="session",
                record_id=learning_session.id,
                before=old,
                after=new,
            )
    return learning_session


def delete_session(user: User, learning_session: LearningSession) -> None:
    """Delete a session, its attendances and achievements; never a learner. Audited with what it held."""
    get_session(user, learning_session.id)
    if not may_change(user, learning_session):
        raise AccessDenied("Only the champion who logged it (within 14 days) or a coordinator may delete it")
    attendees, skills = current_attendance(learning_session)
    before = _snapshot(learning_session, attendees, skills)
    session_id = learning_session.id
    with write_transaction():
        _lock(session_id)
        db.session.execute(delete(SkillAchievement).where(SkillAchievement.session_id == session_id))
        db.session.execute(delete(Attendance).where(Attendance.session_id == session_id))
        db.session.execute(session_champions.delete().where(session_champions.c.session_id == session_id))
        db.session.execute(delete(LearningSession).where(LearningSession.id == session_id))
        db.session.expunge(learning_session)
        record_event("session_deleted", user_id=user.id, record_type="session", record_id=session_id, before=before)
