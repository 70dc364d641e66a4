"""The one set of rules for what is typed about a session: the web form, the services and the import.

As for learners (learners/rules.py): each rule returns the clean value or raises `Invalid` with
the form's sentence and, where a spreadsheet needs other words, the import's.
"""

import re
from datetime import date, time

from inclusion.rules import Invalid, limited, plain_text, whole_number
from inclusion.sessions.constants import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, SESSION_TYPES

EARLIEST_SESSION_DATE = date(2000, 1, 1)
MAX_UNREGISTERED = 1000
NOTES_MAX_LENGTH = 2000  # the draft of a half-entered session travels in the signed session cookie
SESSION_REF_MAX_LENGTH = 100
IDEMPOTENCY_KEY_MAX_LENGTH = 64  # LearningSession.idempotency_key
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
START_TIME_MAX_LENGTH = 8  # '10:30', or '10.30 am' as some type it
COUNT_MAX_LENGTH = 5  # minutes (at most 600) and people: a longer number is a typing slip
_TIME = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})(?::([0-9]{2}))?$")
_DURATION = f"Duration must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES} minutes"


def session_date(value: date, today: date) -> date:
    """Today or earlier, and not before 2000 (a mistyped year)."""
    if value > today:
        raise Invalid("The date of the session must be today or in the past", cell="cannot be in the future")
    if value < EARLIEST_SESSION_DATE:
        raise Invalid("The date of the session must be after 1 January 2000")
    return value


@limited(START_TIME_MAX_LENGTH)
def start_time(value: object) -> time | None:
    """HH:MM on the 24-hour clock (10:30, 9.05; a spreadsheet's seconds are dropped); empty is none."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = plain_text(value)
    if not text:
        return None
    match = _TIME.match(text)
    hour, minute = (int(match.group(1)), int(match.group(2))) if match else (24, 0)
    if hour > 23 or minute > 59 or (match.group(3) and int(match.group(3)) > 59):
        raise Invalid("Enter a start time like 10:30, using the 24-hour clock")
    return time(hour, minute)


def session_type(value: object) -> str:
    kind = plain_text(value).lower() or "drop-in"
    if kind not in SESSION_TYPES:
        raise Invalid("Choose the type of session", cell=f"'{value}' is not one of {', '.join(SESSION_TYPES)}")
    return kind


@limited(COUNT_MAX_LENGTH)
def duration_minutes(value: object) -> int:
    """A whole number of minutes, 1 to 600."""
    if isinstance(value, int):
        minutes = value
    else:
        text = plain_text(value)
        if not text:
            raise Invalid("Enter how long the session lasted", cell="is required")
        minutes = whole_number(text)
        if minutes is None:
            raise Invalid(
                f"{_DURATION}: enter a whole number, like 60", cell="enter a whole number of minutes, like 60"
            )
    if not MIN_DURATION_MINUTES <= minutes <= MAX_DURATION_MINUTES:
        raise Invalid(_DURATION, cell=f"must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES} minutes")
    return minutes


@limited(COUNT_MAX_LENGTH)
def unregistered_attendees(value: object) -> int:
    """People helped who would not register: 0 (when left empty) to 1000."""
    if isinstance(value, int):
        number = value
    else:
        text = plain_text(value)
        number = whole_number(text) if text else 0
    if number is None or not 0 <= number <= MAX_UNREGISTERED:
        raise Invalid(f"Enter a whole number from 0 to {MAX_UNREGISTERED}")
    return number


@limited(NOTES_MAX_LENGTH)
def notes(value: object) -> str | None:
    text = plain_text(value)
    if len(text) > NOTES_MAX_LENGTH:
        raise Invalid(f"Notes must be {NOTES_MAX_LENGTH} characters or fewer")
    return text or None


@limited(SESSION_REF_MAX_LENGTH)
def session_ref(value: object) -> str | None:
    """An import's own name for a session (rows with the same one are one session)."""
    text = plain_text(value)
    if len(text) > SESSION_REF_MAX_LENGTH:
        raise Invalid(f"must be {SESSION_REF_MAX_LENGTH} characters or fewer")
    return text or None


def idempotency_key(value: object) -> str | None:
    """The one-time key a session form carries (the server's token, or a browser's UUID); empty is none."""
    text = plain_text(value)
    if not text:
        return None
    if not _IDEMPOTENCY_KEY.match(text):
        raise Invalid("This form could not be saved: open a new session form and enter the session again")
    return text
