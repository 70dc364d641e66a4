"""Follow-ups for `flask demo seed`: the same plan as `flask demo generate`'s, read back from the demo's rows.

The demo's sessions are written through the ORM, and its learners' first attendance dates by the
triggers, so the learners are read back once their sessions are in. Then the same contact
preferences and calls as the generated data's (inclusion/followups/generate.py), up to today, each
made by a champion of the learner's registering partner (whose queue it is; a coordinator where the
partner has no champion), written in one bulk insert.
"""

import random
from datetime import date

from sqlalchemy import insert, select, update

from inclusion.auth.models import User
from inclusion.auth.roles import Role
from inclusion.extensions import db
from inclusion.followups.generate import follow_ups_for, set_contact_preferences
from inclusion.followups.models import FollowUp
from inclusion.learners.models import Learner
from inclusion.timeutil import utcnow


def demo_follow_ups(seed: int, today: date, *, after_id: int = 0) -> int:
    """Contact preferences and follow-ups for the demo's learners with an id above `after_id`; how many follow-ups."""
    learners = [
        {"id": learner_id, "first_attended_on": first, "partner_id": partner_id}
        for learner_id, first, partner_id in db.session.execute(
            select(Learner.id, Learner.first_attended_on, Learner.registered_partner_id)
            .where(Learner.id > after_id)
            .order_by(Learner.id)
        )
    ]
    set_contact_preferences(seed, learners)
    declined = [row["id"] for row in learners if not row["may_contact"]]
    if declined:
        db.session.execute(update(Learner).where(Learner.id.in_(declined)).values(may_contact=False))
    callers = _callers()
    rng = random.Random(f"{seed}:follow-up callers")
    candidates = [
        (row["id"], row["first_attended_on"], row["may_contact"], _caller(rng, callers, row["partner_id"]))
        for row in learners
    ]
    rows = follow_ups_for(seed, candidates, today, utcnow())
    if rows:
        db.session.execute(insert(FollowUp), rows)
    return len(rows)


def _callers() -> dict[int | None, list[int]]:
    """Active champions by partner, and coordinators under None, in id order."""
    found: dict[int | None, list[int]] = {}
    stmt = select(User.id, User.role, User.partner_id).where(
        User.active, User.role.in_((Role.CHAMPION, Role.COORDINATOR))
    )
    for user_id, role, partner_id in db.session.execute(stmt.order_by(User.id)):
        found.setdefault(partner_id if role == Role.CHAMPION else None, []).append(user_id)
    return found


def _caller(rng: random.Random, callers: dict, partner_id: int | None) -> int | None:
    people = callers.get(partner_id) or callers.get(None)
    return rng.choice(people) if people else None
