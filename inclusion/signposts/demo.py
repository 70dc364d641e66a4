"""Demo signposting for `flask demo seed`: a small directory of outside services, and some learners pointed on."""

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from inclusion.extensions import db
from inclusion.partners.models import Venue
from inclusion.signposts.models import Signpost, SignpostService
from inclusion.timeutil import utcnow

DEMO_SERVICES = (
    ("Citizens Advice Stockport", "https://www.citizensadvicestockport.org.uk", "Stockport"),
    ("Good Things Foundation: Learn My Way", "https://www.learnmyway.com", "England"),
    ("National Databank (free mobile data)", "https://www.goodthingsfoundation.org/national-databank", "UK"),
)


def demo_signposts(seed: int, learner_rows: list[dict], recorder_ids: list[int], today: date) -> int:
    """The directory, then about one learner in ten signposted from their home venue, a week or more after
    registering: to another partner's venue, to another partner, or to a service. Its own random stream, so
    the rest of the demo (and the funder CSV of version 1) is what it was."""
    rng = random.Random(seed + 17)
    now = utcnow()
    db.session.execute(
        insert(SignpostService),
        [{"name": n, "web_address": w, "area": a, "created_at": now, "updated_at": now} for n, w, a in DEMO_SERVICES],
    )
    services = list(db.session.scalars(select(SignpostService.id).order_by(SignpostService.id)))
    venues = list(db.session.execute(select(Venue.id, Venue.partner_id).where(Venue.closed_at.is_(None))))
    rows = []
    for learner in learner_rows:
        made_on = learner["registered_on"] + timedelta(days=rng.randint(7, 60))
        if rng.random() >= 0.1 or made_on > today:
            continue
        home = learner["_home_venue"]
        elsewhere = [(vid, pid) for vid, pid in venues if pid != home.partner_id]
        target = {"to_venue_id": None, "to_partner_id": None, "to_service_id": None}
        kind = rng.choice(("venue", "partner", "service")) if elsewhere else "service"
        if kind == "venue":
            target["to_venue_id"] = rng.choice(elsewhere)[0]
        elif kind == "partner":
            target["to_partner_id"] = rng.choice(elsewhere)[1]
        else:
            target["to_service_id"] = rng.choice(services)
        rows.append(
            {
                "learner_id": learner["id"],
                "made_on": made_on,
                "venue_id": home.id,
                "session_id": None,
                "made_by_id": rng.choice(recorder_ids),
                "created_at": now,
                **target,
            }
        )
    if rows:
        db.session.execute(insert(Signpost), rows)
    return len(rows)
