"""Recording a follow-up: the rules, checked before anything is written, and the audit entry."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import undefer

from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.followups.models import ANSWER_COLUMNS, CLOSING_OUTCOMES, OUTCOMES, FollowUp
from inclusion.learners.merging import lock_learners
from inclusion.learners.models import Learner
from inclusion.learners.services import get_learner
from inclusion.timeutil import today_in_london

OUTCOME_WORDS = {"reached": "reached", "not-reached": "not reached", "declined": "declined"}


class FollowUpError(ValueError):
    """A follow-up that cannot be recorded as given; `field` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FollowUpDetails:
    outcome: str
    followed_up_on: date
    answers: dict[str, bool | None]  # every one of ANSWER_COLUMNS; None: not answered


def closing_follow_up(learner_id: int) -> FollowUp | None:
    """The learner's reached or declined follow-up, if they have one (their follow-up is then done)."""
    stmt = select(FollowUp).where(FollowUp.learner_id == learner_id, FollowUp.outcome.in_(CLOSING_OUTCOMES))
    return db.session.scalars(stmt.order_by(FollowUp.followed_up_on, FollowUp.id).limit(1)).first()


def why_not_recordable(learner: Learner) -> str | None:
    """Why no follow-up may be recorded for this learner now, in words for the page; None if one may."""
    if learner.anonymised_at is not None:
        return "This learner's record has been anonymised, so they cannot be followed up."
    if not learner.may_contact:
        return f"{learner.full_name} asked not to be contacted, so they are never followed up."
    if learner.first_attended_on is None:
        return f"{learner.full_name} has not attended a session yet: a follow-up comes after their first session."
    done = closing_follow_up(learner.id)
    if done is not None:
        return (
            f"{learner.full_name}'s follow-up was recorded as {OUTCOME_WORDS[done.outcome]} "
            f"on {done.followed_up_on:%-d %B %Y}: nothing more is needed."
        )
    return None


def counted_learner(user: User, reference: str) -> Learner:
    """The learner the user may see with this reference (a merged duplicate leads to the record kept)."""
    learner = get_learner(user, reference)
    if learner.merged_into_id is not None:
        learner = db.session.get(Learner, learner.merged_into_id)
    return db.session.scalars(
        select(Learner).options(undefer(Learner.first_attended_on)).where(Learner.id == learner.id)
    ).one()


def _validate(learner: Learner, details: FollowUpDetails) -> dict[str, bool | None]:
    if details.outcome not in OUTCOMES:
        raise FollowUpError("Choose whether you reached them, did not reach them, or they declined", "outcome")
    if details.followed_up_on > today_in_london():
        raise FollowUpError("The date of the follow-up cannot be in the future", "followed_up_on")
    if (problem := why_not_recordable(learner)) is not None:
        raise FollowUpError(problem, "outcome")
    if details.followed_up_on < learner.first_attended_on:
        raise FollowUpError(
            f"The follow-up cannot be before their first session, {learner.first_attended_on:%-d %B %Y}",
            "followed_up_on",
        )
    if details.outcome != "reached":
        return dict.fromkeys(ANSWER_COLUMNS)  # the questions are asked only of someone reached
    for column in ANSWER_COLUMNS:
        if not isinstance(details.answers.get(column), bool):
            raise FollowUpError("Answer yes or no to each question: you reached them", column)
    return {column: details.answers[column] for column in ANSWER_COLUMNS}


def record_follow_up(user: User, reference: str, details: FollowUpDetails) -> FollowUp:
    """Record a follow-up of a learner the user may see (LookupError / AccessDenied otherwise); audited.

    The learner's row is locked first, so two people working the same queue cannot both close it.
    """
    learner = counted_learner(user, reference)
    with write_transaction():
        lock_learners(learner.id)
        db.session.refresh(learner, ["may_contact", "anonymised_at", "first_attended_on"])
        answers = _validate(learner, details)
        follow_up = FollowUp(
            learner_id=learner.id,
            followed_up_on=details.followed_up_on,
            outcome=details.outcome,
            recorded_by_id=user.id,
            **answers,
        )
        db.session.add(follow_up)
        db.session.flush()
        record_event(
            "follow_up_recorded",
            user_id=user.id,
            record_type="learner",
            record_id=learner.id,
            details={"follow_up_id": follow_up.id, "outcome": follow_up.outcome},
        )
    return follow_up
