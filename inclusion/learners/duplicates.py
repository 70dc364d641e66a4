"""Finding likely duplicate learners, and remembering pairs a coordinator said are different people."""

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased, joinedload

from inclusion.audit.services import record_event
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.models import DuplicateDismissal, Learner

# How alike two names must be (rapidfuzz token-sort ratio, 0-100) when the dates of birth match.
NAME_SIMILARITY = 80
MAX_CANDIDATE_PAIRS = 5000


class DuplicateError(ValueError):
    """A user mistake with a message fit to show them."""


@dataclass
class DuplicatePair:
    first: Learner
    second: Learner
    reason: str
    score: float


def _live(alias):
    return and_(alias.merged_into_id.is_(None), alias.anonymised_at.is_(None))


def find_duplicate_pairs(limit: int = 100) -> list[DuplicatePair]:
    """Likely pairs across the whole database, most alike first.

    The database does the blocking (same date of birth, or same name and postcode) so only
    people who share one of those are compared; names within a block are compared with rapidfuzz.
    """
    a, b = aliased(Learner), aliased(Learner)
    dismissed = exists().where(DuplicateDismissal.learner_id == a.id, DuplicateDismissal.other_learner_id == b.id)
    columns = (
        a.id,
        b.id,
        a.search_name,
        b.search_name,
        func.coalesce(a.date_of_birth == b.date_of_birth, False),
        func.coalesce(a.postcode == b.postcode, False),
    )
    # Two equi-joins (each served by an index), not one join on "A or B", which a database can
    # only answer by comparing every pair of learners.
    blocks = (
        and_(a.date_of_birth.is_not(None), b.date_of_birth == a.date_of_birth),
        and_(a.postcode.is_not(None), b.search_name == a.search_name, b.postcode == a.postcode),
    )
    candidates = {}
    for block in blocks:
        query = (
            select(*columns)
            .join(b, and_(block, a.id < b.id))
            .where(_live(a), _live(b), ~dismissed)
            .limit(MAX_CANDIDATE_PAIRS)
        )
        for row in db.session.execute(query):
            candidates[(row[0], row[1])] = row
    scored = []
    from rapidfuzz import fuzz  # imported where names are compared: app start-up stays light

    for first_id, second_id, first_name, second_name, birth_match, postcode_match in candidates.values():
        score = fuzz.token_sort_ratio(first_name, second_name)
        if birth_match and score >= NAME_SIMILARITY:
            reason = "Same date of birth, similar names" + (" and same postcode" if postcode_match else "")
        elif first_name == second_name and postcode_match:
            reason = "Same name and postcode" + (" and date of birth" if birth_match else "")
        else:
            continue
        scored.append((score + 10 * bool(birth_match) + 10 * bool(postcode_match), first_id, second_id, reason))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    scored = scored[:limit]
    learners = {
        learner.id: learner
        for learner in db.session.scalars(
            select(Learner)
            .options(joinedload(Learner.registered_partner))  # the page shows it: no query per learner
            .where(Learner.id.in_({i for _, x, y, _ in scored for i in (x, y)}))
        )
    }
    return [DuplicatePair(learners[x], learners[y], reason, score) for score, x, y, reason in scored]


def dismiss_pair(first_id: int, second_id: int, *, acting_user_id: int | None) -> None:
    """Record that two learners are not the same person, so the pair is never suggested again."""
    low, high = sorted((first_id, second_id))
    if low == high:
        raise DuplicateError("Choose two different learners")
    with write_transaction():
        found = db.session.scalars(select(Learner.id).where(Learner.id.in_((low, high)))).all()
        if len(found) != 2:
            raise DuplicateError("One of those learners no longer exists")
        already = db.session.scalar(
            select(DuplicateDismissal.id).where(
                DuplicateDismissal.learner_id == low, DuplicateDismissal.other_learner_id == high
            )
        )
        if already is None:
            db.session.add(DuplicateDismissal(learner_id=low, other_learner_id=high, dismissed_by_id=acting_user_id))
            record_event(
                "duplicate_dismissed",
                user_id=acting_user_id,
                record_type="learner",
                record_id=low,
                details={"other_learner_id": high},
            )
