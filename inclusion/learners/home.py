"""The coordinator's home panel for the duplicates queue: how many likely pairs wait for a decision."""

from dataclasses import dataclass

from inclusion.auth.models import User
from inclusion.learners.duplicates import find_duplicate_pairs

QUEUE_LIMIT = 100  # counted up to here; the page itself shows the first hundred too


@dataclass(frozen=True)
class DuplicatesQueue:
    pairs: int
    more: bool  # at least QUEUE_LIMIT pairs: "100 or more"


def duplicates_queue(user: User) -> DuplicatesQueue:
    pairs = len(find_duplicate_pairs(limit=QUEUE_LIMIT))
    return DuplicatesQueue(pairs, pairs >= QUEUE_LIMIT)
