"""Finding the learners an attendance file names, in a few queries however long the file."""

from sqlalchemy import select

from inclusion.extensions import db
from inclusion.learners.models import Learner

CHUNK = 500


def learner_ids_by_reference(references: list[str]) -> dict[str, int]:
    """Reference -> learner id, following merges so a merged duplicate's rows go to the kept learner."""
    wanted = sorted({reference for reference in references if reference})
    found: dict[str, tuple[int, int | None]] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(Learner.reference, Learner.id, Learner.merged_into_id).where(
            Learner.reference.in_(wanted[start : start + CHUNK])
        )
        found.update({reference: (learner_id, merged) for reference, learner_id, merged in db.session.execute(query)})
    merged_into = {learner_id: merged for learner_id, merged in found.values() if merged}
    pending = set(merged_into.values())
    while pending:
        rows = db.session.execute(select(Learner.id, Learner.merged_into_id).where(Learner.id.in_(pending))).all()
        pending = set()
        for learner_id, merged in rows:
            if merged and learner_id not in merged_into:
                merged_into[learner_id] = merged
                pending.add(merged)

    def final(learner_id: int) -> int:
        hops = 0
        while learner_id in merged_into and hops < 50:
            learner_id, hops = merged_into[learner_id], hops + 1
        return learner_id

    return {reference: final(learner_id) for reference, (learner_id, _) in found.items()}
