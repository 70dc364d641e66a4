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
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from inclusion.extensions import db
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement

UNDER_18 = "under-18"

# The learner columns the figures read, as a narrow table of their own: every alias of the
# mapped Learner (about thirty columns) made SQLAlchemy build a proxy for each column on every
# query, which cost more Python time than the small queries themselves took in the database.
_LEARNER_COLUMNS = Table(
    "learners", MetaData(), Column("id", Integer, primary_key=True), Column("merged_into_id", Integer),
    Column("age_band", String),
)


def _learner_alias(name: str):
    """An alias of the learners table with .id, .merged_into_id and .age_band, like aliased(Learner)."""
    return _Columns(_LEARNER_COLUMNS.alias(name))


class _Columns:
    """Attribute access to a table alias's columns (kept.id rather than kept.c.id)."""

    def __init__(self, alias):
        self.alias = alias

    def __getattr__(self, name):
        if name in _LEARNER_COLUMNS.c:
            return self.alias.c[name]
        raise AttributeError(name)

    def __clause_element__(self):
        return self.alias


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


def _within(stmt: Select, scope: Scope, session_date: ColumnElement, venue_id, partner_id) -> Select:
    if scope.start is not None:
        stmt = stmt.where(session_date >= scope.start)
    stmt = stmt.where(session_date <= scope.end)
    if scope.partner_id is not None:
        stmt = stmt.where(partner_id == scope.partner_id)
    if scope.venue_id is not None:
        stmt = stmt.where(venue_id == scope.venue_id)
    return stmt


def _kept_learner_join(stmt: Select, learner_id_column):
    """Join the learner who attended and the learner they count as (the one a duplicate was merged into)."""
    attendee, kept = _learner_alias("attendee"), _learner_alias("kept")
    stmt = stmt.join(attendee, attendee.id == learner_id_column).join(
        kept, kept.id == func.coalesce(attendee.merged_into_id, attendee.id)
    )
    return stmt.where(kept.age_band != UNDER_18), kept


def _none_for_learner(key, rows: Select, learner_id_column, own: tuple) -> tuple[ColumnElement, ...]:
    """NOT EXISTS conditions: no `rows` for learner `key` itself, nor for any duplicate merged into it.

    `own` are the aliases `rows` selects from; everything else it mentions belongs to the outer
    query. Each condition is an equality lookup that SQLite and PostgreSQL both answer from an
    index (learner_id = key; merged_into_id = key, then learner_id = that record), rather than
    COALESCE(...) = key or an OR, which the planners cannot push into an index.
    """
    direct = _probe(rows.where(learner_id_column == key)).exists()
    record = _learner_alias("merged_record")
    of_record = _probe(rows.where(learner_id_column == record.id).correlate_except(*own)).exists()
    merged = select(literal(1)).select_from(record).where(record.merged_into_id == key, of_record)
    return ~direct, ~_probe(merged.correlate_except(record)).exists()


def _probe(subquery: Select) -> Select:
    """Keep an EXISTS subquery a per-row index probe: OFFSET 0 stops PostgreSQL turning it into a join.

    Left to itself, PostgreSQL plans NOT EXISTS as a hash anti-join over every earlier
    attendance in the history (about a second at 500,000 attendances), where a few thousand
    index probes take tens of milliseconds; a subquery with an OFFSET is never pulled up
    (simplify_EXISTS_query). SQLite runs EXISTS as a probe anyway; the OFFSET changes nothing.
    """
    return subquery.offset(0)


def adult_attendances(scope: Scope, *, distinct: bool = False) -> Subquery:
    """Attendances of adults at sessions in scope, as (counted learner, session) rows.

    `distinct`: one row per (counted learner, session) even when a learner and a duplicate merged
    into them both attended the session; needed for counting attendances, not learners.
    """
    stmt = select().select_from(Attendance).join(LearningSession, LearningSession.id == Attendance.session_id)
    stmt = stmt.join(Venue, Venue.id == LearningSession.venue_id)
    stmt, kept = _kept_learner_join(stmt, Attendance.learner_id)
    stmt = stmt.add_columns(*_fact_columns(kept), LearningSession.duration_minutes.label("duration_minutes"))
    stmt = _within(stmt, scope, LearningSession.session_date, LearningSession.venue_id, Venue.partner_id)
    return (stmt.distinct() if distinct else stmt).subquery("adult_attendances")


def _attended_in_scope(learner_id_column, scope: Scope) -> ColumnElement:
    """EXISTS an attendance of `learner_id_column` at a session in scope (an index probe per learner)."""
    stmt = select(literal(1)).select_from(Attendance).join(
        LearningSession, LearningSession.id == Attendance.session_id
    )
    if scope.partner_id is not None:
        stmt = stmt.join(Venue, Venue.id == LearningSession.venue_id)
    stmt = stmt.where(Attendance.learner_id == learner_id_column)
    stmt = _within(stmt, scope, LearningSession.session_date, LearningSession.venue_id, Venue.partner_id)
    return _probe(stmt).exists()


def helped_learners_count(scope: Scope, by_age_band: bool = False):
    """Distinct adults (as counted: a merged duplicate as its kept record) attending in scope.

    The same figure as count(DISTINCT learner_key) over adult_attendances(scope), shaped for a
    long scope (to date): it walks the learners, not the attendances, asking of each kept
    record whether it, or a duplicate merged into it, attended: one index probe each, instead
    of joining every attendance in the history. A learner counts as `kept` when it is not merged
    itself and attended, or when a record merged into it attended (the COALESCE of
    _kept_learner_join, written as two conditions the planners can answer from indexes).
    """
    kept, record = _learner_alias("kept"), _learner_alias("merged_record")
    merged_attended = (
        select(literal(1))
        .select_from(record)
        .where(record.merged_into_id == kept.id, _attended_in_scope(record.id, scope))
        .correlate_except(record)
        .offset(0)
        .exists()
    )
    counted = or_(and_(kept.merged_into_id.is_(None), _attended_in_scope(kept.id, scope)), merged_attended)
    stmt = select(func.count()).select_from(kept).where(kept.age_band != UNDER_18, counted)
    if not by_age_band:
        return db.session.scalar(stmt) or 0
    stmt = stmt.add_columns(kept.age_band).group_by(kept.age_band)
    return {band: number for number, band in db.session.execute(stmt)}


def learner_venue_pairs(scope: Scope) -> Subquery:
    """Adult (counted learner, venue, partner) rows for attendances in scope, without repeats.

    For breakdowns by venue or partner over a long scope: the distinct (attendee, venue) pairs
    are found from the attendances and sessions alone first, so the learner lookups that follow
    happen once per pair rather than once per attendance.
    """
    pairs = select(Attendance.learner_id.label("learner_id"), LearningSession.venue_id.label("venue_id"))
    pairs = pairs.join(LearningSession, LearningSession.id == Attendance.session_id)
    if scope.partner_id is not None:
        pairs = pairs.join(Venue, Venue.id == LearningSession.venue_id)
    pairs = _within(pairs, scope, LearningSession.session_date, LearningSession.venue_id, Venue.partner_id)
    pairs = pairs.distinct().subquery("attended_pairs")
    stmt = select().select_from(pairs).join(Venue, Venue.id == pairs.c.venue_id)
    stmt, kept = _kept_learner_join(stmt, pairs.c.learner_id)
    stmt = stmt.add_columns(kept.id.label("learner_key"), pairs.c.venue_id.label("venue_id"),
                            Venue.partner_id.label("partner_id"))
    return stmt.subquery("learner_venue_pairs")


def _fact_columns(kept) -> tuple:
    return (
        kept.id.label("learner_key"),
        kept.age_band.label("age_band"),
        LearningSession.id.label("session_id"),
        LearningSession.session_date.label("session_date"),
        LearningSession.venue_id.label("venue_id"),
        Venue.partner_id.label("partner_id"),
    )


def new_learner_attendances(scope: Scope, months: list[tuple[str, date, date]] = ()) -> Subquery:
    """Attendances in scope by adults with no attendance anywhere before scope's start.

    With `months` (key, first day, last day), each row also carries its calendar `month`, and
    "new" means no attendance before that month's first day, for trends month by month.
    NOT EXISTS stops at the first earlier attendance found, so returning learners are cheap.
    """
    stmt = select().select_from(Attendance).join(LearningSession, LearningSession.id == Attendance.session_id)
    stmt = stmt.join(Venue, Venue.id == LearningSession.venue_id)
    stmt, kept = _kept_learner_join(stmt, Attendance.learner_id)
    stmt = stmt.add_columns(*_fact_columns(kept))
    boundary = scope.start
    if months:
        table = months_table(list(months))
        stmt = stmt.join(table, LearningSession.session_date.between(table.c.first_day, table.c.last_day))
        stmt = stmt.add_columns(table.c.month)
        boundary = table.c.first_day
    if boundary is not None:
        earlier = aliased(Attendance, name="earlier")
        earlier_session = aliased(LearningSession, name="earlier_session")
        attended_before = (
            select(literal(1))
            .select_from(earlier)
            .join(earlier_session, earlier_session.id == earlier.session_id)
            .where(earlier_session.session_date < boundary)
        )
        own = (earlier, earlier_session)
        stmt = stmt.where(*_none_for_learner(kept.id, attended_before, earlier.learner_id, own))
    stmt = _within(stmt, scope, LearningSession.session_date, LearningSession.venue_id, Venue.partner_id)
    return stmt.subquery("new_learner_attendances")


def new_learners_by_month(scope: Scope, months: list[tuple[str, date, date]]) -> dict[str, int]:
    """new_learners for each calendar month of `months` (consecutive, covering scope), in one query.

    New in month m means attending (in scope) in m with no attendance anywhere before m's first
    day, that is: the learner's first attendance ever falls in m, and they attended in scope in m.
    So the learners attending anywhere in the whole run of months are found with their first date
    in it, those who attended before the run are dropped (one NOT EXISTS probe per learner, not per
    attendance, nor one query per month), and each is counted in the month of that first date.
    """
    whole = Scope(months[0][1], months[-1][2])
    attending = adult_attendances(whole)
    firsts = select(attending.c.learner_key.label("learner_key"),
                    func.min(attending.c.session_date).label("first_date"))
    firsts = firsts.group_by(attending.c.learner_key).subquery("first_in_run")
    earlier = aliased(Attendance, name="earlier")
    earlier_session = aliased(LearningSession, name="earlier_session")
    attended_before = (
        select(literal(1))
        .select_from(earlier)
        .join(earlier_session, earlier_session.id == earlier.session_id)
        .where(earlier_session.session_date < whole.start)
    )
    table = months_table(list(months))
    stmt = select(table.c.month, count_distinct(firsts.c.learner_key)).select_from(firsts).join(
        table, firsts.c.first_date.between(table.c.first_day, table.c.last_day)
    )
    stmt = stmt.where(*_none_for_learner(firsts.c.learner_key, attended_before, earlier.learner_id,
                                          (earlier, earlier_session)))
    if scope.partner_id is not None or scope.venue_id is not None:
        here = adult_attendances(scope)
        stmt = stmt.join(here, and_(here.c.learner_key == firsts.c.learner_key,
                                    here.c.session_date.between(table.c.first_day, table.c.last_day)))
    return dict(db.session.execute(stmt.group_by(table.c.month)).tuples().all())


def first_skill_achievements(scope: Scope) -> Subquery:
    """Adults' first achievements of a skill made in scope.

    A (counted learner, skill) pair's first achievement is the one at the earliest session date,
    then the lowest session id, then the lowest achievement id: exactly one per pair.
    """
    stmt = select().select_from(SkillAchievement).join(
        LearningSession, LearningSession.id == SkillAchievement.session_id
    )
    stmt = stmt.join(Venue, Venue.id == LearningSession.venue_id)
    stmt = stmt.join(Skill, Skill.id == SkillAchievement.skill_id)
    stmt, kept = _kept_learner_join(stmt, SkillAchievement.learner_id)
    other = aliased(SkillAchievement, name="other")
    other_session = aliased(LearningSession, name="other_session")
    earlier = (
        select(literal(1))
        .select_from(other)
        .join(other_session, other_session.id == other.session_id)
        .where(
            other.skill_id == SkillAchievement.skill_id,
            or_(
                other_session.session_date < LearningSession.session_date,
                and_(other_session.session_date == LearningSession.session_date,
                     other_session.id < LearningSession.id),
                and_(other_session.id == LearningSession.id, other.id < SkillAchievement.id),
            ),
        )
    )
    stmt = stmt.add_columns(
        *_fact_columns(kept), SkillAchievement.skill_id.label("skill_id"), Skill.area.label("skill_area")
    ).where(*_none_for_learner(kept.id, earlier, other.learner_id, (other, other_session)))
    stmt = _within(stmt, scope, LearningSession.session_date, LearningSession.venue_id, Venue.partner_id)
    return stmt.subquery("first_achievements")


def sessions_in_scope(scope: Scope, *, delivered_only: bool = False) -> Subquery:
    """Sessions in scope; `delivered_only`: with at least one attendee (any age) or unregistered attendee."""
    stmt = select(
        LearningSession.id.label("session_id"),
        LearningSession.venue_id.label("venue_id"),
        Venue.partner_id.label("partner_id"),
        LearningSession.unregistered_attendees.label("unregistered_attendees"),
    ).join(Venue, Venue.id == LearningSession.venue_id)
    stmt = _within(stmt, scope, LearningSession.session_date, LearningSession.venue_id, Venue.partner_id)
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
        stmt = stmt.join(Partner, Partner.id == facts.c.partner_id)
    elif by == "venue":
        category = Venue.name
        stmt = stmt.join(Venue, Venue.id == facts.c.venue_id)
    elif by in ("skill_area", "age_band") and by in facts.c:
        category = facts.c[by]
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

