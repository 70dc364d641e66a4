"""Recording confidence checks and revising the question set: the rules, checked before anything is written."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.access import venue_visible
from inclusion.learners.models import Learner
from inclusion.learners.services import get_learner
from inclusion.outcomes.models import ANSWER_COLUMNS, HIGHEST, LOWEST, STAGES, ConfidenceCheck, ConfidenceQuestionSet
from inclusion.outcomes.questions import QUESTION_SET_NAME
from inclusion.partners.models import Venue
from inclusion.timeutil import today_in_london


class CheckError(ValueError):
    """A confidence check that cannot be recorded as given; `field` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CheckDetails:
    stage: str
    checked_on: date
    venue_id: int
    answers: dict[str, int | None]  # every one of ANSWER_COLUMNS; None: skipped


def current_question_set() -> ConfidenceQuestionSet:
    stmt = select(ConfidenceQuestionSet).where(ConfidenceQuestionSet.is_current.is_(True))
    return db.session.scalars(stmt.order_by(ConfidenceQuestionSet.version.desc()).limit(1)).one()


def has_baseline(learner_id: int) -> bool:
    stmt = select(exists().where(ConfidenceCheck.learner_id == learner_id, ConfidenceCheck.stage == "baseline"))
    return bool(db.session.scalar(stmt))


def _validate(user: User, learner: Learner, details: CheckDetails) -> None:
    if details.stage not in STAGES:
        raise CheckError("Choose when this check is: baseline, exit or follow-up", "stage")
    for column in ANSWER_COLUMNS:
        value = details.answers.get(column)
        if value is not None and not (isinstance(value, int) and LOWEST <= value <= HIGHEST):
            raise CheckError(f"Each answer must be from {LOWEST} to {HIGHEST}, or skipped", column)
    if details.checked_on > today_in_london():
        raise CheckError("The date of the check cannot be in the future", "checked_on")
    venue = db.session.scalar(select(Venue).where(Venue.id == details.venue_id, venue_visible(user)))
    if venue is None:
        raise CheckError("Choose a venue you work at", "venue_id")
    if details.stage == "baseline" and has_baseline(learner.id):
        raise CheckError(f"{learner.reference} already has a baseline check: record an exit or follow-up", "stage")


def record_check(user: User, reference: str, details: CheckDetails) -> ConfidenceCheck:
    """Record one check for a learner the user may see (LookupError / AccessDenied otherwise); audited."""
    learner = get_learner(user, reference)
    if learner.merged_into_id is not None:
        learner = db.session.get(Learner, learner.merged_into_id)
    _validate(user, learner, details)
    try:
        with write_transaction():
            check = ConfidenceCheck(
                learner_id=learner.id,
                stage=details.stage,
                checked_on=details.checked_on,
                venue_id=details.venue_id,
                recorded_by_id=user.id,
                question_set_id=current_question_set().id,
                **{column: details.answers.get(column) for column in ANSWER_COLUMNS},
            )
            db.session.add(check)
            db.session.flush()
            record_event(
                "confidence_check_recorded",
                user_id=user.id,
                record_type="learner",
                record_id=learner.id,
                details={"check_id": check.id, "stage": check.stage},
            )
    except IntegrityError as error:  # a baseline recorded at the same moment by someone else
        raise CheckError(f"{learner.reference} already has a baseline check", "stage") from error
    return check


def revise_question_set(user: User, questions: dict[str, str]) -> ConfidenceQuestionSet:
    """A new version of the question set becomes current; past checks keep the version they were asked."""
    if missing := [column for column in ANSWER_COLUMNS if not (questions.get(column) or "").strip()]:
        raise CheckError("Every question needs its wording", missing[0])
    with write_transaction():
        newest = db.session.scalar(
            select(func.max(ConfidenceQuestionSet.version)).where(ConfidenceQuestionSet.name == QUESTION_SET_NAME)
        )
        db.session.execute(
            ConfidenceQuestionSet.__table__.update().values(is_current=False).where(ConfidenceQuestionSet.is_current)
        )
        revised = ConfidenceQuestionSet(
            name=QUESTION_SET_NAME,
            version=(newest or 0) + 1,
            is_current=True,
            created_by_id=user.id,
            **{column: questions[column].strip() for column in ANSWER_COLUMNS},
        )
        db.session.add(revised)
        db.session.flush()
        record_event(
            "confidence_questions_revised",
            user_id=user.id,
            record_type="confidence_question_set",
            record_id=revised.id,
            details={"version": revised.version},
        )
    return revised
