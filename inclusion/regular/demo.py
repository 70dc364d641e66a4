"""Regular sessions for `flask demo seed` and bulk slots for `flask demo generate --regular-sessions N`."""

import random
from datetime import date, time, timedelta

from sqlalchemy import func, insert, select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.partners.models import Venue
from inclusion.regular.models import RegularSession, regular_session_champions
from inclusion.regular.rules import first_occurrence
from inclusion.timeutil import utcnow

# (venue, frequency, weekday, start, minutes, type, champion e-mail) for the demo alliance. Central
# Library's Tuesdays are the days the demo logs its sessions (core/demo_data.py); nobody logs Reddish
# on Mondays, so last Monday is always there to be logged (and to be reminded of).
DEMO_SLOTS = (
    ("Central Library", "weekly", 1, time(10, 0), 120, "drop-in", "champion@example.org"),
    ("Reddish Library", "weekly", 0, time(14, 0), 90, "group", "champion@example.org"),
    ("Age Friendly Hub, Merseyway", "weekly", 2, time(10, 30), 90, "drop-in", "champion2@example.org"),
)
GENERATED_TIMES = (time(10, 0), time(10, 30), time(13, 0), time(14, 0), time(18, 0))


def demo_regular_sessions(today: date) -> None:
    """The demo's slots, started a year ago (flushes; the seed's transaction commits)."""
    venues = {venue.name: venue for venue in db.session.scalars(select(Venue))}
    users = {user.email: user for user in db.session.scalars(select(User))}
    for venue_name, frequency, weekday, start, minutes, kind, email in DEMO_SLOTS:
        starts_on = today - timedelta(days=365)
        db.session.add(
            RegularSession(
                venue=venues[venue_name],
                frequency=frequency,
                weekday=weekday,
                start_time=start,
                duration_minutes=minutes,
                session_type=kind,
                starts_on=starts_on,
                first_day=first_occurrence(starts_on, weekday).toordinal(),
                champions=[users[email]],
            )
        )
    db.session.flush()


def generate_regular_sessions(rng: random.Random, count: int, first_day: date, champions: dict) -> int:
    """`count` slots over the open venues, each run by one or two of its partner's champions (bulk inserts)."""
    venues = list(db.session.scalars(select(Venue).where(Venue.closed_at.is_(None)).order_by(Venue.id)))
    next_id = (db.session.scalar(select(func.max(RegularSession.id))) or 0) + 1
    now = utcnow()
    slots, links = [], []
    for offset in range(count):
        venue = venues[offset % len(venues)]
        weekday = rng.randrange(6)
        starts_on = first_day + timedelta(days=rng.randrange(365))
        slots.append(
            {
                "id": next_id + offset,
                "venue_id": venue.id,
                "frequency": "weekly" if rng.random() < 0.75 else "fortnightly",
                "weekday": weekday,
                "start_time": rng.choice(GENERATED_TIMES),
                "session_type": rng.choice(("drop-in", "drop-in", "group", "one-to-one")),
                "duration_minutes": rng.choice((60, 90, 120)),
                "starts_on": starts_on,
                "ends_on": None,
                "first_day": first_occurrence(starts_on, weekday).toordinal(),
                "created_at": now,
                "updated_at": now,
            }
        )
        people = champions.get(venue.partner_id) or []
        for user_id in rng.sample(people, k=min(len(people), rng.choice((1, 1, 2)))):
            links.append({"regular_session_id": next_id + offset, "user_id": user_id})
    if slots:
        db.session.execute(insert(RegularSession.__table__), slots)
    if links:
        db.session.execute(insert(regular_session_champions), links)
    if slots and db.session.connection().dialect.name == "postgresql":
        db.session.execute(
            select(func.setval(func.pg_get_serial_sequence("regular_sessions", "id"), next_id + count - 1))
        )
    return len(slots)
