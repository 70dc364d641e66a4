"""Signposts for `flask demo generate`: planned from the generated sessions and attendances, inserted in bulk.

As in the demo (signposts/demo.py), about one learner in ten is pointed on at one of their sessions:
to an outside service from the directory, to another venue or to another partner. The generated
learners attend one venue only, so those never arrive. Arrivals come from learners who come back
after a day or more away: one in twenty of them, met in between at another of their partner's venues
(not at a session), is pointed back to their usual venue and arrives at their next session there.
Every signpost keeps the service's rules, by someone who may record it: never to the venue where it
is made, nor to that venue's own partner, nor to a closed venue or retired service; one made at a
session by the champion who logged it, at its venue, on its date; one made elsewhere by a champion
of that venue's partner (a coordinator where the partner has one venue). The plan has a random
stream of its own, so adding it left every other generated row as it was.
"""

import random
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from inclusion.extensions import db
from inclusion.signposts.demo import DEMO_SERVICES
from inclusion.signposts.models import Signpost, SignpostService

AT_A_SESSION = 0.1  # of learners who attend
KINDS = (("service", 0.5), ("venue", 0.3), ("partner", 0.2))
POINTED_BACK = 0.05  # of learners who come back after a day or more away

SIGNPOSTS_TABLE = Signpost.__table__  # where generate.py inserts the rows


def directory(now: datetime) -> list[int]:
    """The open services of the directory, in id order; the demo's three when there are none."""
    open_services = select(SignpostService.id).where(SignpostService.retired_at.is_(None)).order_by(SignpostService.id)
    found = list(db.session.scalars(open_services))
    if found:
        return found
    taken = set(db.session.scalars(select(SignpostService.name)))  # a retired one keeps its (unique) name
    rows = [
        {"name": name, "web_address": web, "area": area, "created_at": now, "updated_at": now}
        for name, web, area in DEMO_SERVICES
        if name not in taken
    ]
    if rows:
        db.session.execute(insert(SignpostService), rows)
    return list(db.session.scalars(open_services))


def plan_signposts(
    seed: int,
    attendance_rows: list[dict],
    session_rows: list[dict],
    venues: list[tuple[int, int]],
    champions: dict[int | None, list[int]],
    services: list[int],
    now: datetime,
) -> list[dict]:
    """Insert rows of signposts for the learners of `attendance_rows`; `venues` (id, partner id), open ones."""
    logged_by = {row["id"]: row["created_by_id"] for row in session_rows}
    partner_of = dict(venues)
    visits: dict[int, list[tuple]] = defaultdict(list)
    for row in attendance_rows:
        visits[row["learner_id"]].append((row["session_date"], row["session_id"], row["venue_id"]))
    rng = random.Random(f"{seed}:signposts")
    rows = []
    for learner_id in sorted(visits):
        seen = sorted(visits[learner_id])
        if rng.random() < AT_A_SESSION:
            day, session_id, venue_id = rng.choice(seen)
            target = _onward(rng, venue_id, venues, partner_of, services)
            if target is not None:
                made = {"made_on": day, "venue_id": venue_id, "session_id": session_id}
                rows.append(_row(learner_id, made, logged_by.get(session_id), target, now))
        # A day strictly between two visits: met elsewhere then, they arrive at the next.
        gaps = [(a, b) for a, b in zip(seen, seen[1:], strict=False) if (b[0] - a[0]).days >= 2]
        if gaps and rng.random() < POINTED_BACK:
            before, back = rng.choice(gaps)
            met = _met_elsewhere(rng, back[2], venues, partner_of, champions)
            if met is not None:
                met_at, made_by, target = met
                made_on = before[0] + timedelta(days=rng.randint(1, (back[0] - before[0]).days - 1))
                made = {"made_on": made_on, "venue_id": met_at, "session_id": None}
                rows.append(_row(learner_id, made, made_by, target, now))
    rows.sort(key=lambda row: (row["made_on"], row["learner_id"]))  # as a live system writes them
    return rows


def _met_elsewhere(rng, home: int, venues, partner_of, champions) -> tuple[int, int, dict] | None:
    """(venue, maker, target) for a learner pointed back to `home` away from a session, or None.

    A champion may see only their own partner's learners and venues: one of the home partner's other
    venues, by its champion; where the partner has no other venue, any other venue, by a coordinator.
    """
    partner = partner_of[home]
    siblings = [venue_id for venue_id, owner in venues if owner == partner and venue_id != home]
    if siblings and champions.get(partner):
        return rng.choice(siblings), rng.choice(champions[partner]), {"to_venue_id": home}
    others = [venue_id for venue_id, _owner in venues if venue_id != home]
    if not others or not champions.get(None):
        return None
    met_at = rng.choice(others)
    target = {"to_partner_id": partner} if partner_of[met_at] != partner else {"to_venue_id": home}
    return met_at, rng.choice(champions[None]), target


def _onward(rng, venue_id: int, venues, partner_of, services) -> dict | None:
    """Somewhere else to point a learner at `venue_id`: a service, another venue or another partner."""
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    if kind == "venue":
        others = [other for other, _partner in venues if other != venue_id]
        if others:
            return {"to_venue_id": rng.choice(others)}
    if kind == "partner":
        others = sorted({partner for _venue, partner in venues if partner != partner_of[venue_id]})
        if others:
            return {"to_partner_id": rng.choice(others)}
    return {"to_service_id": rng.choice(services)} if services else None


def _row(learner_id: int, made: dict, made_by_id: int | None, target: dict, now: datetime) -> dict:
    columns = {"to_venue_id": None, "to_partner_id": None, "to_service_id": None}
    return {"learner_id": learner_id, **made, "made_by_id": made_by_id, **columns, **target, "created_at": now}
