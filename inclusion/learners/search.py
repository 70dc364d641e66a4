"""Finding learners by name, reference or date of birth: one indexed, paginated query."""

import re

from sqlalchemy import ColumnElement, and_, func, or_, select

from inclusion.auth.models import User
from inclusion.auth.roles import Role
from inclusion.extensions import db
from inclusion.form_fields import parse_date
from inclusion.learners.access import require_personal_data_access, visible_learners
from inclusion.learners.fields import search_key
from inclusion.learners.filters import LearnerFilters, partner_condition
from inclusion.learners.models import Learner
from inclusion.paging import Page, page_within
from inclusion.partners.models import Partner
from inclusion.rules import search_text
from inclusion.sessions.history import last_visit_anywhere, last_visit_at_partner, partner_visits

PER_PAGE = 25
_REFERENCE = re.compile(r"^(?:L[- ]?)?([0-9A-Z]{4,8})$")


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


_COLUMNS = (
    Learner.id,
    Learner.reference,
    Learner.first_name,
    Learner.last_name,
    Learner.date_of_birth,
    Learner.age_band,
    Learner.postcode,
    Learner.anonymised_at,
    Partner.name.label("partner_name"),
)


def listed_learners(user: User, filters: LearnerFilters) -> list[ColumnElement[bool]]:
    """The WHERE clause of what the learners page lists for these filters (in any order): its exports' rows.

    The page itself reaches the same rows through a champion's visits, for its ordering.
    """
    require_personal_data_access(user)
    conditions = [Learner.merged_into_id.is_(None), visible_learners(user), *partner_condition(filters)]
    matches = query_matches(filters.query)
    if matches is not None:
        conditions.append(matches)
    return conditions


def search_learners(
    user: User, text: str = "", page: int = 1, per_page: int = PER_PAGE, *, partner_id: int | None = None
) -> Page:
    """A page of the learners the user may see that match `text`; the champion's recent learners first.

    One query whatever the number of rows (the total comes with the page, as a window count);
    a second only when the page asked for is past the end, which then shows the last page.
    """
    require_personal_data_access(user)
    text = search_text(text, Learner.search_name.type.length)
    conditions = [Learner.merged_into_id.is_(None), *partner_condition(LearnerFilters(text, partner_id))]
    matches = query_matches(text)
    if matches is not None:
        conditions.append(matches)
    page = max(1, page)
    source = select(Learner)
    if user.role == Role.CHAMPION:
        if user.partner_id is None:
            return Page(rows=[], total=0, page=1, per_page=per_page, query=text)
        if matches is None:
            # Browsing: every visible learner is sorted, so aggregate the partner's visits once.
            visits = partner_visits(user.partner_id)
            source = source.outerjoin(visits, visits.c.learner_id == Learner.id)
            latest, seen_here = visits.c.last_visit, visits.c.learner_id.is_not(None)
        else:
            # Searching: the name/reference/date filter leaves few rows; look each one's visits up.
            latest = last_visit_at_partner(user.partner_id)
            seen_here = latest.is_not(None)
        conditions.append(or_(Learner.registered_partner_id == user.partner_id, seen_here))
        last_visit = latest.label("last_visit")
        ordering = [last_visit.desc().nulls_last(), Learner.last_name, Learner.first_name, Learner.id]
    else:
        conditions.append(visible_learners(user))
        last_visit = last_visit_anywhere().label("last_visit")
        # Newest registrations first when browsing (cheap on the primary key); by name when searching.
        ordering = [Learner.id.desc()] if matches is None else [Learner.last_name, Learner.first_name, Learner.id]
    statement = (
        source.with_only_columns(*_COLUMNS, last_visit, func.count().over().label("total"))
        .join(Partner, Learner.registered_partner_id == Partner.id)
        .where(*conditions)
        .order_by(*ordering)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = list(db.session.execute(statement))
    if rows:
        total = rows[0].total
    elif page > 1:
        total = db.session.scalar(source.with_only_columns(func.count(Learner.id)).where(*conditions))
        if total:
            page = page_within(page, total, per_page)
            rows = list(db.session.execute(statement.offset((page - 1) * per_page)))
    else:
        total = 0
    return Page(rows=rows, total=total, page=page, per_page=per_page, query=text)
