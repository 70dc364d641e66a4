"""Aggregate SQL for the figures: derived tables of facts, and grouped counts over them.

Nothing here decides what a figure means (that is metrics.py); these functions only build
the selectables and run one aggregate query each, so the database does the counting and
Python receives a handful of rows however many attendances there are.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    String,
    Subquery,
    and_,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement

UNDER_18 = "under-18"
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
    attendee, kept = aliased(Learner, name="attendee"), aliased(Learner, name="kept")
    stmt = stmt.join(attendee, attendee.id == learner_id_column).join(
        kept, kept.id == func.coalesce(attendee.merged_into_id, attendee.id)
    )
    return stmt.where(kept.age_band != UNDER_18), kept


def adult_attendances(scope: Scope) -> Subquery:
    """One row per (counted learner, session) for adults at sessions in scope."""
    stmt = select().select_from(Attendance).join(LearningSession, LearningSession.id == Attendance.session_id)
    stmt = stmt.join(Venue, Venue.id == LearningSession.venue_id)
    stmt, kept = _kept_learner_join(stmt, Attendance.learner_id)
    stmt = stmt.add_columns(
        kept.id.label("learner_key"),
        kept.age_band.label("age_band"),
        LearningSession.id.label("session_id"),
        LearningSession.session_date.label("session_date"),
        LearningSession.venue_id.label("venue_id"),
        Venue.partner_id.label("partner_id"),
        LearningSession.duration_minutes.label("duration_minutes"),
    ).distinct()
    stmt = _within(stmt, scope, LearningSession.session_date, LearningSession.venue_id, Venue.partner_id)
    return stmt.subquery("adult_attendances")


def first_attendance_dates() -> Subquery:
    """Each counted adult learner's first attendance ever, wherever it was."""
    everything = adult_attendances(Scope(None, date.max))
    stmt = select(everything.c.learner_key, func.min(everything.c.session_date).label("first_date"))
    return stmt.group_by(everything.c.learner_key).subquery("first_attendances")


def new_learner_attendances(scope: Scope) -> Subquery:
    """Attendances in scope by adults whose first attendance ever falls between scope's start and end."""
    facts, firsts = adult_attendances(scope), first_attendance_dates()
    stmt = select(facts, firsts.c.first_date).join(firsts, firsts.c.learner_key == facts.c.learner_key)
    stmt = stmt.where(firsts.c.first_date <= scope.end)
    if scope.start is not None:
        stmt = stmt.where(firsts.c.first_date >= scope.start)
    return stmt.subquery("new_learner_attendances")


def first_skill_achievements(scope: Scope) -> Subquery:
    """Adults' first achievement of each skill (earliest session, then lowest session id) made in scope."""
    stmt = select().select_from(SkillAchievement).join(
        LearningSession, LearningSession.id == SkillAchievement.session_id
    )
    stmt = stmt.join(Venue, Venue.id == LearningSession.venue_id)
    stmt = stmt.join(Skill, Skill.id == SkillAchievement.skill_id)
    stmt, kept = _kept_learner_join(stmt, SkillAchievement.learner_id)
    rank = func.row_number().over(
        partition_by=(kept.id, SkillAchievement.skill_id),
        order_by=(LearningSession.session_date, LearningSession.id),
    )
    ranked = stmt.add_columns(
        kept.id.label("learner_key"),
        kept.age_band.label("age_band"),
        SkillAchievement.skill_id.label("skill_id"),
        Skill.area.label("skill_area"),
        LearningSession.session_date.label("session_date"),
        LearningSession.venue_id.label("venue_id"),
        Venue.partner_id.label("partner_id"),
        rank.label("rank"),
    ).subquery("ranked_achievements")
    firsts = select(ranked).where(ranked.c.rank == 1)
    firsts = _within(firsts, scope, ranked.c.session_date, ranked.c.venue_id, ranked.c.partner_id)
    return firsts.subquery("first_achievements")


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
              months: list[tuple[str, date, date]] = (), month_columns: tuple[str, ...] = ("session_date",)):
    """`value` over the rows of `facts`: a number (by=None) or {category name: number} for a dimension.

    by="month" groups by the calendar `months` given (key, first day, last day); a row belongs to a
    month when every one of its `month_columns` dates falls in that month.
    """
    if by is None:
        return db.session.scalar(select(value).select_from(facts)) or 0
    stmt = select().select_from(facts)
    if by == "month":
        if not months:
            raise ValueError("This figure has no breakdown by month")
        table = months_table(list(months))
        category = table.c.month
        stmt = stmt.join(table, and_(*(facts.c[name].between(table.c.first_day, table.c.last_day)
                                       for name in month_columns)))
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

