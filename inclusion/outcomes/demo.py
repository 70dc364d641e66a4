"""Demo confidence checks for `flask demo seed`: about half the learners with a baseline, a third with an exit."""

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from inclusion.extensions import db
from inclusion.outcomes.models import ANSWER_COLUMNS, ConfidenceCheck, ConfidenceQuestionSet
from inclusion.timeutil import utcnow


def _answer(rng: random.Random, around: int) -> int | None:
    if rng.random() < 0.1:  # now and then a question is skipped
        return None
    return max(1, min(5, around + rng.choice([-1, 0, 0, 1])))


def demo_confidence_checks(rng: random.Random, learner_rows: list[dict], recorder_ids: list[int], today: date) -> int:
    """Baselines on the day each learner registered (before or at their first session), at their home venue;
    two in three of those get an exit check one to six months later, usually a little more confident."""
    question_set = db.session.scalar(select(ConfidenceQuestionSet.id).where(ConfidenceQuestionSet.is_current))
    rows = []
    for learner in learner_rows:
        if rng.random() >= 0.5:
            continue
        start = rng.randint(1, 3)
        common = {
            "learner_id": learner["id"],
            "venue_id": learner["_home_venue"].id,
            "question_set_id": question_set,
            "recorded_by_id": rng.choice(recorder_ids),
        }
        baseline = {column: _answer(rng, start) for column in ANSWER_COLUMNS}
        rows.append(
            {**common, "stage": "baseline", "checked_on": learner["registered_on"], **baseline, "created_at": utcnow()}
        )
        exit_on = learner["registered_on"] + timedelta(days=rng.randint(30, 180))
        if exit_on <= today and rng.random() < 2 / 3:
            later = {column: _answer(rng, start + rng.choice([0, 1, 1, 2])) for column in ANSWER_COLUMNS}
            rows.append({**common, "stage": "exit", "checked_on": exit_on, **later, "created_at": utcnow()})
    if rows:
        db.session.execute(insert(ConfidenceCheck), rows)
    return len(rows)
