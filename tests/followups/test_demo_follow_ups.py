"""`flask demo seed` follows its learners up as `flask demo generate` does: about one in ten not to be
contacted, about 40 % of those due reached, each call one its maker could have recorded."""

from sqlalchemy import delete, func, select

from inclusion.auth.models import User
from inclusion.core import demo_data
from inclusion.extensions import db
from inclusion.followups.models import ANSWER_COLUMNS, FollowUp
from inclusion.followups.queue import due_on
from inclusion.followups.services import FollowUpDetails, record_follow_up
from inclusion.learners.models import Learner
from inclusion.reports import funder_csv
from inclusion.reports.models import ReportRun
from inclusion.reports.periods import parse_month
from inclusion.timeutil import today_in_london


def _due() -> int:
    rows = db.session.execute(select(Learner.first_attended_on).where(Learner.may_contact.is_(True)))
    return sum(1 for (first,) in rows if first is not None and due_on(first) <= today_in_london())


def _reached() -> int:
    reached = select(func.count(func.distinct(FollowUp.learner_id))).where(FollowUp.outcome == "reached")
    return db.session.scalar(reached)


def test_the_demo_alliance_has_follow_ups_each_one_its_maker_could_have_recorded(db):
    demo_data.seed_demo()
    learners = db.session.scalar(select(func.count(Learner.id)))
    assert 0 < db.session.scalar(select(func.count(Learner.id)).where(Learner.may_contact.is_(False))) < 0.2 * learners
    assert 0.25 * _due() < _reached() < 0.55 * _due()
    planned = [
        (reference, follow_up.recorded_by_id, follow_up.outcome, follow_up.followed_up_on, follow_up)
        for follow_up, reference in db.session.execute(
            select(FollowUp, Learner.reference)
            .join(Learner, Learner.id == FollowUp.learner_id)
            .order_by(FollowUp.followed_up_on, FollowUp.id)
        )
    ]
    answers = [{column: getattr(row[4], column) for column in ANSWER_COLUMNS} for row in planned]
    db.session.execute(delete(FollowUp))
    db.session.commit()

    for (reference, recorded_by_id, outcome, day, _row), given in zip(planned, answers, strict=True):
        record_follow_up(db.session.get(User, recorded_by_id), reference, FollowUpDetails(outcome, day, given))

    assert db.session.scalar(select(func.count(FollowUp.id))) == len(planned) > 50


def test_the_story_s_learners_are_followed_up_too_before_the_reports_are_archived(db):
    demo_data.seed_demo(story=True)

    story_learners = select(Learner.id).order_by(Learner.id).offset(300)  # after the small alliance's 300
    followed = select(func.count(func.distinct(FollowUp.learner_id))).where(FollowUp.learner_id.in_(story_learners))
    assert db.session.scalar(followed) > 100
    assert 0.25 * _due() < _reached() < 0.55 * _due()
    # Each archived report holds the follow-ups of its month, as today's file for that month does.
    for run in db.session.scalars(select(ReportRun)):
        assert run.content == funder_csv.monthly_csv(parse_month(run.month), run.version)
        assert b",follow_ups_reached,total,all," in run.content
        assert b",follow_ups_reached,total,all,0\n" not in run.content
