"""The confidence block of the learner page: the checks, and the change per question since the baseline."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from inclusion.extensions import db
from inclusion.outcomes.models import ANSWER_COLUMNS, ConfidenceCheck


@dataclass
class QuestionChange:
    question: str
    baseline: int | None
    latest: int | None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline


@dataclass
class ConfidenceProgress:
    reference: str  # the learner's
    checks: list[ConfidenceCheck]
    baseline: ConfidenceCheck | None = None
    latest: ConfidenceCheck | None = None  # the latest check after the baseline
    changes: list[QuestionChange] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not self.checks:
            return "None yet"
        if self.baseline is None:
            return f"{len(self.checks)}, no baseline"
        return f"{len(self.checks)}, with a baseline"


def confidence_progress(learner_id: int, reference: str) -> ConfidenceProgress:
    """One query: the learner's checks with their question sets, oldest first."""
    checks = list(
        db.session.scalars(
            select(ConfidenceCheck)
            .options(joinedload(ConfidenceCheck.question_set), joinedload(ConfidenceCheck.venue))
            .where(ConfidenceCheck.learner_id == learner_id)
            .order_by(ConfidenceCheck.checked_on, ConfidenceCheck.id)
        )
    )
    progress = ConfidenceProgress(reference, checks)
    progress.baseline = next((check for check in checks if check.stage == "baseline"), None)
    later = [check for check in checks if check.stage != "baseline"]
    if progress.baseline is not None and later:
        progress.latest = later[-1]
        wording = progress.latest.question_set
        progress.changes = [
            QuestionChange(
                wording.question(column), getattr(progress.baseline, column), getattr(progress.latest, column)
            )
            for column in ANSWER_COLUMNS
        ]
    return progress
