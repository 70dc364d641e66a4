"""Adding partners and venues; names are unique whatever their case."""

from sqlalchemy import func, select

from inclusion.audit.services import record_event
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.partners.models import Partner, Venue


class PartnerError(ValueError):
    """A user mistake with a message fit to show them."""


def find_partner(name: str) -> Partner | None:
    return db.session.scalar(select(Partner).where(func.lower(Partner.name) == name.strip().lower()))


def find_venue(name: str) -> Venue | None:
    return db.session.scalar(select(Venue).where(func.lower(Venue.name) == name.strip().lower()))


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
        if find_partner(name):
            raise PartnerError(f"There is already a partner called '{name}'")
        partner = Partner(name=name)
        db.session.add(partner)
        db.session.flush()
        record_event("partner_added", user_id=acting_user_id, record_type="partner", record_id=partner.id,
                     after={"name": name})
    return partner


def add_venue(name: str, partner_name: str, ward: str | None = None, *, acting_user_id: int | None = None) -> Venue:
    name = _clean_name(name, "venue")
    ward = " ".join((ward or "").split()) or None
    with write_transaction():
        partner = find_partner(partner_name)
        if partner is None:
            raise PartnerError(f"No partner called '{partner_name}'")
        if find_venue(name):
            raise PartnerError(f"There is already a venue called '{name}'")
        venue = Venue(name=name, partner=partner, ward=ward)
        db.session.add(venue)
        db.session.flush()
        record_event("venue_added", user_id=acting_user_id, record_type="venue", record_id=venue.id,
                     after={"name": name, "partner": partner.name, "ward": ward})
    return venue
