"""Aggregate SQL for the figures: derived tables of facts, and grouped counts over them.

Nothing here decides what a figure means (that is metrics.py); these functions only build
the selectables and run one aggregate query each, so the database does the counting and
Python receives a handful of rows however many attendances there are.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    Integer,
    MetaData,
    Select,
    String,
    Subquery,
    Table,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from inclusion.extensions import db
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.models import Attendance, LearningSession, Skill

UNDER_18 = "under-18"

# The columns the figures read, as narrow tables of their own: aliases of the mapped classes
# (the learner has about thirty columns) made SQLAlchemy build a proxy for every column on
# every query, which cost more Python time than the small queries took in the database.
_metadata = MetaData()
_LEARNERS = Table(
    "learners", _metadata, Column("id", Integer, primary_key=True), Column("age_band", String),
)
# session_date, venue_id and learner_key are the report keys the triggers keep (sessions/models.py).
_ATTENDANCES = Table(
    "attendances", _metadata, Column("id", Integer, primary_key=True), Column("session_id", Integer),
    Column("session_date", Date), Column("venue_id", Integer), Column("learner_key", Integer),
)
_ACHIEVEMENTS = Table(
    "skill_achievements", _metadata, Column("id", Integer, primary_key=True), Column("session_id", Integer),
    Column("skill_id", Integer), Column("session_date", Date), Column("venue_id", Integer),
    Column("learner_key", Integer),
)


class month_key(FunctionElement):  # noqa: N801  (used like a SQL function)
    """`YYYY-MM` of a date column, computed by the database: a grouping key, not a join to a table."""

    type = String()
    inherit_cache = True


@compiles(month_key)
def _month_key_default(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_key, "postgresql")
def _month_key_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


DIMENSIONS = ("partner", "venue", "skill_area", "age_band")


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


def _probe(subquery: Select) -> Select:
    """Keep an EXISTS subquery a per-row index probe: OFFSET 0 stops PostgreSQL turning it into a join.

    Left to itself, PostgreSQL plans NOT EXISTS as a hash anti-join over every earlier
    attendance in the history (about a second at 500,000 attendances), where a few thousand
    index probes take tens of milliseconds; a subquery with an OFFSET is never pulled up
    (simplify_EXISTS_query). SQLite runs EXISTS as a probe anyway; the OFFSET changes nothing.
    """
    return subquery.offset(0)


def _attended_before(learner_key: ColumnElement, boundary) -> ColumnElement:
    """EXISTS an attendance of the counted learner before `boundary`: one probe of the key index."""
    earlier = _ATTENDANCES.alias("earlier")
    stmt = select(literal(1)).select_from(earlier).where(
        earlier.c.learner_key == learner_key, earlier.c.session_date < boundary
    )
    return _probe(stmt.correlate_except(earlier)).exists()


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
    return stmt.subquery("adult_attendances")


def helped_learners_count(scope: Scope, by_age_band: bool = False):
    """Distinct adults (as counted: a merged duplicate as its kept record) attending in scope.

    The same figure as count(DISTINCT learner_key) over adult_attendances(scope), shaped for a
    long scope (to date): it walks the learners, asking of each whether anything attended as
    them in scope (one probe of the learner_key index), rather than reading every attendance
    in the history.
    """
    learners, facts = _LEARNERS.alias("counted"), _ATTENDANCES.alias("attended")
    attended = select(literal(1)).select_from(facts).where(facts.c.learner_key == learners.c.id)
    attended = _within(attended, scope, facts.c.session_date, facts.c.venue_id)
    stmt = select(func.count()).select_from(learners).where(
        learners.c.age_band != UNDER_18, _probe(attended.correlate_except(facts)).exists()
    )
    if not by_age_band:
        return db.session.scalar(stmt) or 0
    stmt = stmt.add_columns(learners.c.age_band).group_by(learners.c.age_band)
    return {band: number for number, band in db.session.execute(stmt)}


def learner_venue_pairs(scope: Scope) -> Subquery:
    """Adult (counted learner, venue) rows for attendances in scope, without repeats.

    For breakdowns by venue or partner over a long scope: one row per pair, not per attendance.
    """
    facts = _ATTENDANCES
    stmt = select(facts.c.learner_key, facts.c.venue_id).where(_adult(facts.c.learner_key)).distinct()
    return _within(stmt, scope, facts.c.session_date, facts.c.venue_id).subquery("learner_venue_pairs")


def new_learner_attendances(scope: Scope, months: list[tuple[str, date, date]] = ()) -> Subquery:
    """Attendances in scope by adults with no attendance anywhere before scope's start.

    With `months` (key, first day, last day), each row also carries its calendar `month`, and
    "new" means no attendance before that month's first day, for trends month by month.
    NOT EXISTS stops at the first earlier attendance found, so returning learners are cheap.
    """
    facts = _ATTENDANCES
    stmt = select(facts.c.learner_key, facts.c.session_id, facts.c.session_date, facts.c.venue_id)
    boundary = scope.start
    if months:
        table = months_table(list(months))
        stmt = stmt.join(table, facts.c.session_date.between(table.c.first_day, table.c.last_day))
        stmt = stmt.add_columns(table.c.month)
        boundary = table.c.first_day
    if boundary is not None:
        stmt = stmt.where(~_attended_before(facts.c.learner_key, boundary))
    stmt = _within(stmt.where(_adult(facts.c.learner_key)), scope, facts.c.session_date, facts.c.venue_id)
    return stmt.subquery("new_learner_attendances")


def new_learners_by_month(scope: Scope, months: list[tuple[str, date, date]]) -> dict[str, int]:
    """new_learners for each calendar month of `months` (consecutive, covering scope), in one query.

    New in month m means attending (in scope) in m with no attendance anywhere before m's first
    day, that is: the learner's first attendance ever falls in m, and they attended in scope in m.
    So the learners attending anywhere in the whole run of months are found with their first date
    in it, those who attended before the run are dropped (one probe per learner, not per
    attendance, nor one query per month), and each is counted in the month of that first date.
    """
    whole = Scope(months[0][1], months[-1][2])
    attending = adult_attendances(whole)
    firsts = select(attending.c.learner_key.label("learner_key"),
                    func.min(attending.c.session_date).label("first_date"))
    firsts = firsts.group_by(attending.c.learner_key).subquery("first_in_run")
    month = month_key(firsts.c.first_date)
    stmt = select(month, count_distinct(firsts.c.learner_key)).select_from(firsts)
    stmt = stmt.where(~_attended_before(firsts.c.learner_key, whole.start))
    if scope.partner_id is not None or scope.venue_id is not None:
        here = adult_attendances(scope)
        stmt = stmt.join(here, and_(here.c.learner_key == firsts.c.learner_key,
                                    month_key(here.c.session_date) == month))
    return dict(db.session.execute(stmt.group_by(month)).tuples().all())


def first_skill_achievements(scope: Scope) -> Subquery:
    """Adults' first achievements of a skill made in scope.

    A (counted learner, skill) pair's first achievement is the one at the earliest session date,
    then the lowest session id, then the lowest achievement id: exactly one per pair.
    """
    facts, other = _ACHIEVEMENTS, _ACHIEVEMENTS.alias("other")
    earlier = select(literal(1)).select_from(other).where(
        other.c.learner_key == facts.c.learner_key,
        other.c.skill_id == facts.c.skill_id,
        or_(
            other.c.session_date < facts.c.session_date,
            and_(other.c.session_date == facts.c.session_date, other.c.session_id < facts.c.session_id),
            and_(other.c.session_id == facts.c.session_id, other.c.id < facts.c.id),
        ),
    )
    stmt = select(facts.c.learner_key, facts.c.session_id, facts.c.session_date, facts.c.venue_id,
                  facts.c.skill_id)
    stmt = stmt.where(_adult(facts.c.learner_key), ~_probe(earlier.correlate_except(other)).exists())
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


def months_table(months: list[tuple[str, date, date]]) -> Subquery:
    """A derived table (month, first_day, last_day), portable to SQLite and PostgreSQL."""
    rows = [
        select(literal(key, String).label("month"), literal(first, Date).label("first_day"),
               literal(last, Date).label("last_day"))
        for key, first, last in months
    ]
    return union_all(*rows).subquery("months") if len(rows) > 1 else rows[0].subquery("months")


def aggregate(facts: Subquery, value: ColumnElement, by: str | None = None, *,
              months: list[tuple[str, date, date]] = ()):
    """`value` over the rows of `facts`: a number (by=None) or {category name: number} for a dimension.

    by="month" groups by the facts' own `month` column if they have one, else by the calendar
    `months` given (key, first day, last day) that each row's session_date falls in.
    """
    if by is None:
        return db.session.scalar(select(value).select_from(facts)) or 0
    stmt = select().select_from(facts)
    if by == "month" and "month" in facts.c:
        category = facts.c.month
    elif by == "month" and months:
        # The facts lie within the months already (their scope is the period), so each row's
        # month is read off its date: no join of every row against a table of months.
        category = month_key(facts.c.session_date)
    elif by == "partner":
        category = Partner.name
        stmt = stmt.join(Venue, Venue.id == facts.c.venue_id).join(Partner, Partner.id == Venue.partner_id)
    elif by == "venue":
        category = Venue.name
        stmt = stmt.join(Venue, Venue.id == facts.c.venue_id)
    elif by == "skill_area" and "skill_id" in facts.c:
        category = Skill.area
        stmt = stmt.join(Skill, Skill.id == facts.c.skill_id)
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

