"""Read-only queries: a learner's signposts with where they were pointed and whether they arrived."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.partners.models import Partner, Venue
from inclusion.signposts.arrivals import arrivals, effective_signposts
from inclusion.signposts.models import Signpost, SignpostService

_MADE_AT = Venue.__table__.alias("made_at")
_TO_VENUE = Venue.__table__.alias("to_venue")
_ARRIVED_AT = Venue.__table__.alias("arrived_at")


@dataclass(frozen=True)
class SignpostRow:
    id: int
    learner_id: int
    made_on: date
    made_at: str
    session_id: int | None
    kind: str  # venue, partner or service
    target: str
    web_address: str | None
    arrived_on: date | None
    arrived_at: str | None
    made_by_id: int | None

    @property
    def status(self) -> str:
        if self.kind == "service":
            return "Outside the alliance"
        if self.arrived_on is None:
            return "Not arrived yet"
        return "Arrived"


def signposts_of(learner_ids: list[int]) -> list[SignpostRow]:
    """These learners' signposts, oldest first, in one query (arrivals worked out as the figures do)."""
    if not learner_ids:
        return []
    arrived = arrivals(effective_signposts(learner_ids))
    target = func.coalesce(_TO_VENUE.c.name, Partner.name, SignpostService.name)
    stmt = (
        select(
            Signpost.id,
            Signpost.learner_id,
            arrived.c.made_on,
            _MADE_AT.c.name,
            Signpost.session_id,
            Signpost.to_venue_id,
            Signpost.to_partner_id,
            target,
            SignpostService.web_address,
            arrived.c.arrived_on,
            _ARRIVED_AT.c.name,
            Signpost.made_by_id,
        )
        .join(arrived, arrived.c.signpost_id == Signpost.id)
        .join(_MADE_AT, _MADE_AT.c.id == arrived.c.venue_id)
        .outerjoin(_TO_VENUE, _TO_VENUE.c.id == Signpost.to_venue_id)
        .outerjoin(Partner, Partner.id == Signpost.to_partner_id)
        .outerjoin(SignpostService, SignpostService.id == Signpost.to_service_id)
        .outerjoin(_ARRIVED_AT, _ARRIVED_AT.c.id == arrived.c.arrived_venue_id)
        .order_by(arrived.c.made_on, Signpost.id)
    )
    rows = []
    for (
        id_,
        learner_id,
        made_on,
        made_at,
        session_id,
        to_venue,
        to_partner,
        name,
        web,
        on,
        at,
        by,
    ) in db.session.execute(stmt):
        kind = "venue" if to_venue is not None else "partner" if to_partner is not None else "service"
        rows.append(SignpostRow(id_, learner_id, made_on, made_at, session_id, kind, name, web, on, at, by))
    return rows
