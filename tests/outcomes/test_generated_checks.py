"""`flask demo generate` records confidence checks: about half the learners a baseline at their first
session, about a third an exit check at their last, most of them more confident."""

from datetime import date

from sqlalchemy import func, select

from inclusion.core.generate import generate
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.outcomes.models import ConfidenceCheck
from inclusion.reports import metrics
from inclusion.reports.periods import Period
from inclusion.sessions.models import Attendance

UNTIL = date(2026, 10, 31)


def _quiet(_message: str) -> None:
    pass


def _stages() -> dict[str, int]:
    return dict(db.session.execute(select(ConfidenceCheck.stage, func.count()).group_by(ConfidenceCheck.stage)).all())


def test_about_half_the_learners_get_a_baseline_and_a_third_an_exit_check(app):
    result = generate(1000, 500, seed=5, until=UNTIL, progress=_quiet)

    attending = db.session.scalar(select(func.count(func.distinct(Attendance.learner_id))))
    stages = _stages()
    assert result.confidence_checks == stages["baseline"] + stages["exit"]
    assert 0.42 * attending < stages["baseline"] < 0.58 * attending
    assert 0.27 * attending < stages["exit"] < 0.40 * attending
    assert set(stages) == {"baseline", "exit"}  # follow-ups are their own feature


def test_the_baseline_is_at_the_first_session_and_the_exit_at_the_last(app):
    generate(300, 150, seed=7, until=UNTIL, progress=_quiet)

    visits = (
        select(
            Attendance.learner_id,
            func.min(Attendance.session_date).label("first"),
            func.max(Attendance.session_date).label("last"),
            func.count().label("visits"),
        )
        .group_by(Attendance.learner_id)
        .subquery()
    )
    checks = db.session.execute(
        select(ConfidenceCheck.stage, ConfidenceCheck.checked_on, visits.c.first, visits.c.last, visits.c.visits).join(
            visits, visits.c.learner_id == ConfidenceCheck.learner_id
        )
    ).all()
    assert len(checks) == db.session.scalar(select(func.count(ConfidenceCheck.id)))  # every one for an attender
    for stage, checked_on, first, last, visits_made in checks:
        assert checked_on == (first if stage == "baseline" else last)
        assert stage == "baseline" or visits_made >= 2
    early = select(func.count()).select_from(ConfidenceCheck).join(Learner, Learner.id == ConfidenceCheck.learner_id)
    assert db.session.scalar(early.where(ConfidenceCheck.checked_on < Learner.registered_on)) == 0
    exits_without_baseline = (
        select(func.count())
        .select_from(ConfidenceCheck)
        .where(
            ConfidenceCheck.stage == "exit",
            ConfidenceCheck.learner_id.not_in(
                select(ConfidenceCheck.learner_id).where(ConfidenceCheck.stage == "baseline")
            ),
        )
    )
    assert db.session.scalar(exits_without_baseline) == 0


def test_most_learners_with_an_exit_check_are_more_confident_in_the_figures(app):
    generate(1000, 500, seed=5, until=UNTIL, progress=_quiet)

    everything = Period(date(2023, 11, 1), UNTIL)
    paired = metrics.confidence_checks_paired(everything)
    more = metrics.learners_more_confident(everything)
    assert paired > 200
    assert 0.55 * paired < more < 0.8 * paired
    october = Period.month(date(2026, 10, 1))
    assert 0 < metrics.confidence_checks_paired(october) < paired
