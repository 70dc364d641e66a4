"""Merging a duplicate learner into the record kept, and undoing a merge from its audit entry."""

from sqlalchemy import delete, insert, select, update

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement

MERGE_ACTION = "learner_merged"
UNDO_ACTION = "learner_merge_undone"


class MergeError(ValueError):
    """A merge or undo that cannot be done, with a message fit to show the user."""


def lock_learners(*learner_ids: int) -> None:
    """Hold both records until commit, in id order (PostgreSQL; SQLite has one writer anyway).

    An attendance being added for either waits for the merge (or the merge for it), so the
    database triggers give it the learner key of the record it counts as (migration 3f6a9c2d7b15).
    """
    ids = sorted(learner_ids)
    db.session.execute(select(Learner.id).where(Learner.id.in_(ids)).order_by(Learner.id).with_for_update())


def merge_learners(keep_id: int, duplicate_id: int, *, acting_user_id: int | None) -> AuditEvent:
    """Move the duplicate's attendance and skills to the learner kept, and mark it merged.

    An attendance at a session the kept learner also attended, and an achievement the kept
    learner also has (same skill, same session), are removed rather than moved; the audit
    entry lists exactly what was moved, removed and re-pointed, which is what undo reverses.
    """
    if keep_id == duplicate_id:
        raise MergeError("Choose two different learners")
    with write_transaction():
        lock_learners(keep_id, duplicate_id)
        keep, duplicate = db.session.get(Learner, keep_id), db.session.get(Learner, duplicate_id)
        if keep is None or duplicate is None:
            raise MergeError("One of those learners no longer exists")
        if keep.merged_into_id or duplicate.merged_into_id:
            raise MergeError("One of those learners has already been merged into another record")
        kept_sessions = set(db.session.scalars(select(Attendance.session_id).where(Attendance.learner_id == keep_id)))
        moved_attendances, removed_attendances = [], []
        for attendance_id, session_id in db.session.execute(
            select(Attendance.id, Attendance.session_id).where(Attendance.learner_id == duplicate_id)
        ):
            if session_id in kept_sessions:
                removed_attendances.append(session_id)
            else:
                moved_attendances.append(attendance_id)
        kept_skills = set(
            db.session.execute(
                select(SkillAchievement.skill_id, SkillAchievement.session_id).where(
                    SkillAchievement.learner_id == keep_id
                )
            ).all()
        )
        moved_skills, removed_skills = [], []
        for achievement_id, skill_id, session_id in db.session.execute(
            select(SkillAchievement.id, SkillAchievement.skill_id, SkillAchievement.session_id).where(
                SkillAchievement.learner_id == duplicate_id
            )
        ):
            if (skill_id, session_id) in kept_skills:
                removed_skills.append([skill_id, session_id])
            else:
                moved_skills.append(achievement_id)
        db.session.execute(
            delete(Attendance).where(
                Attendance.learner_id == duplicate_id, Attendance.session_id.in_(removed_attendances)
            )
        )
        db.session.execute(update(Attendance).where(Attendance.id.in_(moved_attendances)).values(learner_id=keep_id))
        for skill_id, session_id in removed_skills:
            db.session.execute(
                delete(SkillAchievement).where(
                    SkillAchievement.learner_id == duplicate_id,
                    SkillAchievement.skill_id == skill_id,
                    SkillAchievement.session_id == session_id,
                )
            )
        db.session.execute(
            update(SkillAchievement).where(SkillAchievement.id.in_(moved_skills)).values(learner_id=keep_id)
        )
        # Records merged into the duplicate earlier now point at the learner kept (no chains).
        repointed = list(db.session.scalars(select(Learner.id).where(Learner.merged_into_id == duplicate_id)))
        db.session.execute(update(Learner).where(Learner.id.in_(repointed)).values(merged_into_id=keep_id))
        duplicate.merged_into_id = keep_id
        return record_event(
            MERGE_ACTION,
            user_id=acting_user_id,
            record_type="learner",
            record_id=duplicate_id,
            before={"merged_into_id": None},
            after={"merged_into_id": keep_id},
            details={
                "kept_learner_id": keep_id,
                "kept_reference": keep.reference,
                "merged_reference": duplicate.reference,
                "moved_attendance_ids": moved_attendances,
                "removed_attendance_session_ids": removed_attendances,
                "moved_achievement_ids": moved_skills,
                "removed_achievements": removed_skills,
                "repointed_learner_ids": repointed,
            },
        )


def merge_undone(event_id: int) -> bool:
    return (
        db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == UNDO_ACTION, AuditEvent.record_id == str(event_id))
        )
        is not None
    )


def undo_merge(event_id: int, *, acting_user_id: int | None) -> Learner:
    """Put back what a merge moved and removed, and make the duplicate a learner of its own again."""
    with write_transaction():
        event = db.session.get(AuditEvent, event_id)
        if event is None or event.action != MERGE_ACTION:
            raise MergeError("That audit entry is not a merge")
        if merge_undone(event_id):
            raise MergeError("That merge has already been undone")
        details = event.details
        duplicate_id, keep_id = int(event.record_id), details["kept_learner_id"]
        lock_learners(keep_id, duplicate_id)
        duplicate = db.session.get(Learner, duplicate_id)
        if duplicate is None or duplicate.merged_into_id != keep_id:
            raise MergeError("The records have changed since the merge, so it cannot be undone automatically")
        db.session.execute(
            update(Attendance)
            .where(Attendance.id.in_(details["moved_attendance_ids"]), Attendance.learner_id == keep_id)
            .values(learner_id=duplicate_id)
        )
        db.session.execute(
            update(SkillAchievement)
            .where(
                SkillAchievement.id.in_(details["moved_achievement_ids"]),
                SkillAchievement.learner_id == keep_id,
            )
            .values(learner_id=duplicate_id)
        )
        sessions_left = set(
            db.session.scalars(
                select(LearningSession.id).where(
                    LearningSession.id.in_(
                        details["removed_attendance_session_ids"]
                        + [session for _, session in details["removed_achievements"]]
                    )
                )
            )
        )
        restore = [
            {"session_id": s, "learner_id": duplicate_id}
            for s in details["removed_attendance_session_ids"]
            if s in sessions_left
        ]
        if restore:
            db.session.execute(insert(Attendance), restore)
        restore = [
            {"skill_id": skill, "session_id": s, "learner_id": duplicate_id}
            for skill, s in details["removed_achievements"]
            if s in sessions_left
        ]
        if restore:
            db.session.execute(insert(SkillAchievement), restore)
        db.session.execute(
            update(Learner)
            .where(Learner.id.in_(details["repointed_learner_ids"]), Learner.merged_into_id == keep_id)
            .values(merged_into_id=duplicate_id)
        )
        duplicate.merged_into_id = None
        # The pair comes back to the duplicate queue: it may have been merged the wrong way round.
        record_event(
            UNDO_ACTION,
            user_id=acting_user_id,
            record_type="audit_event",
            record_id=event_id,
            details={"learner_id": duplicate_id, "kept_learner_id": keep_id},
        )
        return duplicate


def undone_merges(event_ids: list[int]) -> set[int]:
    """Which of these merge entries have been undone."""
    if not event_ids:
        return set()
    return {
        int(record_id)
        for record_id in db.session.scalars(
            select(AuditEvent.record_id).where(
                AuditEvent.action == UNDO_ACTION, AuditEvent.record_id.in_([str(i) for i in event_ids])
            )
        )
    }


def recent_merges(limit: int = 20) -> list[tuple[AuditEvent, bool]]:
    """The latest merges, each with whether it has been undone."""
    events = list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == MERGE_ACTION).order_by(AuditEvent.id.desc()).limit(limit)
        )
    )
    undone = undone_merges([event.id for event in events])
    return [(event, event.id in undone) for event in events]
