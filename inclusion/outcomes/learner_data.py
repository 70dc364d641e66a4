"""Confidence checks as learner data: merge and undo, subject access, retention, the learner page."""

from typing import Any

from sqlalchemy import select, update

from inclusion.extensions import db
from inclusion.learners.learner_data import ExportTable, LearnerDataOwner, LearnerPanel
from inclusion.outcomes.learner_page import confidence_progress
from inclusion.outcomes.models import ANSWER_COLUMNS, ConfidenceCheck, ConfidenceQuestionSet
from inclusion.partners.models import Venue

CHECK_COLUMNS = ("record", "stage", "checked_on", "venue", "question_set", "question_set_version", *ANSWER_COLUMNS)


class ConfidenceChecks(LearnerDataOwner):
    """The outcomes package's rows about a learner. The answers are not personal details on their own:
    anonymisation keeps them, tied to the anonymised learner with no identity (`anonymise` is the default)."""

    name = "confidence"
    tables = ("confidence_checks",)

    def merge(self, keep_id: int, duplicate_id: int) -> dict[str, Any]:
        """Move the duplicate's checks. Both having a baseline: the earlier stays the baseline and the
        other becomes an exit check (a learner has one baseline); the record says which, for undo."""
        baselines = db.session.execute(
            select(ConfidenceCheck.id)
            .where(ConfidenceCheck.learner_id.in_((keep_id, duplicate_id)), ConfidenceCheck.stage == "baseline")
            .order_by(ConfidenceCheck.checked_on, ConfidenceCheck.id)
        ).scalars()
        baselines = list(baselines)
        restaged = baselines[1:]  # at most one: each learner has at most one baseline
        if restaged:
            db.session.execute(update(ConfidenceCheck).where(ConfidenceCheck.id.in_(restaged)).values(stage="exit"))
        moved = list(db.session.scalars(select(ConfidenceCheck.id).where(ConfidenceCheck.learner_id == duplicate_id)))
        db.session.execute(update(ConfidenceCheck).where(ConfidenceCheck.id.in_(moved)).values(learner_id=keep_id))
        return {"moved_check_ids": moved, "restaged_baseline_ids": restaged}

    def undo_merge(self, keep_id: int, duplicate_id: int, record: dict[str, Any]) -> None:
        moved = record.get("moved_check_ids", [])
        db.session.execute(
            update(ConfidenceCheck)
            .where(ConfidenceCheck.id.in_(moved), ConfidenceCheck.learner_id == keep_id)
            .values(learner_id=duplicate_id)
        )
        restaged = record.get("restaged_baseline_ids", [])
        db.session.execute(update(ConfidenceCheck).where(ConfidenceCheck.id.in_(restaged)).values(stage="baseline"))

    def export(self, learner_ids: list[int], references: dict[int, str]) -> list[ExportTable]:
        answers = [getattr(ConfidenceCheck, column) for column in ANSWER_COLUMNS]
        result = db.session.execute(
            select(
                ConfidenceCheck.learner_id,
                ConfidenceCheck.stage,
                ConfidenceCheck.checked_on,
                Venue.name,
                ConfidenceQuestionSet.name,
                ConfidenceQuestionSet.version,
                *answers,
            )
            .join(Venue, Venue.id == ConfidenceCheck.venue_id)
            .join(ConfidenceQuestionSet, ConfidenceQuestionSet.id == ConfidenceCheck.question_set_id)
            .where(ConfidenceCheck.learner_id.in_(learner_ids))
            .order_by(ConfidenceCheck.checked_on, ConfidenceCheck.id)
        )
        rows = [
            dict(
                zip(
                    CHECK_COLUMNS,
                    (references[learner_id], *(v.isoformat() if hasattr(v, "isoformat") else v for v in values)),
                    strict=True,
                )
            )
            for learner_id, *values in result
        ]
        description = "their confidence checks: each answer from 1 (not at all confident) to 5 (very), blank if skipped"
        return [ExportTable("confidence_checks", "confidence_checks.csv", description, CHECK_COLUMNS, rows)]

    def last_activity(self):
        """A check is contact with the learner: the retention limit runs from the latest."""
        return select(ConfidenceCheck.learner_id.label("learner_id"), ConfidenceCheck.checked_on.label("day"))

    def panel(self, learner) -> LearnerPanel:
        progress = confidence_progress(learner.id, learner.reference)
        return LearnerPanel("outcomes/_learner_panel.html", progress, [("Confidence checks", progress.summary)])
