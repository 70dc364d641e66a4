"""The follow-up block of the learner page: when it is due, the tries so far, what they said."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from inclusion.extensions import db
from inclusion.followups.models import FollowUp
from inclusion.followups.queue import due_on
from inclusion.followups.services import OUTCOME_WORDS, why_not_recordable


@dataclass
class FollowUpProgress:
    reference: str
    may_contact: bool
    due_on: date | None
    follow_ups: list[FollowUp]
    blocked: str | None  # why no follow-up may be recorded now; None: one may

    @property
    def summary(self) -> str:
        done = [row for row in self.follow_ups if row.closes]
        if done:
            return f"{OUTCOME_WORDS[done[0].outcome].capitalize()} on {done[0].followed_up_on:%-d %B %Y}"
        if not self.may_contact:
            return "Asked not to be contacted"
        if self.due_on is None:
            return "Due 3 months after their first session"
        tries = len(self.follow_ups)
        return f"Due {self.due_on:%-d %B %Y}" + (f", {tries} not reached" if tries else "")


def follow_up_progress(learner) -> FollowUpProgress:
    """One query for the learner's follow-ups (first_attended_on is read with the learner)."""
    rows = list(
        db.session.scalars(
            select(FollowUp).where(FollowUp.learner_id == learner.id).order_by(FollowUp.followed_up_on, FollowUp.id)
        )
    )
    return FollowUpProgress(
        learner.reference, learner.may_contact, due_on(learner.first_attended_on), rows, why_not_recordable(learner)
    )
