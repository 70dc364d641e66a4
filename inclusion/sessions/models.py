"""Learning sessions, who attended them and the skills learners showed there."""

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.sessions.constants import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, SESSION_TYPES, SKILL_AREAS
from inclusion.timeutil import utcnow

session_champions = Table(
    "session_champions",
    db.metadata,
    Column("session_id", ForeignKey("learning_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)

_types_sql = ", ".join(f"'{t}'" for t in SESSION_TYPES)
_areas_sql = ", ".join(f"'{a}'" for a in SKILL_AREAS)


# Attendances and skill achievements carry copies of their session's date and venue and of the
# learner they count as (`learner_key`: the record a merged duplicate counts as, else their own
# learner), so the figures read one table through one index. Database triggers (migration
# 3f6a9c2d7b15) set them on every insert and keep them right when a session moves or a learner
# is merged: application code never writes them. Deferred: pages loading a row do not read them.
REPORT_KEY = {"nullable": True, "deferred": True}


class LearningSession(db.Model):
    __tablename__ = "learning_sessions"
    __table_args__ = (
        CheckConstraint(f"session_type IN ({_types_sql})", name="session_type_known"),
        CheckConstraint(
            f"duration_minutes BETWEEN {MIN_DURATION_MINUTES} AND {MAX_DURATION_MINUTES}", name="duration_range"
        ),
        CheckConstraint("unregistered_attendees >= 0", name="unregistered_not_negative"),
        Index("ix_learning_sessions_venue_id_session_date", "venue_id", "session_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_date: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time | None]
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    session_type: Mapped[str] = mapped_column(String(20), default="drop-in")
    duration_minutes: Mapped[int]
    notes: Mapped[str | None] = mapped_column(Text)
    unregistered_attendees: Mapped[int] = mapped_column(default=0)
    # The form's one-time token: a double tap or a browser retry cannot store a session twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The spreadsheet's session_ref, so re-importing a file finds the session it made before.
    import_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue] = relationship()
    created_by: Mapped[User | None] = relationship()
    champions: Mapped[list[User]] = relationship(secondary=session_champions)
    attendances: Mapped[list["Attendance"]] = relationship(
        back_populates="learning_session", cascade="all, delete-orphan"
    )


class Attendance(db.Model):
    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("session_id", "learner_id"),
        # A learner's attendances without reading the table: "first attendance" and "attended by
        # this date" are answered from the index alone (docs/performance.md).
        Index("ix_attendances_learner_id_session_id", "learner_id", "session_id"),
        Index("ix_attendances_session_date_learner_key", "session_date", "learner_key", "venue_id", "session_id"),
        Index("ix_attendances_learner_key_session_date", "learner_key", "session_date"),
        Index("ix_attendances_venue_id_learner_key", "venue_id", "learner_key", "session_date"),
        # Each learner's first attendance at each venue, and nothing else: adults helped to date
        # at a place (migration 3b7c1d9e5f20).
        Index(
            "ix_attendances_first_at_venue",
            "venue_id",
            "learner_key",
            "session_date",
            sqlite_where=text("is_first_at_venue = 1"),
            postgresql_where=text("is_first_at_venue"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("learning_sessions.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    session_date: Mapped[date | None] = mapped_column(**REPORT_KEY)
    venue_id: Mapped[int | None] = mapped_column(**REPORT_KEY)
    learner_key: Mapped[int | None] = mapped_column(**REPORT_KEY)
    # True on the one attendance of each (learner_key, venue) that comes first: the earliest
    # session date, then session id, then id (reports/keys.py FIRST_AT_VENUE). Kept by triggers.
    is_first_at_venue: Mapped[bool | None] = mapped_column(**REPORT_KEY)

    learning_session: Mapped[LearningSession] = relationship(back_populates="attendances")
    learner: Mapped[Learner] = relationship()


class Skill(db.Model):
    __tablename__ = "skills"
    __table_args__ = (CheckConstraint(f"area IN ({_areas_sql})", name="area_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    area: Mapped[str] = mapped_column(String(3), index=True)
    title: Mapped[str] = mapped_column(String(200))
    framework: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(20))
    is_local: Mapped[bool] = mapped_column(default=False)
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SkillAchievement(db.Model):
    """A learner showed a skill at a session; only a learner's first achievement of a skill counts."""

    __tablename__ = "skill_achievements"
    __table_args__ = (
        UniqueConstraint("learner_id", "skill_id", "session_id"),
        Index("ix_skill_achievements_session_id", "session_id"),
        Index("ix_skill_achievements_skill_id", "skill_id"),
        # The first achievements of each skill in a period, and nothing else (migration c41d7e9a5f02).
        Index(
            "ix_skill_achievements_firsts",
            "session_date",
            "learner_key",
            "skill_id",
            "venue_id",
            sqlite_where=text("is_first = 1"),
            postgresql_where=text("is_first"),
        ),
        Index("ix_skill_achievements_learner_key_skill_id", "learner_key", "skill_id", "session_date", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    session_id: Mapped[int] = mapped_column(ForeignKey("learning_sessions.id", ondelete="CASCADE"))
    session_date: Mapped[date | None] = mapped_column(**REPORT_KEY)
    venue_id: Mapped[int | None] = mapped_column(**REPORT_KEY)
    learner_key: Mapped[int | None] = mapped_column(**REPORT_KEY)
    # True on the one achievement of each (learner_key, skill) that counts: the earliest session
    # date, then session id, then id. Kept by triggers like the keys above.
    is_first: Mapped[bool | None] = mapped_column(**REPORT_KEY)

    learner: Mapped[Learner] = relationship()
    skill: Mapped[Skill] = relationship()
    learning_session: Mapped[LearningSession] = relationship()
