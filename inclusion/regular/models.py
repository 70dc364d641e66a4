"""Regular sessions (repeating slots at a venue), and what the weekly reminders remember."""

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.partners.models import Venue
from inclusion.sessions.constants import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, SESSION_TYPES
from inclusion.timeutil import utcnow

FREQUENCIES = ("weekly", "fortnightly")
_types_sql = ", ".join(f"'{t}'" for t in SESSION_TYPES)

regular_session_champions = Table(
    "regular_session_champions",
    db.metadata,
    Column("regular_session_id", ForeignKey("regular_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class RegularSession(db.Model):
    """A repeating slot: every week (or fortnight) on `weekday` from `starts_on` until `ends_on`.

    Occurrences are computed, never stored (inclusion/regular/occurrences.py). `first_day` is the
    day number (date.toordinal()) of the first occurrence, so that SQL finds a fortnightly slot's
    dates by arithmetic on whole numbers on SQLite and PostgreSQL alike.
    """

    __tablename__ = "regular_sessions"
    __table_args__ = (
        CheckConstraint("frequency IN ('weekly', 'fortnightly')", name="frequency_known"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint(f"session_type IN ({_types_sql})", name="session_type_known"),
        CheckConstraint(
            f"duration_minutes BETWEEN {MIN_DURATION_MINUTES} AND {MAX_DURATION_MINUTES}", name="duration_range"
        ),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        # The occurrence queries ask for slots running in a window of days.
        Index("ix_regular_sessions_starts_on_ends_on", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    frequency: Mapped[str] = mapped_column(String(12), default="weekly")
    weekday: Mapped[int]  # 0 = Monday ... 6 = Sunday, as date.weekday()
    start_time: Mapped[time]
    session_type: Mapped[str] = mapped_column(String(20), default="drop-in")
    duration_minutes: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    first_day: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue] = relationship()
    champions: Mapped[list[User]] = relationship(secondary=regular_session_champions, order_by=User.name)


class ReminderSend(db.Model):
    """One champion's reminder for one week (its Monday): claimed before sending, so it goes once."""

    __tablename__ = "reminder_sends"
    __table_args__ = (UniqueConstraint("user_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(index=True)
    occurrences: Mapped[int] = mapped_column(default=0)
    drafts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class ReminderOptOut(db.Model):
    """A champion who turned the weekly reminders off on their account page."""

    __tablename__ = "reminder_opt_outs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
