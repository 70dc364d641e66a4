"""Setting up, changing and removing regular slots; who may; and the prefilled "Log this session"."""

from datetime import date, timedelta

from sqlalchemy import ColumnElement, delete, false, select, true

from inclusion.audit.services import changed_fields, record_event
from inclusion.auth.models import User
from inclusion.auth.roles import Role
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.partners.models import Partner, Venue
from inclusion.regular.models import RegularSession, ReminderOptOut
from inclusion.regular.occurrences import slot_dates
from inclusion.regular.rules import SlotDetails, first_occurrence, slot_problems
from inclusion.sessions.models import Attendance, LearningSession

# How far back "the last session of this slot" is looked for.
LAST_SESSION_LOOKBACK_DAYS = 182
MANAGERS = (Role.CHAMPION, Role.COORDINATOR, Role.ADMIN)


class SlotInvalid(ValueError):
    """The slot breaks rules: `problems` maps each form field to its message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class SlotNotAllowed(PermissionError):
    """The user may not see or change this slot."""


def scope_partner_id(user: User) -> int | None:
    """The one partner whose slots and champions the user works with; None: every partner.

    Champions work with their own partner's venues. A coordinator who belongs to a partner works
    with that partner's; a coordinator of the whole alliance (no partner) and admins with all.
    """
    if user.role == Role.ADMIN:
        return None
    return user.partner_id


def venue_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Venue: the venues whose slots the user may see and set up."""
    if user.role not in MANAGERS or (user.role == Role.CHAMPION and user.partner_id is None):
        return false()
    partner_id = scope_partner_id(user)
    return true() if partner_id is None else Venue.partner_id == partner_id


def venues_for(user: User, *, include_id: int | None = None) -> list[Venue]:
    """Open venues the user may set slots up at (plus the slot's own venue, if it has closed since)."""
    condition = Venue.closed_at.is_(None)
    if include_id is not None:
        condition = condition | (Venue.id == include_id)
    return list(db.session.scalars(select(Venue).where(venue_scope(user), condition).order_by(Venue.name)))


def champions_for(user: User) -> list[User]:
    """Active champions the user may put on a slot: those of the partners in the user's scope."""
    partner_id = scope_partner_id(user)
    statement = select(User).where(User.role == Role.CHAMPION, User.active, User.partner_id.is_not(None))
    if partner_id is not None:
        statement = statement.where(User.partner_id == partner_id)
    return list(db.session.scalars(statement.order_by(User.name, User.id)))


def partners_for(user: User) -> list[Partner]:
    partner_id = scope_partner_id(user)
    statement = select(Partner).order_by(Partner.name)
    if partner_id is not None:
        statement = statement.where(Partner.id == partner_id)
    return list(db.session.scalars(statement))


def get_slot(user: User, slot_id: int) -> RegularSession:
    slot = db.session.get(RegularSession, slot_id)
    if slot is None:
        raise LookupError(slot_id)
    if not db.session.scalar(select(Venue.id).where(Venue.id == slot.venue_id, venue_scope(user))):
        raise SlotNotAllowed(f"{user.email} may not see regular session {slot_id}")
    return slot


def list_slots(user: User, *, today: date) -> list[RegularSession]:
    """The slots at the user's venues: those still running first, each by venue, weekday and time."""
    slots = db.session.scalars(
        select(RegularSession)
        .join(Venue, Venue.id == RegularSession.venue_id)
        .where(venue_scope(user))
        .order_by(Venue.name, RegularSession.weekday, RegularSession.start_time, RegularSession.id)
    ).all()
    return sorted(slots, key=lambda slot: slot.ends_on is not None and slot.ends_on < today)


def check_slot(user: User, details: SlotDetails, *, current: RegularSession | None = None) -> dict[str, str]:
    """Every problem with `details` for this user (the rules, the venue, the champions), by field."""
    problems = slot_problems(details)
    venue = db.session.get(Venue, details.venue_id) if details.venue_id else None
    allowed = {venue.id for venue in venues_for(user, include_id=current.venue_id if current else None)}
    if venue is None:
        problems["venue_id"] = "Choose the venue"
    elif venue.id not in allowed:
        closed = venue.closed_at is not None and db.session.scalar(
            select(Venue.id).where(Venue.id == venue.id, venue_scope(user))
        )
        problems["venue_id"] = (
            f"{venue.name} has closed: choose an open venue" if closed else "Choose one of your partner's venues"
        )
    if details.champion_ids:
        champions = {champion.id: champion for champion in champions_for(user)}
        chosen = [champions.get(champion_id) for champion_id in details.champion_ids]
        if any(champion is None for champion in chosen):
            problems["champion_ids"] = "Choose champions from the list"
        elif venue is not None and any(champion.partner_id != venue.partner_id for champion in chosen):
            problems["champion_ids"] = f"Choose champions of {venue.partner.name}, which runs {venue.name}"
    return problems


def _snapshot(slot: RegularSession) -> dict:
    return {
        "venue_id": slot.venue_id,
        "frequency": slot.frequency,
        "weekday": slot.weekday,
        "start_time": slot.start_time.strftime("%H:%M"),
        "session_type": slot.session_type,
        "duration_minutes": slot.duration_minutes,
        "starts_on": slot.starts_on.isoformat(),
        "ends_on": slot.ends_on.isoformat() if slot.ends_on else None,
        "champion_ids": sorted(champion.id for champion in slot.champions),
    }


def _apply(slot: RegularSession, details: SlotDetails) -> None:
    for name in ("venue_id", "frequency", "weekday", "start_time", "session_type", "duration_minutes"):
        setattr(slot, name, getattr(details, name))
    slot.starts_on, slot.ends_on = details.starts_on, details.ends_on
    slot.first_day = first_occurrence(details.starts_on, details.weekday).toordinal()
    ids = list(dict.fromkeys(details.champion_ids))
    slot.champions = list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def create_slot(user: User, details: SlotDetails) -> RegularSession:
    """Set up a slot; raises SlotInvalid with every problem at once."""
    problems = check_slot(user, details)
    if problems:
        raise SlotInvalid(problems)
    with write_transaction():
        slot = RegularSession(created_by_id=user.id)
        _apply(slot, details)
        db.session.add(slot)
        db.session.flush()
        record_event(
            "regular_session_created",
            user_id=user.id,
            record_type="regular_session",
            record_id=slot.id,
            after=_snapshot(slot),
        )
    return slot


def update_slot(user: User, slot: RegularSession, details: SlotDetails) -> RegularSession:
    get_slot(user, slot.id)
    problems = check_slot(user, details, current=slot)
    if problems:
        raise SlotInvalid(problems)
    before = _snapshot(slot)
    with write_transaction():
        _apply(slot, details)
        db.session.flush()
        old, new = changed_fields(before, _snapshot(slot))
        if old or new:
            record_event(
                "regular_session_edited",
                user_id=user.id,
                record_type="regular_session",
                record_id=slot.id,
                before=old,
                after=new,
            )
    return slot


def delete_slot(user: User, slot: RegularSession) -> None:
    """Remove a slot (its logged sessions stay: they never belonged to it)."""
    get_slot(user, slot.id)
    before = _snapshot(slot)
    with write_transaction():
        slot_id = slot.id
        db.session.delete(slot)
        record_event(
            "regular_session_deleted", user_id=user.id, record_type="regular_session", record_id=slot_id, before=before
        )


def last_session_of(slot: RegularSession, before: date) -> LearningSession | None:
    """The latest session logged at the slot's venue on one of its dates before `before`.

    Where a day has several, the one starting at the slot's time, else the last logged.
    """
    dates = slot_dates(slot, before - timedelta(days=LAST_SESSION_LOOKBACK_DAYS), before - timedelta(days=1))
    if not dates:
        return None
    return db.session.scalar(
        select(LearningSession)
        .where(LearningSession.venue_id == slot.venue_id, LearningSession.session_date.in_(dates))
        .order_by(
            LearningSession.session_date.desc(),
            (LearningSession.start_time == slot.start_time).desc(),
            LearningSession.created_at.desc(),
            LearningSession.id.desc(),
        )
        .limit(1)
    )


def prefill_for(slot: RegularSession, day: date) -> list[tuple[str, str]]:
    """The session form's query parameters (sessions/prefill.py) for the slot on `day`.

    From the slot, then (where one exists) the last session of the slot: its type, duration,
    start time and attendees.
    """
    last = last_session_of(slot, day)
    start = last.start_time if last is not None and last.start_time else slot.start_time
    pairs = [
        ("date", day.isoformat()),
        ("venue", str(slot.venue_id)),
        ("start", start.strftime("%H:%M")),
        ("type", last.session_type if last is not None else slot.session_type),
        ("duration", str(last.duration_minutes if last is not None else slot.duration_minutes)),
    ]
    if last is not None:
        attendees = db.session.scalars(
            select(Attendance.learner_id).where(Attendance.session_id == last.id).order_by(Attendance.id)
        )
        pairs.extend(("attendee", str(learner_id)) for learner_id in attendees)
    return pairs


def reminders_on(user: User) -> bool:
    return db.session.get(ReminderOptOut, user.id) is None


def set_reminders(user: User, on: bool) -> None:
    """Turn the user's weekly reminders on or off (audited)."""
    with write_transaction():
        if on:
            db.session.execute(delete(ReminderOptOut).where(ReminderOptOut.user_id == user.id))
        elif db.session.get(ReminderOptOut, user.id) is None:
            db.session.add(ReminderOptOut(user_id=user.id))
        record_event(
            "reminders_turned_on" if on else "reminders_turned_off",
            user_id=user.id,
            record_type="user",
            record_id=user.id,
        )
