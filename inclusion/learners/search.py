"""Finding learners by name, reference or date of birth: one indexed, paginated query."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from inclusion.auth.models import User
from inclusion.auth.roles import Role
from inclusion.extensions import db
from inclusion.learners.access import require_personal_data_access, visible_learners
from inclusion.learners.fields import search_key
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.models import Attendance, LearningSession

PER_PAGE = 25
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d", "%d/%m/%y")
_REFERENCE = re.compile(r"^(?:L[- ]?)?([0-9A-Z]{4,8})$")


@dataclass
class SearchPage:
    query: str
    rows: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def parse_date(text: str) -> date | None:
    """A date typed the ways people write them: 12/03/1950, 12-3-1950, 1950-03-12."""
    text = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed if parsed.year >= 1900 else None
    return None


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_matches(text: str) -> ColumnElement[bool] | None:
    """Every word typed is part of the name, in any order: 'hugh marg' finds 'Margaret Hughes'."""
    terms = search_key(text).split()
    if not terms:
        return None
    clauses = [Learner.search_name.like(f"%{_escape_like(term)}%", escape="\\") for term in terms]
    return and_(*clauses)


def query_matches(text: str) -> ColumnElement[bool] | None:
    """The WHERE clause for a search box entry: a date of birth, a reference or a name."""
    text = text.strip()
    if not text:
        return None
    born = parse_date(text)
    if born is not None:
        return Learner.date_of_birth == born
    by_name = name_matches(text)
    compact = text.upper().replace(" ", "")
    reference = _REFERENCE.match(compact)
    if reference and (compact.startswith("L") or any(char.isdigit() for char in compact)):
        by_reference = Learner.reference == f"L-{reference.group(1)}"
        return or_(by_reference, by_name) if by_name is not None else by_reference
    return by_name


def last_visit_at_partner(partner_id: int):
    """Correlated: the learner's latest session date at the partner's venues."""
    return (
        select(func.max(LearningSession.session_date))
        .join(Attendance, Attendance.session_id == LearningSession.id)
        .join(Venue, LearningSession.venue_id == Venue.id)
        .where(Attendance.learner_id == Learner.id, Venue.partner_id == partner_id)
        .scalar_subquery()
    )


def last_visit_anywhere():
    return (
        select(func.max(LearningSession.session_date))
        .join(Attendance, Attendance.session_id == LearningSession.id)
        .where(Attendance.learner_id == Learner.id)
        .scalar_subquery()
    )


def search_learners(user: User, text: str = "", page: int = 1, per_page: int = PER_PAGE) -> SearchPage:
    """A page of the learners the user may see that match `text`; the champion's recent learners first.

    Two queries whatever the number of rows: a count and the page itself.
    """
    require_personal_data_access(user)
    conditions = [visible_learners(user), Learner.merged_into_id.is_(None)]
    matches = query_matches(text)
    if matches is not None:
        conditions.append(matches)
    total = db.session.scalar(select(func.count(Learner.id)).where(*conditions))
    page = max(1, page)
    champion = user.role == Role.CHAMPION and user.partner_id is not None
    last_visit = (last_visit_at_partner(user.partner_id) if champion else last_visit_anywhere()).label(
        "last_visit"
    )
    if champion:
        ordering = [last_visit.desc().nulls_last(), Learner.last_name, Learner.first_name, Learner.id]
    elif matches is None:
        ordering = [Learner.id.desc()]  # newest registrations first; cheap on the primary key
    else:
        ordering = [Learner.last_name, Learner.first_name, Learner.id]
    statement = (
        select(
            Learner.id,
            Learner.reference,
            Learner.first_name,
            Learner.last_name,
            Learner.date_of_birth,
            Learner.age_band,
            Learner.postcode,
            Learner.anonymised_at,
            Partner.name.label("partner_name"),
            last_visit,
        )
        .join(Partner, Learner.registered_partner_id == Partner.id)
        .where(*conditions)
        .order_by(*ordering)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = list(db.session.execute(statement))
    return SearchPage(query=text, rows=rows, total=total, page=page, per_page=per_page)
