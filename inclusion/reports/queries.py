"""Aggregate SQL for the figures: derived tables of facts, and grouped counts over them.

Nothing here decides what a figure means (that is metrics.py); these functions only build
the selectables and run one aggregate query each, so the database does the counting and
Python receives a handful of rows however many attendances there are. The facts are read off
the report keys that database triggers keep (sessions/models.py, learners/models.py): each
attendance and achievement knows its session's date and venue and the learner it counts as,
each learner their first attendance date, and each skill's first achievement is flagged, so a
figure reads one table through one index instead of joining the history.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Date,
    Integer,
    MetaData,
    Select,
    String,
    Subquery,
    Table,
    exists,
    func,
    literal,
    select,
    union_all,
)

from inclusion.extensions import db
from inclusion.partners.models import Partner, Venue
from inclusion.reports import keys
from inclusion.sessions.models import Attendance, LearningSession, Skill

UNDER_18 = "under-18"

# The columns the figures read, as narrow tables of their own: aliases of the mapped classes
# (the learner has about thirty columns) made SQLAlchemy build a proxy for every column on
# every query, which cost more Python time than the small queries took in the database.
_metadata = MetaData()
_LEARNERS = Table(
    "learners",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("age_band", String),
    Column("first_attended_on", Date),  # kept by triggers (learners/models.py)
    # The skills levels' report keys, kept by triggers too.
    *(Column(level.reached_on, Date) for level in keys.LEVELS),
    *(Column(level.venue, Integer) for level in keys.LEVELS),
    # What the follow-ups read (follow_up_figures.py).
    Column("may_contact", Boolean),
    Column("merged_into_id", Integer),
    Column("registered_partner_id", Integer),
)
# session_date, venue_id and learner_key are the report keys the triggers keep (sessions/models.py).
_ATTENDANCES = Table(
    "attendances",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer),
    Column("session_date", Date),
    Column("venue_id", Integer),
    Column("learner_key", Integer),
    Column("is_first_at_venue", Boolean),
)
_ACHIEVEMENTS = Table(
    "skill_achievements",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer),
    Column("skill_id", Integer),
    Column("session_date", Date),
    Column("venue_id", Integer),
    Column("learner_key", Integer),
    Column("is_first", Boolean),
)


@dataclass(frozen=True)
class Scope:
    """Sessions from `start` (None: since records began) to `end`, optionally at one partner or venue."""

    start: date | None
    end: date
    partner_id: int | None = None
    venue_id: int | None = None


def _within(stmt: Select, scope: Scope, session_date: ColumnElement, venue_id: ColumnElement) -> Select:
    if scope.start is not None:
        stmt = stmt.where(session_date >= scope.start)
    stmt = stmt.where(session_date <= scope.end)
    if scope.partner_id is not None:
        stmt = stmt.where(venue_id.in_(select(Venue.id).where(Venue.partner_id == scope.partner_id)))
    if scope.venue_id is not None:
        stmt = stmt.where(venue_id == scope.venue_id)
    return stmt


def _adult(learner_key: ColumnElement) -> ColumnElement:
    """The learner counted is not under 18: the few under-18s' ids are read once, from an index."""
    return learner_key.not_in(select(_LEARNERS.c.id).where(_LEARNERS.c.age_band == UNDER_18))


def adult_attendances(scope: Scope, *, distinct: bool = False, minutes: bool = False) -> Subquery:
    """Attendances of adults at sessions in scope, as (counted learner, session) rows.

    `distinct`: one row per (counted learner, session) even when a learner and a duplicate merged
    into them both attended the session; needed for counting attendances, not learners.
    `minutes`: with each session's duration_minutes.
    """
    facts = _ATTENDANCES
    stmt = select(facts.c.learner_key, facts.c.session_id, facts.c.session_date, facts.c.venue_id)
    stmt = _within(stmt.where(_adult(facts.c.learner_key)), scope, facts.c.session_date, facts.c.venue_id)
    if distinct:
        stmt = stmt.distinct()
    if minutes:
        rows = stmt.subquery("attendance_rows")
        stmt = select(*rows.c, LearningSession.duration_minutes.label("duration_minutes")).join(
            LearningSession, LearningSession.id == rows.c.session_id
        )
        # The same range on the sessions (already true of every row): PostgreSQL then hashes the
        # period's sessions, not all of them.
        stmt = _within(stmt, replace(scope, partner_id=None, venue_id=None), LearningSession.session_date, None)
    return stmt.subquery("adult_attendances")


def first_attenders(scope: Scope) -> Subquery:
    """Adults whose first attendance ever falls in scope (the whole alliance: no partner or venue).

    Read off the learners' first_attended_on index: new learners in a period, and with no start,
    everyone helped by its end.
    """
    if scope.partner_id is not None or scope.venue_id is not None:
        raise ValueError("first_attenders is for the whole alliance; narrowed scopes need attendances")
    learners = _LEARNERS
    stmt = select(learners.c.id.label("learner_key"), learners.c.age_band).where(learners.c.age_band != UNDER_18)
    stmt = _within(stmt, scope, learners.c.first_attended_on, None)
    return stmt.subquery("first_attenders")


def first_visits(scope: Scope) -> Subquery:
    """Adults' first attendances at each venue made in scope: one row per (counted learner, venue).

    Flagged is_first_at_venue by the triggers (reports/keys.py FIRST_AT_VENUE) and read through a
    partial index of those rows alone: to date at a place, the learners helped there are these
    rows, a small fraction of its attendances.
    """
    facts = _ATTENDANCES
    stmt = select(facts.c.learner_key, facts.c.session_id, facts.c.session_date, facts.c.venue_id)
    stmt = stmt.where(facts.c.is_first_at_venue, _adult(facts.c.learner_key))  # as the partial index says it
    return _within(stmt, scope, facts.c.session_date, facts.c.venue_id).subquery("first_visits")


def new_learner_attendances(scope: Scope) -> Subquery:
    """Attendances in scope by adults with no attendance anywhere before scope's start.

    That is, by learners whose first_attended_on is on or after the start: a lookup of the
    learner counted, not a search of their history.
    """
    facts, learners = _ATTENDANCES, _LEARNERS
    stmt = select(
        facts.c.learner_key, facts.c.session_id, facts.c.session_date, facts.c.venue_id, learners.c.age_band
    ).join(learners, learners.c.id == facts.c.learner_key)
    stmt = stmt.where(learners.c.age_band != UNDER_18)
    if scope.start is not None:
        stmt = stmt.where(learners.c.first_attended_on >= scope.start)
    return _within(stmt, scope, facts.c.session_date, facts.c.venue_id).subquery("new_learner_attendances")


def first_skill_achievements(scope: Scope) -> Subquery:
    """Adults' first achievements of a skill made in scope.

    A (counted learner, skill) pair's first achievement is the one at the earliest session date,
    then the lowest session id, then the lowest achievement id: exactly one per pair, flagged
    is_first by the triggers and read through a partial index of those rows alone.
    """
    facts = _ACHIEVEMENTS
    stmt = select(facts.c.learner_key, facts.c.session_id, facts.c.session_date, facts.c.venue_id, facts.c.skill_id)
    stmt = stmt.where(facts.c.is_first, _adult(facts.c.learner_key))  # as the partial indexes say it
    return _within(stmt, scope, facts.c.session_date, facts.c.venue_id).subquery("first_achievements")


def sessions_in_scope(scope: Scope, *, delivered_only: bool = False) -> Subquery:
    """Sessions in scope; `delivered_only`: with at least one attendee (any age) or unregistered attendee."""
    stmt = select(
        LearningSession.id.label("session_id"),
        LearningSession.venue_id.label("venue_id"),
        LearningSession.unregistered_attendees.label("unregistered_attendees"),
    )
    stmt = _within(stmt, scope, LearningSession.session_date, LearningSession.venue_id)
    if delivered_only:
        has_attendee = exists().where(Attendance.session_id == LearningSession.id)
        stmt = stmt.where(has_attendee | (LearningSession.unregistered_attendees > 0))
    return stmt.subquery("sessions_in_scope")


def each_month(
    months: list[tuple[str, date, date]],
    facts_for: Callable[[Scope], Subquery],
    value_for: Callable[[Subquery], ColumnElement],
    scope: Scope,
) -> dict[str, int]:
    """A trend: value_for(facts_for(the month)) for each month (key, first day, last day), in one query.

    One small aggregate per month, joined by UNION ALL: each reads its month's range of the date
    index and counts distinct learners among a few thousand rows, where grouping a year of rows by
    month sorts them all (several times slower on both databases at 500,000 attendances).
    """
    arms = []
    for key, first, last in months:
        facts = facts_for(Scope(first, last, scope.partner_id, scope.venue_id))
        arms.append(select(literal(key, String).label("month"), value_for(facts).label("value")).select_from(facts))
    rows = db.session.execute(union_all(*arms) if len(arms) > 1 else arms[0])
    return {key: value for key, value in rows if value}  # like a breakdown: months with rows only


def each_month_of(
    months: list[tuple[str, date, date]], facts: Subquery, day: str, value_for: Callable[[Subquery], ColumnElement]
) -> dict[str, int]:
    """A trend of facts found once for the whole span and dated by their column `day`: a small aggregate
    per month over them (a common table expression, computed once), joined by UNION ALL.

    For facts whose rows do not depend on the period asked (a learner reaches a level on one date,
    whatever the period), where finding them is the cost and splitting them by month is not.
    """
    found = select(facts).cte(f"{facts.name}_once")
    arms = [
        select(literal(key, String).label("month"), value_for(found).label("value"))
        .select_from(found)
        .where(found.c[day] >= first, found.c[day] <= last)
        for key, first, last in months
    ]
    rows = db.session.execute(union_all(*arms) if len(arms) > 1 else arms[0])
    return {key: value for key, value in rows if value}


def aggregate(facts: Subquery, value: ColumnElement, by: str | None = None, *, whole_history=False):
    """`value` over the rows of `facts`: a number (by=None) or {category name: number} for a dimension.

    `whole_history`: the facts reach back to the first attendance, so rather than reading them in
    date order they are best read venue by venue through the (venue, learner) index.
    """
    if by is None:
        return db.session.scalar(select(value).select_from(facts)) or 0
    stmt = select().select_from(facts)
    looked_up = db.session.get_bind().dialect.name == "sqlite" and not whole_history
    if by == "partner" and looked_up:
        # Looked up row by row: as a join, SQLite read the facts once per partner to group in order.
        category = (
            select(Partner.name)
            .join(Venue, Venue.partner_id == Partner.id)
            .where(Venue.id == facts.c.venue_id)
            .scalar_subquery()
        )
    elif by == "venue" and looked_up:
        # The same for venues: at twice the bench's scale SQLite chose to walk the venues by name
        # and read the month's attendances once for each (97 ms against 13 ms for adults helped).
        category = select(Venue.name).where(Venue.id == facts.c.venue_id).scalar_subquery()
    elif by == "partner":  # PostgreSQL hashes the two small tables and reads the facts once; SQLite
        # reads each of a partner's venues in (venue, learner) index order.
        category = Partner.name
        stmt = stmt.join(Venue, Venue.id == facts.c.venue_id).join(Partner, Partner.id == Venue.partner_id)
    elif by == "venue":
        category = Venue.name
        stmt = stmt.join(Venue, Venue.id == facts.c.venue_id)
    elif by == "skill_area" and "skill_id" in facts.c:
        category = Skill.area
        stmt = stmt.join(Skill, Skill.id == facts.c.skill_id)
    elif by == "age_band" and "age_band" in facts.c:
        category = facts.c.age_band
    elif by == "age_band" and "learner_key" in facts.c:
        category = _LEARNERS.c.age_band
        stmt = stmt.join(_LEARNERS, _LEARNERS.c.id == facts.c.learner_key)
    else:
        raise ValueError(f"This figure has no breakdown by {by}")
    stmt = stmt.add_columns(category, value).group_by(category)
    return {name: number or 0 for name, number in db.session.execute(stmt)}


def categories_with_sessions(scope: Scope) -> dict[str, list[str]]:
    """Names of the partners and of the venues that had any session in scope, alphabetically."""
    sessions = sessions_in_scope(scope)
    venues = select(Venue.name, Partner.name).join(Partner, Partner.id == Venue.partner_id)
    venues = venues.where(Venue.id.in_(select(sessions.c.venue_id)))
    rows = db.session.execute(venues).all()
    return {"partner": sorted({row[1] for row in rows}), "venue": sorted(row[0] for row in rows)}


def earliest_attendance_date() -> date | None:
    facts = adult_attendances(Scope(None, date.max))
    return db.session.scalar(select(func.min(facts.c.session_date)))


def count_rows() -> ColumnElement:
    return func.count(literal(1))


def count_distinct(column: ColumnElement) -> ColumnElement:
    return func.count(column.distinct())


def total(column: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(column), 0)
