"""The sessions list's filters, one definition for the page and its exports (sessions, attendances).

A filter a user may not use (a champion asking for another partner's venue or partner) is refused
with a message, never silently widened or emptied.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select

from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import row_id
from inclusion.extensions import db
from inclusion.form_fields import parse_date
from inclusion.learners.access import require_personal_data_access, venue_visible
from inclusion.learners.filters import FilterNotAllowed, check_partner_filter
from inclusion.partners.models import Venue
from inclusion.sessions.models import LearningSession, session_champions


@dataclass(frozen=True)
class SessionFilters:
    venue_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    champion_id: int | None = None
    partner_id: int | None = None  # the venue's partner

    @classmethod
    def from_args(cls, args) -> "SessionFilters":
        return cls(
            venue_id=row_id(args.get("venue")),
            date_from=parse_date(args.get("from", "")),
            date_to=parse_date(args.get("to", "")),
            champion_id=row_id(args.get("champion")),
            partner_id=row_id(args.get("partner")),
        )

    def as_args(self) -> dict[str, str]:
        """The filters as the page's query string (dates as the page writes them), for links."""
        args = {
            "venue": self.venue_id,
            "from": self.date_from.strftime("%d/%m/%Y") if self.date_from else None,
            "to": self.date_to.strftime("%d/%m/%Y") if self.date_to else None,
            "champion": self.champion_id,
            "partner": self.partner_id,
        }
        return {key: str(value) for key, value in args.items() if value}


def check_session_filters(user: User, filters: SessionFilters) -> None:
    """FilterNotAllowed for a venue or partner the user does not work for (or that does not exist)."""
    check_partner_filter(user, filters.partner_id, "sessions")
    if filters.venue_id is not None:
        venue = db.session.get(Venue, filters.venue_id)
        if venue is None:
            raise FilterNotAllowed("There is no such venue: choose one from the list")
        if user.role not in ALLIANCE_WIDE_ROLES and venue.partner_id != user.partner_id:
            raise FilterNotAllowed(f"You can only list sessions at your own partner's venues, not {venue.name}")


def session_conditions(user: User, filters: SessionFilters) -> list[ColumnElement[bool]]:
    """The WHERE clause of the sessions the user may see that match the filters (joined to Venue)."""
    require_personal_data_access(user)
    conditions = [venue_visible(user)]
    if filters.venue_id:
        conditions.append(LearningSession.venue_id == filters.venue_id)
    if filters.partner_id:
        conditions.append(Venue.partner_id == filters.partner_id)
    if filters.date_from:
        conditions.append(LearningSession.session_date >= filters.date_from)
    if filters.date_to:
        conditions.append(LearningSession.session_date <= filters.date_to)
    if filters.champion_id:
        conditions.append(
            LearningSession.id.in_(
                select(session_champions.c.session_id).where(session_champions.c.user_id == filters.champion_id)
            )
        )
    return conditions
