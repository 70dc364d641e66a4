"""After any sequence of the app's writes, every figure the cache serves is the figure computed afresh.

The figure cache keeps a figure of a period until a write reaches a month up to the period's end
(inclusion/reports/reach.py). Hypothesis draws sequences of writes (those of the report-key test,
plus confidence checks, follow-ups, loans, gifts, signposts and a learner's age) dated across
August to October; after each write every registered figure is asked for, through the cache, for
September, October and the four months from August by month, and compared with the figure
computed with the cache off. A rule that reached too short a way back serves a stale figure here.
"""

import os
from contextlib import suppress
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from inclusion.devices.models import Loan
from inclusion.extensions import db
from inclusion.followups.models import ANSWER_COLUMNS as FOLLOW_UP_ANSWER_COLUMNS
from inclusion.followups.models import FollowUp
from inclusion.learners.models import Learner
from inclusion.outcomes.models import ANSWER_COLUMNS
from inclusion.outcomes.services import CheckDetails, CheckError, record_check
from inclusion.reports import cache, metrics
from inclusion.reports.periods import Period
from tests import factories
from tests.conftest import _empty_database
from tests.reports import test_report_keys_random_writes as keys_test

FIRST_DAY = keys_test.FIRST_DAY  # 1 September; writes are dated up to 40 days on, or 31 days before
PERIODS = (
    Period.month(date(2026, 9, 1)),
    Period.month(date(2026, 10, 1)),
)
TREND = Period(date(2026, 8, 1), date(2026, 11, 30))
TREND_MEASURES = (
    "adults_helped",
    "new_learners",
    "skills_gained",
    "learners_gaining_skills",
    "learners_reaching_foundation",
    "confidence_checks_paired",
    "learners_more_confident",
    "follow_ups_due",
    "follow_ups_reached",
)

day = st.integers(-31, 40)
learner = keys_test.learner
writes = st.one_of(
    keys_test.writes,
    st.tuples(st.just("check"), learner, st.sampled_from(("baseline", "exit")), day, st.integers(1, 5)),
    st.tuples(st.just("follow_up"), learner, day, st.sampled_from(("reached", "declined"))),
    st.tuples(st.just("loan"), learner, day, st.one_of(st.none(), st.integers(0, 60))),
    st.tuples(st.just("return"), st.integers(0, 3), day),
    st.tuples(st.just("signpost"), learner, day),
    st.tuples(st.just("age"), learner, st.sampled_from(("under-18", "25-34"))),
)


class World(keys_test.World):
    def run(self, write: tuple) -> None:
        kind = write[0]
        if kind in ("check", "follow_up", "loan", "return", "signpost", "age"):
            with suppress(CheckError):  # a second baseline, a check before the baseline...
                getattr(self, {"return": "return_"}.get(kind, kind))(*write[1:])
        else:
            super().run(write)

    def _learner(self, index) -> Learner:
        return db.session.get(Learner, self.learners[index].id)

    def check(self, index, stage, offset, overall):
        answers = dict.fromkeys(ANSWER_COLUMNS, overall)
        when = FIRST_DAY + timedelta(days=offset)
        record_check(self.user, self._learner(index).reference, CheckDetails(stage, when, self.venues[0].id, answers))

    def follow_up(self, index, offset, outcome):
        answers = dict.fromkeys(FOLLOW_UP_ANSWER_COLUMNS, True) if outcome == "reached" else {}
        when = FIRST_DAY + timedelta(days=offset)
        db.session.add(FollowUp(learner_id=self.learners[index].id, followed_up_on=when, outcome=outcome, **answers))
        db.session.commit()

    def loan(self, index, offset, returned_after):
        lent_on = FIRST_DAY + timedelta(days=offset)
        returned_on = None if returned_after is None else lent_on + timedelta(days=returned_after)
        device = factories.create_device(self.venues[offset % len(self.venues)])
        factories.create_loan(device, self._learner(index), lent_on=lent_on, returned_on=returned_on)

    def return_(self, index, offset):
        loans = list(db.session.scalars(select(Loan).order_by(Loan.id)))
        if loans:
            loan = loans[index % len(loans)]
            loan.returned_on = max(loan.lent_on, FIRST_DAY + timedelta(days=offset))
            loan.return_condition = "good"
            db.session.commit()

    def signpost(self, index, offset):
        when = FIRST_DAY + timedelta(days=offset)
        factories.create_signpost(self._learner(index), self.venues[0], when, to_venue=self.venues[1])

    def age(self, index, band):
        db.session.execute(update(Learner).where(Learner.id == self.learners[index].id).values(age_band=band))
        db.session.commit()


def _asks():
    for figure in cache.FIGURES:
        name = figure.__name__
        for period in PERIODS:
            yield figure, period, {}
            if name not in metrics.REGISTERING_PARTNER_MEASURES:
                yield figure, period, {"by": "venue"}
        if name in TREND_MEASURES:
            yield figure, TREND, {"by": "month"}


def _every_figure() -> list:
    return [figure(period, **kwargs) for figure, period, kwargs in _asks()]


@settings(
    max_examples=int(os.environ.get("CACHE_EXAMPLES", 10)),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=st.lists(writes, min_size=1, max_size=8))
def test_the_cache_serves_after_any_sequence_of_writes_what_a_fresh_count_gives(app, db, sequence):
    db.session.remove()
    _empty_database(app)
    cache.clear()
    world = World()
    try:
        app.config["REPORT_FIGURE_CACHE"] = True
        _every_figure()  # stored before the first write
        for number, write in enumerate(sequence):
            world.run(write)
            db.session.expire_all()
            db.session.rollback()  # a new request, as after a write
            app.config["REPORT_FIGURE_CACHE"] = True
            served = _every_figure()
            app.config["REPORT_FIGURE_CACHE"] = False
            fresh = _every_figure()
            wrong = [
                (figure.__name__, period.key, kwargs, was, right)
                for (figure, period, kwargs), was, right in zip(_asks(), served, fresh, strict=True)
                if was != right
            ]
            assert wrong == [], (sequence[: number + 1], wrong)
    finally:
        app.config["REPORT_FIGURE_CACHE"] = False
        cache.clear()
