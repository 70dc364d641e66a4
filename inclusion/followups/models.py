"""Follow-ups: a contact with a learner some months after their first session, and what they said."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from inclusion.extensions import db
from inclusion.timeutil import utcnow

OUTCOMES = ("reached", "not-reached", "declined")
# A reached or declined follow-up closes the learner's follow-up; not-reached is one more attempt.
CLOSING_OUTCOMES = ("reached", "declined")
# The six yes/no answers of a reached follow-up (DESIGN.md, "Outcomes"), in the order the form asks them.
ANSWER_COLUMNS = (
    "still_online",
    "does_more_alone",
    "further_learning",
    "work_or_volunteering",
    "has_device",
    "has_connection",
)
_ALL_ANSWERED = " AND ".join(f"{column} IS NOT NULL" for column in ANSWER_COLUMNS)
_NONE_ANSWERED = " AND ".join(f"{column} IS NULL" for column in ANSWER_COLUMNS)


class FollowUp(db.Model):
    """One attempt to follow a learner up: reached (with the six answers), not reached, or declined."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint("outcome IN ('reached', 'not-reached', 'declined')", name="outcome_known"),
        # The answers belong to a reached follow-up, and a reached one has all six.
        CheckConstraint(
            f"(outcome = 'reached' AND {_ALL_ANSWERED}) OR (outcome <> 'reached' AND {_NONE_ANSWERED})",
            name="answers_when_reached",
        ),
        Index("ix_follow_ups_learner_id", "learner_id", "outcome"),
        Index("ix_follow_ups_followed_up_on", "followed_up_on", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    followed_up_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(12))
    still_online: Mapped[bool | None]
    does_more_alone: Mapped[bool | None]
    further_learning: Mapped[bool | None]
    work_or_volunteering: Mapped[bool | None]
    has_device: Mapped[bool | None]
    has_connection: Mapped[bool | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def closes(self) -> bool:
        return self.outcome in CLOSING_OUTCOMES
