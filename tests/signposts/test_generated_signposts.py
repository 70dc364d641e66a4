"""`flask demo generate` signposts about one learner in ten at a session, and points a few who stopped
coming back to their usual venue: they arrive at their next session there."""

from datetime import date

from sqlalchemy import delete, func, select

from inclusion.auth.models import User
from inclusion.core.generate import generate
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.reports import metrics
from inclusion.reports.periods import Period
from inclusion.sessions.models import Attendance
from inclusion.signposts.models import Signpost
from inclusion.signposts.services import SignpostDetails, record_signpost

UNTIL = date(2026, 10, 31)


def _quiet(_message: str) -> None:
    pass


def _target(signpost: Signpost) -> str:
    kind = signpost.target_kind
    return f"{kind}:{getattr(signpost, f'to_{kind}_id')}"


def test_about_one_learner_in_ten_is_signposted_and_some_signposts_arrive(app):
    result = generate(1000, 500, seed=5, until=UNTIL, progress=_quiet)

    attending = db.session.scalar(select(func.count(func.distinct(Attendance.learner_id))))
    at_sessions = db.session.scalar(select(func.count(Signpost.id)).where(Signpost.session_id.is_not(None)))
    assert result.signposts == db.session.scalar(select(func.count(Signpost.id)))
    assert 0.07 * attending < at_sessions < 0.13 * attending
    kinds = {signpost.target_kind for signpost in db.session.scalars(select(Signpost))}
    assert kinds == {"venue", "partner", "service"}
    everything = Period(date(2023, 11, 1), UNTIL)
    made, arrived = metrics.signposts_made(everything), metrics.signposts_arrived(everything)
    assert 0.1 * made < arrived < 0.5 * made
    october = Period.month(date(2026, 10, 1))
    assert metrics.signposts_made(october) > 0


def test_every_generated_signpost_is_one_the_service_accepts_from_the_person_recorded(app):
    generate(300, 150, seed=9, until=UNTIL, progress=_quiet)
    rows = db.session.execute(
        select(Signpost, Learner.reference).join(Learner, Learner.id == Signpost.learner_id).order_by(Signpost.id)
    ).all()
    planned = [
        (
            reference,
            signpost.made_by_id,
            SignpostDetails(
                _target(signpost),
                venue_id=None if signpost.session_id else signpost.venue_id,
                made_on=None if signpost.session_id else signpost.made_on,
                session_id=signpost.session_id,
            ),
            (signpost.made_on, signpost.venue_id),
        )
        for signpost, reference in rows
    ]
    assert {details.session_id is None for _reference, _user, details, _made in planned} == {True, False}
    db.session.execute(delete(Signpost))
    db.session.commit()

    # Recorded again through the form's service: never to the venue where made nor to its own partner,
    # at a session the learner attended and its maker may open, or at a venue its maker works at.
    for reference, made_by_id, details, where_and_when in planned:
        signpost = record_signpost(db.session.get(User, made_by_id), reference, details)
        assert (signpost.made_on, signpost.venue_id) == where_and_when

    assert db.session.scalar(select(func.count(Signpost.id))) == len(planned)
