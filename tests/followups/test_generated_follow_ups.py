"""`flask demo generate` follows learners up: about one in ten may not be contacted, about 40 % of those
due are reached, about a third of those reached have gone on to learning, work or volunteering."""

from datetime import date

from sqlalchemy import delete, func, or_, select

from inclusion.auth.models import User
from inclusion.core.generate import generate
from inclusion.extensions import db
from inclusion.followups.models import ANSWER_COLUMNS, FollowUp
from inclusion.followups.queue import due_on, queue_size
from inclusion.followups.services import FollowUpDetails, record_follow_up
from inclusion.learners.models import Learner
from inclusion.reports import dashboard, metrics
from inclusion.reports.periods import Period
from tests.reports.keys_support import put_back_data_version

UNTIL = date(2026, 10, 31)
OCTOBER = Period.month(date(2026, 10, 1))


def _quiet(_message: str) -> None:
    pass


def _due_learners() -> list[Learner]:
    learners = db.session.scalars(select(Learner).where(Learner.may_contact.is_(True)))
    return [learner for learner in learners if (due_on(learner.first_attended_on) or date.max) <= UNTIL]


def test_about_four_in_ten_of_the_learners_due_are_reached_and_a_third_of_them_progressed(app):
    result = generate(1000, 500, seed=5, until=UNTIL, progress=_quiet)

    learners = db.session.scalar(select(func.count(Learner.id)))
    not_to_contact = db.session.scalar(select(func.count(Learner.id)).where(Learner.may_contact.is_(False)))
    assert 0.06 * learners < not_to_contact < 0.14 * learners
    due = len(_due_learners())
    reached = db.session.scalar(
        select(func.count(func.distinct(FollowUp.learner_id))).where(FollowUp.outcome == "reached")
    )
    progressed = db.session.scalar(
        select(func.count(FollowUp.id)).where(
            FollowUp.outcome == "reached",
            or_(FollowUp.further_learning.is_(True), FollowUp.work_or_volunteering.is_(True)),
        )
    )
    assert result.follow_ups == db.session.scalar(select(func.count(FollowUp.id)))
    assert 0.33 * due < reached < 0.47 * due
    assert 0.2 * reached < progressed < 0.5 * reached
    outcomes = set(db.session.scalars(select(FollowUp.outcome).distinct()))
    assert outcomes == {"reached", "not-reached", "declined"}


def test_no_follow_up_is_for_a_learner_who_may_not_be_contacted_or_before_they_were_due(app):
    generate(600, 300, seed=8, until=UNTIL, progress=_quiet)

    rows = db.session.execute(
        select(FollowUp.followed_up_on, Learner.first_attended_on, Learner.may_contact).join(
            Learner, Learner.id == FollowUp.learner_id
        )
    ).all()
    assert rows
    assert all(may_contact for _day, _first, may_contact in rows)
    assert all(due_on(first) <= day <= UNTIL for day, first, _may in rows)


def test_every_generated_follow_up_is_one_the_service_accepts_from_the_person_recorded(app):
    generate(150, 80, seed=9, until=UNTIL, progress=_quiet)
    follow_ups = db.session.execute(
        select(FollowUp, Learner.reference)
        .join(Learner, Learner.id == FollowUp.learner_id)
        .order_by(FollowUp.followed_up_on, FollowUp.id)
    ).all()
    planned = [
        (
            reference,
            follow_up.recorded_by_id,
            FollowUpDetails(
                follow_up.outcome, follow_up.followed_up_on, {c: getattr(follow_up, c) for c in ANSWER_COLUMNS}
            ),
        )
        for follow_up, reference in follow_ups
    ]
    assert len(planned) > 20
    db.session.execute(delete(FollowUp))
    db.session.commit()

    # Recorded again one by one through the form's service: each passes every rule it checks (contact
    # allowed, not before the first session, not in the future, nothing after a closing one, answers
    # when reached), by someone who may see the learner.
    for reference, recorded_by_id, details in planned:
        record_follow_up(db.session.get(User, recorded_by_id), reference, details)

    assert db.session.scalar(select(func.count(FollowUp.id))) == len(planned)


def test_the_queue_and_the_follow_up_figures_have_something_to_show(app):
    generate(1000, 500, seed=5, until=UNTIL, progress=_quiet)
    coordinator = db.session.scalar(select(User).where(User.role == "coordinator"))

    assert queue_size(coordinator, None, UNTIL) > 0
    for measure in ("follow_ups_due", "follow_ups_reached"):
        assert metrics.ALL_MEASURES[measure](OCTOBER) > 0, measure
    year = Period(date(2025, 11, 1), UNTIL)  # a thousand learners progress a few a month, some months none
    for measure in ("follow_ups_due", "follow_ups_reached", "learners_progressed"):
        assert metrics.ALL_MEASURES[measure](year) > 0, measure
        assert any(metrics.ALL_MEASURES[measure](year, by="partner").values()), measure
    assert all(metrics.follow_ups_reached(year, by="month").get(month.key) for month in year.each_month())
    board = dashboard.build_dashboard(dashboard.Filters(OCTOBER), today=UNTIL, suppressed=False)
    shown = {row["measure"]: row["values"] for row in board.headline}
    assert shown["follow_ups_due"][0] > 0 and shown["follow_ups_reached"][0] > 0
    follow_up_chart = next(chart for chart in board.outcome_trends if chart["measures"] is dashboard.FOLLOW_UP_TREND)
    assert follow_up_chart["max"] > 1  # the chart has months to draw


def test_the_command_s_data_passes_the_report_key_check(runner):
    put_back_data_version()  # the suite empties every table between tests, the data version's row too
    result = runner.invoke(args=["demo", "generate", "--learners", "300", "--sessions", "150", "--until", "2026-10-31"])
    assert result.exit_code == 0, result.output
    assert "follow-ups and" in result.stdout

    check = runner.invoke(args=["reports", "check"])

    assert check.exit_code == 0, check.output
    assert "keys agree" in check.output
