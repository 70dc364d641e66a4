"""The rows of each list export: what its page lists for the same filters, as one streamed query each.

Columns are named here once; the CSV header and the XLSX header row are these names. Rows are read
`yield_per` at a time (a server-side cursor on PostgreSQL), so a 50,000-learner export never holds
its rows in memory.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, literal, select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.filters import LearnerFilters
from inclusion.learners.models import Learner
from inclusion.learners.rules import TYPED_FIELDS
from inclusion.learners.search import listed_learners
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.filters import SessionFilters, session_conditions
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement, session_champions

BATCH = 1000


@dataclass(frozen=True)
class ExportList:
    name: str  # learners, sessions, attendances
    columns: tuple[str, ...]
    statement: Select

    def rows(self) -> Iterator[tuple]:
        result = db.session.execute(self.statement, execution_options={"yield_per": BATCH, "stream_results": True})
        for row in result:
            yield tuple(row)


def joined_text(column: ColumnElement) -> ColumnElement:
    """The values of `column` in a group as one text, "; " between them (each database's own aggregate)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.string_agg(column, literal("; "))
    return func.group_concat(column, "; ")


# What a person typed about the learner is the one list of learners/rules.py (may_contact included).
LEARNER_COLUMNS = ("reference", *TYPED_FIELDS, "registered_on", "registered_with", "anonymised_on")


def learners(user: User, filters: LearnerFilters) -> ExportList:
    statement = (
        select(
            Learner.reference,
            *(getattr(Learner, field) for field in TYPED_FIELDS),
            Learner.registered_on,
            Partner.name,
            Learner.anonymised_at,  # written as the London date (writers.py)
        )
        .join(Partner, Partner.id == Learner.registered_partner_id)
        .where(*listed_learners(user, filters))
        .order_by(Learner.id)
    )
    return ExportList("learners", LEARNER_COLUMNS, statement)


SESSION_COLUMNS = (
    "session_id",
    "session_date",
    "start_time",
    "venue",
    "partner",
    "session_type",
    "duration_minutes",
    "learners",
    "unregistered_attendees",
    "champions",
    "notes",
)


def _champion_names() -> ColumnElement:
    return (
        select(joined_text(User.name))
        .join(session_champions, session_champions.c.user_id == User.id)
        .where(session_champions.c.session_id == LearningSession.id)
        .scalar_subquery()
    )


def sessions(user: User, filters: SessionFilters) -> ExportList:
    attendees = select(func.count(Attendance.id)).where(Attendance.session_id == LearningSession.id).scalar_subquery()
    statement = (
        select(
            LearningSession.id,
            LearningSession.session_date,
            LearningSession.start_time,
            Venue.name,
            Partner.name,
            LearningSession.session_type,
            LearningSession.duration_minutes,
            attendees,
            LearningSession.unregistered_attendees,
            _champion_names(),
            LearningSession.notes,
        )
        .join(Venue, Venue.id == LearningSession.venue_id)
        .join(Partner, Partner.id == Venue.partner_id)
        .where(*session_conditions(user, filters))
        .order_by(LearningSession.session_date, LearningSession.start_time, LearningSession.id)
    )
    return ExportList("sessions", SESSION_COLUMNS, statement)


ATTENDANCE_COLUMNS = (
    "session_id",
    "session_date",
    "start_time",
    "venue",
    "partner",
    "session_type",
    "duration_minutes",
    "learner_reference",
    "first_name",
    "last_name",
    "age_band",
    "skills",
)


def attendances(user: User, filters: SessionFilters) -> ExportList:
    skills = (
        select(joined_text(Skill.code))
        .join(SkillAchievement, SkillAchievement.skill_id == Skill.id)
        .where(
            SkillAchievement.session_id == Attendance.session_id,
            SkillAchievement.learner_id == Attendance.learner_id,
        )
        .scalar_subquery()
    )
    statement = (
        select(
            LearningSession.id,
            LearningSession.session_date,
            LearningSession.start_time,
            Venue.name,
            Partner.name,
            LearningSession.session_type,
            LearningSession.duration_minutes,
            Learner.reference,
            Learner.first_name,
            Learner.last_name,
            Learner.age_band,
            skills,
        )
        .select_from(Attendance)
        .join(LearningSession, LearningSession.id == Attendance.session_id)
        .join(Venue, Venue.id == LearningSession.venue_id)
        .join(Partner, Partner.id == Venue.partner_id)
        .join(Learner, Learner.id == Attendance.learner_id)
        .where(*session_conditions(user, filters))
        .order_by(LearningSession.session_date, LearningSession.start_time, LearningSession.id, Learner.reference)
    )
    return ExportList("attendances", ATTENDANCE_COLUMNS, statement)
