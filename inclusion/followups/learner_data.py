"""Follow-ups as learner data: merge and undo, subject access, retention, the learner page."""

from typing import Any

from sqlalchemy import select, update

from inclusion.extensions import db
from inclusion.followups.learner_page import follow_up_progress
from inclusion.followups.models import ANSWER_COLUMNS, CLOSING_OUTCOMES, FollowUp
from inclusion.learners.learner_data import ExportTable, LearnerDataOwner, LearnerPanel
from inclusion.learners.models import Learner

FOLLOW_UP_COLUMNS = ("record", "followed_up_on", "outcome", *ANSWER_COLUMNS)


class FollowUps(LearnerDataOwner):
    """The followups package's rows about a learner, and the learner's "do not contact me".

    The answers are yes/no about the learner's progress, no personal detail on their own: anonymisation
    keeps them (they count in the figures), tied to the anonymised learner (`anonymise` is the default).
    """

    name = "follow_ups"
    tables = ("follow_ups",)

    def merge(self, keep_id: int, duplicate_id: int) -> dict[str, Any]:
        """Move the duplicate's follow-ups; a "do not contact me" on either record holds for the one kept."""
        moved = list(db.session.scalars(select(FollowUp.id).where(FollowUp.learner_id == duplicate_id)))
        db.session.execute(update(FollowUp).where(FollowUp.id.in_(moved)).values(learner_id=keep_id))
        keep, duplicate = db.session.get(Learner, keep_id), db.session.get(Learner, duplicate_id)
        cleared = bool(keep.may_contact and not duplicate.may_contact)
        if cleared:
            keep.may_contact = False
        return {"moved_follow_up_ids": moved, "kept_may_contact_cleared": cleared}

    def undo_merge(self, keep_id: int, duplicate_id: int, record: dict[str, Any]) -> None:
        moved = record.get("moved_follow_up_ids", [])
        db.session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(moved), FollowUp.learner_id == keep_id)
            .values(learner_id=duplicate_id)
        )
        if record.get("kept_may_contact_cleared"):
            db.session.get(Learner, keep_id).may_contact = True

    def export(self, learner_ids: list[int], references: dict[int, str]) -> list[ExportTable]:
        result = db.session.execute(
            select(
                FollowUp.learner_id,
                FollowUp.followed_up_on,
                FollowUp.outcome,
                *(getattr(FollowUp, column) for column in ANSWER_COLUMNS),
            )
            .where(FollowUp.learner_id.in_(learner_ids))
            .order_by(FollowUp.followed_up_on, FollowUp.id)
        )
        rows = [
            dict(zip(FOLLOW_UP_COLUMNS, (references[learner_id], day.isoformat(), *values), strict=True))
            for learner_id, day, *values in result
        ]
        description = "the follow-ups some months after their first session: reached or not, and their yes/no answers"
        return [ExportTable("follow_ups", "follow_ups.csv", description, FOLLOW_UP_COLUMNS, rows)]

    def last_activity(self):
        """A follow-up that reached the learner (or that they declined) is contact: an unanswered call is not."""
        return select(FollowUp.learner_id.label("learner_id"), FollowUp.followed_up_on.label("day")).where(
            FollowUp.outcome.in_(CLOSING_OUTCOMES)
        )

    def panel(self, learner) -> LearnerPanel:
        progress = follow_up_progress(learner)
        return LearnerPanel("followups/_learner_panel.html", progress, [("Follow-up", progress.summary)])
