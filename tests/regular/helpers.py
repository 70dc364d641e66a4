"""Form data for the regular slot form, as a browser would post it."""

from datetime import date


def slot_form(venue, *, starts_on: date = date(2026, 9, 7), ends_on: date | None = None, champions=(), **overrides):
    data = {
        "venue_id": str(venue.id),
        "frequency": "weekly",
        "weekday": "0",
        "start_time": "10:00",
        "session_type": "drop-in",
        "duration_minutes": "90",
        "starts_on": [str(starts_on.day), str(starts_on.month), str(starts_on.year)],
        "ends_on": [str(ends_on.day), str(ends_on.month), str(ends_on.year)] if ends_on else ["", "", ""],
        "champion_ids": [str(champion.id) for champion in champions],
    }
    data.update(overrides)
    return data
