"""Partners and venues: adding, renaming, moving and closing; names are unique whatever their case."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from inclusion.audit.services import changed_fields, record_event
from inclusion.auth.permissions import require_actor_role
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.partners.models import Partner, Venue
from inclusion.timeutil import utcnow


class PartnerError(ValueError):
    """A user mistake with a message fit to show them."""


def find_partner(name: str) -> Partner | None:
    return db.session.scalar(select(Partner).where(func.lower(Partner.name) == func.lower(name.strip())))


def find_venue(name: str) -> Venue | None:
    return db.session.scalar(select(Venue).where(func.lower(Venue.name) == func.lower(name.strip())))


def _clean_name(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise PartnerError(f"Enter the {what}'s name")
    if len(name) > 120:
        raise PartnerError(f"The {what}'s name must be 120 characters or fewer")
    return name


def add_partner(name: str, *, acting_user_id: int | None = None) -> Partner:
    name = _clean_name(name, "partner")
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        if find_partner(name):
            raise PartnerError(f"There is already a partner called '{name}'")
        partner = Partner(name=name)
        db.session.add(partner)
        db.session.flush()
        record_event(
            "partner_added", user_id=acting_user_id, record_type="partner", record_id=partner.id, after={"name": name}
        )
    return partner


def add_venue(name: str, partner_name: str, ward: str | None = None, *, acting_user_id: int | None = None) -> Venue:
    name = _clean_name(name, "venue")
    ward = " ".join((ward or "").split()) or None
    with write_transaction():
        require_actor_role(acting_user_id, "coordinator", "admin")
        partner = find_partner(partner_name)
        if partner is None:
            raise PartnerError(f"No partner called '{partner_name}'")
        if find_venue(name):
            raise PartnerError(f"There is already a venue called '{name}'")
        venue = Venue(name=name, partner=partner, ward=ward)
        db.session.add(venue)
        db.session.flush()
        record_event(
            "venue_added",
            user_id=acting_user_id,
            record_type="venue",
            record_id=venue.id,
            after={"name": name, "partner": partner.name, "ward": ward},
        )
    return venue


def get_partner(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise LookupError(partner_id)
    return partner


def get_venue(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise LookupError(venue_id)
    return venue


@dataclass(frozen=True)
class PartnerRow:
    partner: Partner
    open_venues: int
    closed_venues: int
    users: int


def list_partners() -> list[PartnerRow]:
    """Every partner, by name, with how many venues (open and closed) and users it has: one query."""
    from inclusion.auth.models import User

    def count(model, *criteria):
        return select(func.count(model.id)).where(*criteria).correlate(Partner).scalar_subquery()

    open_venues = count(Venue, Venue.partner_id == Partner.id, Venue.closed_at.is_(None))
    closed_venues = count(Venue, Venue.partner_id == Partner.id, Venue.closed_at.is_not(None))
    users = count(User, User.partner_id == Partner.id)
    query = select(Partner, open_venues, closed_venues, users).order_by(func.lower(Partner.name))
    rows = db.session.execute(query)
    return [PartnerRow(*row) for row in rows]


def partner_choices() -> list[tuple[int, str]]:
    return [(p.id, p.name) for p in db.session.scalars(select(Partner).order_by(func.lower(Partner.name)))]


def rename_partner(partner_id: int, name: str, *, acting_user_id: int | None = None) -> Partner:
    name = _clean_name(name, "partner")
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        partner = get_partner(partner_id)
        other = find_partner(name)
        if other is not None and other.id != partner.id:
            raise PartnerError(f"There is already a partner called '{other.name}'")
        if partner.name != name:
            record_event(
                "partner_renamed",
                user_id=acting_user_id,
                record_type="partner",
                record_id=partner.id,
                before={"name": partner.name},
                after={"name": name},
            )
            partner.name = name
    return partner


def list_venues(*, partner_id: int | None = None, include_closed: bool = True) -> list[Venue]:
    """Venues by name, with their partner loaded in the same query; open ones first."""
    query = (
        select(Venue).options(joinedload(Venue.partner)).order_by(Venue.closed_at.is_not(None), func.lower(Venue.name))
    )
    if partner_id:
        query = query.where(Venue.partner_id == partner_id)
    if not include_closed:
        query = query.where(Venue.closed_at.is_(None))
    return list(db.session.scalars(query))


def open_venues(partner_id: int | None = None) -> list[Venue]:
    """The venues that can take new sessions (closed ones keep their history but take no more)."""
    return list_venues(partner_id=partner_id, include_closed=False)


def _describe_venue(venue: Venue) -> dict:
    return {"name": venue.name, "partner": venue.partner.name, "ward": venue.ward}


def update_venue(
    venue_id: int, name: str, partner_id: int, ward: str | None, *, acting_user_id: int | None = None
) -> Venue:
    """Rename a venue, or change its ward or partner; its sessions and figures stay with it."""
    name = _clean_name(name, "venue")
    ward = " ".join((ward or "").split()) or None
    if ward and len(ward) > 120:
        raise PartnerError("The ward must be 120 characters or fewer")
    with write_transaction():
        require_actor_role(acting_user_id, "coordinator", "admin")
        venue = get_venue(venue_id)
        partner = db.session.get(Partner, partner_id) if partner_id else None
        if partner is None:
            raise PartnerError("Choose the partner that runs the venue")
        other = find_venue(name)
        if other is not None and other.id != venue.id:
            raise PartnerError(f"There is already a venue called '{other.name}'")
        before = _describe_venue(venue)
        venue.name, venue.partner, venue.ward = name, partner, ward
        before, after = changed_fields(before, _describe_venue(venue))
        if after:
            record_event(
                "venue_updated",
                user_id=acting_user_id,
                record_type="venue",
                record_id=venue.id,
                before=before,
                after=after,
            )
    return venue


def set_venue_closed(venue_id: int, closed: bool, *, acting_user_id: int | None = None) -> Venue:
    """Close a venue (it keeps its history and figures but takes no new sessions) or reopen it."""
    with write_transaction():
        require_actor_role(acting_user_id, "coordinator", "admin")
        venue = get_venue(venue_id)
        if (venue.closed_at is not None) == closed:
            raise PartnerError(f"{venue.name} is already {'closed' if closed else 'open'}")
        venue.closed_at = utcnow() if closed else None
        record_event(
            "venue_closed" if closed else "venue_reopened",
            user_id=acting_user_id,
            record_type="venue",
            record_id=venue.id,
            details={"name": venue.name},
        )
    return venue


def require_open_venue(venue_id: int) -> Venue:
    """The venue a new session is being recorded at; raises PartnerError if it is closed or unknown."""
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise PartnerError("Choose a venue from the list")
    if venue.closed_at is not None:
        raise PartnerError(f"{venue.name} is closed: it cannot take new sessions")
    return venue
