"""This week's and last week's occurrences, as the sessions list and a champion's home page show them."""

from dataclasses import dataclass, field
from datetime import date

from flask_login import current_user
from sqlalchemy import select

from inclusion.auth.models import User
from inclusion.auth.roles import Role
from inclusion.partners.models import Venue
from inclusion.regular.models import RegularSession, regular_session_champions
from inclusion.regular.occurrences import Occurrence, occurrences, weeks_window
from inclusion.regular.services import venue_scope
from inclusion.sessions.filters import SessionFilters
from inclusion.timeutil import today_in_london

SHOWN = 40  # rows on a page; the rest are counted (filter by venue to see them)


@dataclass
class Weeks:
    first: date
    last: date
    today: date
    rows: list[Occurrence] = field(default_factory=list)
    not_logged: int = 0
    logged: int = 0
    coming_up: int = 0
    hidden: int = 0

    @property
    def any(self) -> bool:
        return bool(self.rows)


def weeks_for(
    user: User,
    today: date,
    *,
    venue_id: int | None = None,
    champion_id: int | None = None,
    own_only: bool = False,
) -> Weeks:
    """Occurrences from Monday last week to Sunday this week of the slots the user may see.

    Not logged first (oldest first: the longest forgotten), then coming up, then logged; at most
    SHOWN of them, the rest counted.
    """
    first, last = weeks_window(today)
    conditions = [
        # A closed venue holds no more sessions: its slots have nothing left to log.
        RegularSession.venue_id.in_(select(Venue.id).where(venue_scope(user), Venue.closed_at.is_(None))),
    ]
    if venue_id:
        conditions.append(RegularSession.venue_id == venue_id)
    for person in {champion_id, user.id if own_only else None} - {None}:
        conditions.append(
            RegularSession.id.in_(
                select(regular_session_champions.c.regular_session_id).where(
                    regular_session_champions.c.user_id == person
                )
            )
        )
    found = occurrences(first, last, conditions)
    weeks = Weeks(first, last, today)
    weeks.not_logged = sum(1 for row in found if row.is_due(today))
    weeks.logged = sum(1 for row in found if row.logged)
    weeks.coming_up = len(found) - weeks.not_logged - weeks.logged
    ordered = sorted(
        found,
        key=lambda row: (
            0 if row.is_due(today) else 2 if row.logged else 1,
            -row.day.toordinal() if row.logged else row.day.toordinal(),
        ),
    )
    weeks.rows, weeks.hidden = ordered[:SHOWN], max(0, len(ordered) - SHOWN)
    return weeks


def for_sessions_list(filters: SessionFilters) -> Weeks:
    """The sessions list's section, following its venue and champion filters (a template global)."""
    return weeks_for(current_user, today_in_london(), venue_id=filters.venue_id, champion_id=filters.champion_id)


def for_champion_home(user: User) -> Weeks | None:
    """A champion's own slots for the home page (core/home.py); None for other roles."""
    if user.role != Role.CHAMPION:
        return None
    return weeks_for(user, today_in_london(), own_only=True)
