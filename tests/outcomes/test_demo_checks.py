"""`flask demo seed` records confidence checks: about half the learners with a baseline, fewer with an exit."""

from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.outcomes.models import ConfidenceCheck


def test_the_demo_seed_gives_about_half_the_learners_a_baseline_and_some_an_exit_check(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    learners = db.session.scalar(select(func.count(Learner.id)))
    stages = dict(db.session.execute(select(ConfidenceCheck.stage, func.count()).group_by(ConfidenceCheck.stage)).all())
    assert 0.35 * learners < stages["baseline"] < 0.65 * learners
    assert 0.15 * learners < stages["exit"] < stages["baseline"]
    early = select(ConfidenceCheck).join(Learner, Learner.id == ConfidenceCheck.learner_id)
    assert db.session.scalar(early.where(ConfidenceCheck.checked_on < Learner.registered_on).limit(1)) is None
