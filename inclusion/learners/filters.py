"""The learners list's filters, one definition for the page and its exports: read, checked, applied.

A filter a user may not use (a champion asking for another partner's learners) is refused with a
message, never silently widened or emptied.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement

from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import row_id
from inclusion.extensions import db
from inclusion.learners.access import AccessDenied
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner
from inclusion.rules import search_text


class FilterNotAllowed(AccessDenied):
    """A list filter this user may not use; the message says why (the views answer 403 with it)."""


@dataclass(frozen=True)
class LearnerFilters:
    query: str = ""  # a name, reference or date of birth (search.query_matches)
    partner_id: int | None = None  # registered with this partner

    @classmethod
    def from_args(cls, args) -> "LearnerFilters":
        return cls(search_text(args.get("q"), Learner.search_name.type.length), row_id(args.get("partner")))

    def as_args(self) -> dict[str, str]:
        """The filters as the page's query string, for links (pages, exports)."""
        args = {"q": self.query, "partner": str(self.partner_id) if self.partner_id else ""}
        return {key: value for key, value in args.items() if value}


def check_partner_filter(user: User, partner_id: int | None, what: str) -> None:
    """Champions may narrow to their own partner only; anyone, only to a partner that exists."""
    if partner_id is None:
        return
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise FilterNotAllowed("There is no such partner: choose one from the list")
    if user.role not in ALLIANCE_WIDE_ROLES and partner_id != user.partner_id:
        raise FilterNotAllowed(f"You can only list {what} of your own partner, not {partner.name}")


def check_learner_filters(user: User, filters: LearnerFilters) -> None:
    check_partner_filter(user, filters.partner_id, "learners")


def partner_condition(filters: LearnerFilters) -> list[ColumnElement[bool]]:
    return [] if filters.partner_id is None else [Learner.registered_partner_id == filters.partner_id]
