"""A new session form started from query parameters: how a regular slot's "Log this session" fills it.

    /sessions/new?date=2026-11-30&start=10:00&venue=3&type=drop-in&duration=90&attendee=12&attendee=14

Each value is used only if it would pass the session rules (and the venue only if the user may log
sessions there); anything else is left to the form's usual defaults. Attendees pass through the
form's own visibility check when it is drawn. Nothing is saved until the champion saves the form.
"""

from datetime import date

from werkzeug.datastructures import MultiDict

from inclusion.database import row_id
from inclusion.rules import Invalid
from inclusion.sessions import rules
from inclusion.timeutil import today_in_london

MAX_ATTENDEES = 100


def from_query(args: MultiDict, venue_ids: set[int]) -> tuple[dict, list[int]]:
    """(form defaults to override, attendee ids) read from the query string; empty when none is given."""
    defaults: dict = {}
    try:
        day = date.fromisoformat(args.get("date", ""))
        defaults["session_date"] = rules.session_date(day, today_in_london())
    except (ValueError, Invalid):
        pass
    for name, key, rule in (
        ("start_time", "start", rules.start_time),
        ("session_type", "type", rules.session_type),
        ("duration_minutes", "duration", rules.duration_minutes),
    ):
        if args.get(key):
            try:
                value = rule(args.get(key))
            except Invalid:
                continue
            defaults[name] = value.strftime("%H:%M") if name == "start_time" and value else value
    if (venue_id := row_id(args.get("venue"))) in venue_ids:
        defaults["venue_id"] = venue_id
    attendees: list[int] = []
    for value in args.getlist("attendee")[:MAX_ATTENDEES]:
        if (learner_id := row_id(value)) and learner_id not in attendees:
            attendees.append(learner_id)
    return defaults, attendees
