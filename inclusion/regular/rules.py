"""The rules of a regular slot, checked together so that every problem is shown at once."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from inclusion.regular.models import FREQUENCIES
from inclusion.sessions.constants import SESSION_TYPES
from inclusion.sessions.rules import EARLIEST_SESSION_DATE

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LATEST_START = date(2100, 1, 1)


@dataclass
class SlotDetails:
    """A slot as typed: any value may be None when it was missing or not understood."""

    venue_id: int | None = None
    frequency: str | None = "weekly"
    weekday: int | None = None
    start_time: time | None = None
    session_type: str | None = "drop-in"
    duration_minutes: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    champion_ids: list[int] = field(default_factory=list)


def first_occurrence(starts_on: date, weekday: int) -> date:
    """The first date on or after `starts_on` that falls on `weekday` (0 = Monday)."""
    return starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)


def slot_problems(details: SlotDetails) -> dict[str, str]:
    """Field name -> message for every rule the slot breaks (checks needing a missing value are skipped)."""
    problems: dict[str, str] = {}
    if details.frequency not in FREQUENCIES:
        problems["frequency"] = "Choose how often the session runs"
    if details.weekday is None or not 0 <= details.weekday <= 6:
        problems["weekday"] = "Choose the day of the week the session runs on"
    if details.session_type not in SESSION_TYPES:
        problems["session_type"] = "Choose the type of session"
    starts, ends = details.starts_on, details.ends_on
    if starts is not None and not EARLIEST_SESSION_DATE <= starts < LATEST_START:
        problems["starts_on"] = "The first date must be after 1 January 2000 and before 2100"
    if starts is not None and ends is not None and ends < starts:
        problems["ends_on"] = "The last date must be the same as or after the first date"
    elif (
        starts is not None
        and ends is not None
        and "weekday" not in problems
        and "starts_on" not in problems
        and first_occurrence(starts, details.weekday) > ends
    ):
        day = WEEKDAYS[details.weekday]
        problems["weekday"] = (
            f"There is no {day} between {starts:%-d %B %Y} and {ends:%-d %B %Y}: choose another day or change the dates"
        )
    if details.start_time is not None and details.duration_minutes is not None:
        start_minutes = details.start_time.hour * 60 + details.start_time.minute
        if start_minutes + details.duration_minutes > 24 * 60:
            problems["duration_minutes"] = (
                f"The session must end by midnight: starting at {details.start_time:%H:%M}, "
                f"it can last at most {24 * 60 - start_minutes} minutes"
            )
    return problems
