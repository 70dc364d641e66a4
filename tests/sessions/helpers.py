"""Form data for the session form, as a browser would post it."""

from datetime import date


def session_form(venue, *, on: date = date(2026, 9, 4), attendees=(), skills=None, **overrides) -> dict:
    data = {
        "session_date": [str(on.day), str(on.month), str(on.year)],
        "start_time": "10:00",
        "venue_id": str(venue.id),
        "session_type": "drop-in",
        "duration_minutes": "90",
        "unregistered_attendees": "0",
        "notes": "",
        "idempotency_key": "key-1",
        "action": "save",
        "attendee": [str(learner.id) for learner in attendees],
    }
    for learner, codes in (skills or {}).items():
        data[f"skills-{learner.id}"] = codes
    data.update(overrides)
    return data
