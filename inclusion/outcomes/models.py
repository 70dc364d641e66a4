"""Confidence checks: a learner's 1–5 answers at one stage, against a versioned question set."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inclusion.extensions import db
from inclusion.sessions.constants import SKILL_AREAS
from inclusion.timeutil import utcnow

STAGES = ("baseline", "exit", "follow-up")
LATER_STAGES = ("exit", "follow-up")
LOWEST, HIGHEST = 1, 5
# The answer columns: overall confidence, then one per skill area (fnd, com, ...).
AREA_COLUMNS = {code: code.lower() for code in SKILL_AREAS}
ANSWER_COLUMNS = ("overall", *AREA_COLUMNS.values())


def _in_range(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IS NULL OR {column} BETWEEN {LOWEST} AND {HIGHEST}", name=f"{column}_1_to_5")


class ConfidenceQuestionSet(db.Model):
    """The wording of the questions. Revising it adds a version: past answers keep the wording they had."""

    __tablename__ = "confidence_question_sets"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    version: Mapped[int]
    overall: Mapped[str] = mapped_column(Text)
    fnd: Mapped[str] = mapped_column(Text)
    com: Mapped[str] = mapped_column(Text)
    hic: Mapped[str] = mapped_column(Text)
    tra: Mapped[str] = mapped_column(Text)
    prb: Mapped[str] = mapped_column(Text)
    saf: Mapped[str] = mapped_column(Text)
    is_current: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def question(self, column: str) -> str:
        return getattr(self, column)


class ConfidenceCheck(db.Model):
    __tablename__ = "confidence_checks"
    __table_args__ = (
        CheckConstraint("stage IN ('baseline', 'exit', 'follow-up')", name="stage_known"),
        *(_in_range(column) for column in ANSWER_COLUMNS),
        # At most one baseline per learner, kept by the database whatever writes the row.
        Index(
            "uq_confidence_checks_one_baseline",
            "learner_id",
            unique=True,
            sqlite_where=text("stage = 'baseline'"),
            postgresql_where=text("stage = 'baseline'"),
        ),
        Index("ix_confidence_checks_learner_id", "learner_id"),
        Index("ix_confidence_checks_checked_on", "checked_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    stage: Mapped[str] = mapped_column(String(10))
    checked_on: Mapped[date]
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    question_set_id: Mapped[int] = mapped_column(ForeignKey("confidence_question_sets.id"))
    overall: Mapped[int | None]
    fnd: Mapped[int | None]
    com: Mapped[int | None]
    hic: Mapped[int | None]
    tra: Mapped[int | None]
    prb: Mapped[int | None]
    saf: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question_set: Mapped[ConfidenceQuestionSet] = relationship()
    venue = relationship("Venue")

    def answers(self) -> dict[str, int | None]:
        return {column: getattr(self, column) for column in ANSWER_COLUMNS}
