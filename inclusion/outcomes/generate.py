"""Confidence checks for `flask demo generate`: planned from the generated attendances, inserted in bulk.

About half the learners who attend get a baseline at their first session; four in five of those
who come back get an exit check at their last session (about a third of all learners), most of
them more confident than at the start. The checks have a random stream of their own (seeded from
the generator's seed), so adding them leaves every other generated row as it was.
"""

import random
from datetime import datetime

from sqlalchemy import select

from inclusion.extensions import db
from inclusion.outcomes.models import AREA_COLUMNS, ConfidenceCheck, ConfidenceQuestionSet

BASELINE_SHARE = 0.5
EXIT_SHARE_OF_RETURNING = 0.8  # of learners with a baseline and a second visit
SKIPPED = 0.05  # each answer, now and then
BASELINE_OVERALL = ((1, 0.3), (2, 0.35), (3, 0.25), (4, 0.1))
CHANGE_AT_EXIT = ((2, 0.2), (1, 0.45), (0, 0.25), (-1, 0.1))  # most feel more confident
AREA_AROUND = ((-1, 0.25), (0, 0.5), (1, 0.25))


def _pick(rng: random.Random, weighted) -> int:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _answer(rng: random.Random, value: int) -> int | None:
    return None if rng.random() < SKIPPED else max(1, min(5, value))


def plan_confidence_checks(
    seed: int, attendance_rows: list[dict], session_rows: list[dict], now: datetime
) -> list[dict]:
    """Insert rows of confidence checks for the learners of `attendance_rows` (generate.py's plan)."""
    question_set_id = db.session.scalar(
        select(ConfidenceQuestionSet.id)
        .where(ConfidenceQuestionSet.is_current.is_(True))
        .order_by(ConfidenceQuestionSet.version.desc())
        .limit(1)
    )
    if question_set_id is None:
        return []
    recorded_by = {row["id"]: row["created_by_id"] for row in session_rows}
    # Each learner's first and last attendance: (date, session id, venue id), in one pass.
    first: dict[int, tuple] = {}
    last: dict[int, tuple] = {}
    visits: dict[int, int] = {}
    for row in attendance_rows:
        learner_id, visit = row["learner_id"], (row["session_date"], row["session_id"], row["venue_id"])
        visits[learner_id] = visits.get(learner_id, 0) + 1
        if learner_id not in first or visit < first[learner_id]:
            first[learner_id] = visit
        if learner_id not in last or visit > last[learner_id]:
            last[learner_id] = visit
    rng = random.Random(f"{seed}:confidence checks")
    rows = []
    for learner_id in sorted(first):
        if rng.random() >= BASELINE_SHARE:
            continue
        overall = _pick(rng, BASELINE_OVERALL)
        areas = {column: overall + _pick(rng, AREA_AROUND) for column in AREA_COLUMNS.values()}
        rows.append(
            _row(rng, learner_id, "baseline", first[learner_id], overall, areas, recorded_by, question_set_id, now)
        )
        if visits[learner_id] < 2 or rng.random() >= EXIT_SHARE_OF_RETURNING:
            continue
        change = _pick(rng, CHANGE_AT_EXIT)
        later = {column: value + max(0, change + _pick(rng, AREA_AROUND)) for column, value in areas.items()}
        rows.append(
            _row(rng, learner_id, "exit", last[learner_id], overall + change, later, recorded_by, question_set_id, now)
        )
    return rows


def _row(rng, learner_id, stage, visit, overall, areas, recorded_by, question_set_id, now) -> dict:
    checked_on, session_id, venue_id = visit
    return {
        "learner_id": learner_id,
        "stage": stage,
        "checked_on": checked_on,
        "venue_id": venue_id,
        "recorded_by_id": recorded_by.get(session_id),
        "question_set_id": question_set_id,
        "overall": _answer(rng, overall),
        **{column: _answer(rng, value) for column, value in areas.items()},
        "created_at": now,
    }


CONFIDENCE_CHECKS_TABLE = ConfidenceCheck.__table__  # where generate.py inserts the rows
