"""Merging a duplicate learner into the record kept (other packages' rows through their owners), and undoing it."""

from sqlalchemy import select, update

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.learner_data import learner_data_owners
from inclusion.learners.models import Learner

MERGE_ACTION = "learner_merged"
UNDO_ACTION = "learner_merge_undone"
# What merge entries held before owners recorded their own part (see owner_records).
LEGACY_SESSIONS_KEYS = (
    "moved_attendance_ids",
    "removed_attendance_session_ids",
    "moved_achievement_ids",
    "removed_achievements",
)


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
    """Move the duplicate's rows in every owner's tables to the learner kept, and mark it merged.

    Each registered owner (learner_data.py) moves its own rows and returns what it did; the audit
    entry holds those records under `owners`, which is what undo reverses.
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
        records = {owner.name: owner.merge(keep_id, duplicate_id) for owner in learner_data_owners()}
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
                "repointed_learner_ids": repointed,
                "owners": records,
            },
        )


def owner_records(details: dict) -> dict[str, dict]:
    """Each owner's record of a merge, by owner name, from the merge's audit entry.

    Entries written before owners existed hold the sessions package's lists at the top level.
    """
    if "owners" in details:
        return details["owners"]
    return {"sessions": {key: details[key] for key in LEGACY_SESSIONS_KEYS}}


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
        owners = learner_data_owners()
        records = owner_records(details)
        if unknown := sorted(name for name in records if owners.get(name) is None):
            raise MergeError(f"The merge moved records this installation no longer holds ({', '.join(unknown)})")
        # An owner registered after the merge had no rows to move, so has nothing to put back.
        for owner in owners:
            if owner.name in records:
                owner.undo_merge(keep_id, duplicate_id, records[owner.name])
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
