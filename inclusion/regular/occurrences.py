"""A slot's occurrences, computed (never stored) by the database for a window of days.

The window's days are a small derived table (one row a day: the date, its weekday and its day
number), joined to the slots running then: a weekly slot occurs on every day of its weekday, a
fortnightly one on those whose day number is a multiple of 14 from its first occurrence. The
same join tells whether each occurrence is logged (a session at the venue on that date), so a
page or the reminders read every occurrence of every slot in one query.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import ColumnElement, Date, Integer, and_, exists, literal, or_, select, union_all

from inclusion.extensions import db
from inclusion.partners.models import Venue
from inclusion.regular.models import RegularSession, regular_session_champions
from inclusion.regular.rules import first_occurrence
from inclusion.sessions.models import LearningSession

MAX_WINDOW_DAYS = 62


@dataclass(frozen=True)
class Occurrence:
    slot_id: int
    venue_id: int
    venue_name: str
    day: date
    start_time: time
    session_type: str
    duration_minutes: int
    frequency: str
    logged: bool
    champion_id: int | None = None  # set when asked per champion (the reminders)

    def is_due(self, today: date) -> bool:
        """Happened (today or earlier) but nobody has logged it."""
        return not self.logged and self.day <= today


def _days(first: date, last: date):
    count = (last - first).days + 1
    if not 0 < count <= MAX_WINDOW_DAYS:
        raise ValueError(f"a window of 1 to {MAX_WINDOW_DAYS} days, not {count}")
    rows = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        rows.append(
            select(
                literal(day, Date).label("day"),
                literal(day.weekday(), Integer).label("weekday"),
                literal(day.toordinal(), Integer).label("day_number"),
            )
        )
    return union_all(*rows).subquery("days")


def occurrences(
    first: date, last: date, conditions: Sequence[ColumnElement[bool]] = (), *, per_champion: bool = False
) -> list[Occurrence]:
    """Every occurrence from `first` to `last` of the slots meeting `conditions`, by day and time.

    With per_champion, one row per occurrence and champion of the slot (slots without a champion
    are left out): what the reminders need.
    """
    days = _days(first, last)
    slot = RegularSession
    on_a_day = and_(
        days.c.weekday == slot.weekday,
        days.c.day >= slot.starts_on,
        or_(slot.ends_on.is_(None), days.c.day <= slot.ends_on),
        or_(slot.frequency == "weekly", (days.c.day_number - slot.first_day) % 14 == 0),
    )
    logged = exists().where(LearningSession.venue_id == slot.venue_id, LearningSession.session_date == days.c.day)
    columns = [
        slot.id,
        slot.venue_id,
        Venue.name,
        days.c.day,
        slot.start_time,
        slot.session_type,
        slot.duration_minutes,
        slot.frequency,
        logged.label("logged"),
    ]
    statement = select(*columns).join(Venue, Venue.id == slot.venue_id).join(days, on_a_day)
    if per_champion:
        champion = regular_session_champions.c.user_id
        statement = statement.add_columns(champion).join(
            regular_session_champions, regular_session_champions.c.regular_session_id == slot.id
        )
    statement = statement.where(
        slot.starts_on <= last, or_(slot.ends_on.is_(None), slot.ends_on >= first), *conditions
    ).order_by(days.c.day, slot.start_time, Venue.name, slot.id)
    return [Occurrence(*row) for row in db.session.execute(statement)]


def weeks_window(today: date) -> tuple[date, date]:
    """Monday of last week to Sunday of this week: what the sessions list and the home page show."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), monday + timedelta(days=6)


def slot_dates(slot: RegularSession, first: date, last: date) -> list[date]:
    """The slot's dates from `first` to `last` (in Python, for one slot: the same rule as the query)."""
    start = max(first, slot.starts_on)
    end = min(last, slot.ends_on) if slot.ends_on else last
    if start > end:
        return []
    step = 7 if slot.frequency == "weekly" else 14
    day = first_occurrence(slot.starts_on, slot.weekday)
    if day < start:
        day += timedelta(days=((start - day).days + step - 1) // step * step)
    dates = []
    while day <= end:
        dates.append(day)
        day += timedelta(days=step)
    return dates


def is_occurrence(slot: RegularSession, day: date) -> bool:
    return day in slot_dates(slot, day, day)
