"""One lock order for every writer of attendances and achievements (PostgreSQL).

The report-key triggers lock the learners each statement counts for, in id order within that
statement. A write is often several statements (a session's save deletes achievements and
attendances, then adds them; an import adds them a chunk at a time), each locking its own
subset: two writers with learners in common could then each hold one the other waits for (a
deadlock, found as a 500 by the full-scale load test). A writer that takes them all first, in
id order, in one statement, leaves the triggers nothing to wait for.
"""

from collections.abc import Iterable

from sqlalchemy import func, select, union

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance


def lock_counted_learners(learner_ids: Iterable[int], session_ids: Iterable[int] = ()) -> None:
    """Lock the records `learner_ids` count as, and those of the sessions' current attendees, in id order.

    SQLite lets one transaction write at a time, so there it does nothing (and an import's tens
    of thousands of ids would pass its limit of bound variables).
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    learner_ids, session_ids = list(learner_ids), list(session_ids)
    counted = select(func.coalesce(Learner.merged_into_id, Learner.id)).where(Learner.id.in_(learner_ids))
    if session_ids:
        counted = union(counted, select(Attendance.learner_key).where(Attendance.session_id.in_(session_ids)))
    db.session.execute(
        select(Learner.id).where(Learner.id.in_(counted)).order_by(Learner.id).with_for_update(key_share=True)
    )
