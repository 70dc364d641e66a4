"""Read-only queries on attendances and skills that learners/ needs: visibility, last visits, evidence.

The one module of sessions/ that learners/ imports (tests/learners/test_learner_data_contract.py):
it imports nothing from learners/ but the Learner model, so the packages have no import cycle.
"""

from sqlalchemy import ColumnElement, func, select

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement


def attended_partner_venue(partner_id: int, learner_id_column=Learner.id) -> ColumnElement[bool]:
    """EXISTS: the learner attended a session at one of the partner's venues."""
    return (
        select(Attendance.id)
        .join(LearningSession, Attendance.session_id == LearningSession.id)
        .join(Venue, LearningSession.venue_id == Venue.id)
        .where(Attendance.learner_id == learner_id_column, Venue.partner_id == partner_id)
        .exists()
    )


def partner_visits(partner_id: int):
    """Each learner's latest session date at the partner's venues: aggregated once, then joined.

    A champion's list is both filtered (registered with the partner, or attended) and ordered
    (recent visitors first) by this; one hash aggregate is far cheaper than a correlated
    subquery per learner when a partner has tens of thousands of learners.
    """
    return (
        select(
            Attendance.learner_id.label("learner_id"),
            func.max(LearningSession.session_date).label("last_visit"),
        )
        .join(LearningSession, Attendance.session_id == LearningSession.id)
        .join(Venue, LearningSession.venue_id == Venue.id)
        .where(Venue.partner_id == partner_id)
        .group_by(Attendance.learner_id)
        .subquery("partner_visits")
    )


def last_visit_at_partner(partner_id: int):
    """Correlated: one learner's latest session date at the partner's venues (index on learner_id)."""
    return (
        select(func.max(LearningSession.session_date))
        .join(Attendance, Attendance.session_id == LearningSession.id)
        .join(Venue, LearningSession.venue_id == Venue.id)
        .where(Attendance.learner_id == Learner.id, Venue.partner_id == partner_id)
        .scalar_subquery()
    )


def last_visit_anywhere():
    """Correlated, but only evaluated for the page's rows (the list is ordered by something else)."""
    return (
        select(func.max(LearningSession.session_date))
        .join(Attendance, Attendance.session_id == LearningSession.id)
        .where(Attendance.learner_id == Learner.id)
        .scalar_subquery()
    )


def learner_evidence(learner_ids: list[int]) -> dict[int, dict]:
    """Attendance count, first and last session dates and skills count per learner, in three queries."""
    evidence = {
        learner_id: {"attendances": 0, "first_seen": None, "last_seen": None, "skills": 0} for learner_id in learner_ids
    }
    if not learner_ids:
        return evidence
    rows = db.session.execute(
        select(
            Attendance.learner_id,
            func.count(),
            func.min(LearningSession.session_date),
            func.max(LearningSession.session_date),
        )
        .join(LearningSession, LearningSession.id == Attendance.session_id)
        .where(Attendance.learner_id.in_(learner_ids))
        .group_by(Attendance.learner_id)
    )
    for learner_id, count, first, last in rows:
        evidence[learner_id].update(attendances=count, first_seen=first, last_seen=last)
    rows = db.session.execute(
        select(SkillAchievement.learner_id, func.count(func.distinct(SkillAchievement.skill_id)))
        .where(SkillAchievement.learner_id.in_(learner_ids))
        .group_by(SkillAchievement.learner_id)
    )
    for learner_id, count in rows:
        evidence[learner_id]["skills"] = count
    return evidence
