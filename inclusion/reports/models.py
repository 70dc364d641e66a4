"""Milestones the alliance works toward and the monthly reports sent to funders."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.timeutil import utcnow


class Milestone(db.Model):
    __tablename__ = "milestones"
    __table_args__ = (CheckConstraint("target > 0", name="target_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    target: Mapped[int]
    start_date: Mapped[date]
    is_current: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportRun(db.Model):
    """A monthly funder report as generated: the exact bytes, so what was sent can be shown again."""

    __tablename__ = "report_runs"
    __table_args__ = (
        CheckConstraint("length(month) = 7", name="month_format"),
        Index("ix_report_runs_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    recipients: Mapped[str | None] = mapped_column(Text)  # comma separated; empty when only archived
    sent_at: Mapped[datetime | None]
    # The funder CSV version of `content` (inclusion/reports/versions.py); runs made before version 2 were 1.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    created_by: Mapped[User | None] = relationship()


class DataVersion(db.Model):
    """Rows of which one changes in the same transaction as every write the figures depend on.

    Row 1 always exists; on PostgreSQL a writer that finds every row held by another transaction
    adds one (keyed by its backend pid), so concurrent writers never wait for each other here;
    the figure cache's version is all the rows' values (inclusion/reports/triggers.py).

    Database triggers set one to a new random number on any insert, update or delete of a table the
    figures read (inclusion/reports/figure_tables.py: learners, sessions, attendances, skill
    achievements, skills, venues and partners today), however the write is made (ORM, Core, bulk
    import, psql), so a figure cached under one version is never served once the data behind it
    has changed (inclusion/reports/cache.py, docs/report-keys.md).
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class DataVersionMonth(db.Model):
    """How far back the writes reached: a version per (data_version row, first of a month).

    Each write to a table the figures read sets a new random version on the row of the writer's
    data_version row and of the month its rows are dated from (the earliest day it can change
    figures of, inclusion/reports/reach.py; 0001-01-01 when it may change any). A figure of a
    period is kept while no row of a month up to the period's end changes (inclusion/reports/cache.py).
    """

    __tablename__ = "data_version_months"

    slot: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[date] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
