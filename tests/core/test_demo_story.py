"""`flask demo seed` tells the reference case's story (issue 14): thousands helped, 5,000 within a year."""

from datetime import date, timedelta

from sqlalchemy import func, select

from inclusion.core import demo_data
from inclusion.extensions import db
from inclusion.learners.duplicates import find_duplicate_pairs
from inclusion.learners.models import Learner
from inclusion.reports import metrics
from inclusion.reports.models import ReportRun
from inclusion.reports.periods import Period
from inclusion.sessions.models import LearningSession, session_champions
from tests import factories

TODAY = date(2026, 12, 2)


def test_the_demo_alliance_tells_the_reference_story(app, monkeypatch):
    monkeypatch.setattr(demo_data, "today_in_london", lambda: TODAY)
    demo_data.seed_demo(story=True)

    helped = metrics.adults_helped_to_date(Period.month(TODAY))
    assert 3000 <= helped < 5000  # several thousand adults helped, the milestone still ahead

    projection = metrics.projected_milestone_date(TODAY)
    assert projection.status == "projected"
    assert TODAY + timedelta(days=120) <= projection.reached_on <= TODAY + timedelta(days=400)  # about a year

    pairs = find_duplicate_pairs()
    assert [(p.first.full_name, p.second.full_name) for p in pairs] == [("Margaret Hughes", "Margret Hughes")]

    months = list(db.session.scalars(select(ReportRun.month).order_by(ReportRun.month)))
    assert months == ["2026-09", "2026-10", "2026-11"]  # the last three whole months, as sent
    assert db.session.scalar(select(func.count(ReportRun.id)).where(ReportRun.sent_at.is_(None))) == 0

    # The demo champion has sessions of their own to see on their home page, some of them recent.
    recent = db.session.scalar(
        select(func.count(LearningSession.id))
        .join(session_champions, session_champions.c.session_id == LearningSession.id)
        .where(LearningSession.session_date >= TODAY - timedelta(days=14))
    )
    assert recent > 5

    # The story gave its ids explicitly: the database's own next ids come after them (PostgreSQL's sequences).
    last_learner, last_session = (db.session.scalar(select(func.max(m.id))) for m in (Learner, LearningSession))
    assert factories.create_learner("Ann", "After").id > last_learner
    assert factories.create_session().id > last_session
