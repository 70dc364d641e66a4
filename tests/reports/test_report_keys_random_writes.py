"""After any sequence of the app's writes, `flask reports check` finds every report key right.

Hypothesis draws short sequences of the writes the app makes (log, edit, re-date, move venue,
delete, merge, undo a merge, import a spreadsheet, anonymise) over a few learners, sessions and
venues, runs them through the services, and requires 0 disagreements and no trigger drift.
"""

from contextlib import suppress
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inclusion.extensions import db
from inclusion.imports.services import run_import
from inclusion.learners.merging import MergeError, merge_learners, undo_merge
from inclusion.learners.models import Learner
from inclusion.learners.privacy import PrivacyError, anonymise_learner
from inclusion.reports.selfcheck import check_report_keys
from inclusion.sessions import services as sessions
from inclusion.sessions.models import LearningSession
from inclusion.sessions.services import SessionError
from tests import factories
from tests.conftest import _empty_database
from tests.reports.keys_support import put_back_data_version

LEARNERS, VENUES, FIRST_DAY = 4, 2, date(2026, 9, 1)
SKILLS = ("FND-01", "FND-02", "COM-01")
# Every skill of both levels but FND-01 and COM-01: a learner who gains these and then FND-01 reaches
# foundation, and with COM-01 life skills, so the sequences reach, move and lose levels too (FND-02
# again, earlier or later, moves which achievement of it is first).
ALMOST = (*(f"FND-{number:02d}" for number in range(2, 10)), "HIC-01", "TRA-01", "PRB-01", "SAF-01")

learner = st.integers(0, LEARNERS - 1)
some_learners = st.lists(learner, min_size=1, max_size=3, unique=True)
skills_of = st.dictionaries(learner, st.lists(st.sampled_from(SKILLS), max_size=2, unique=True), max_size=3)
day = st.integers(0, 40)
session = st.integers(0, 5)  # which of the sessions logged so far (modulo their number)
venue = st.integers(0, VENUES - 1)
writes = st.one_of(
    st.tuples(st.just("log"), venue, day, some_learners, skills_of),
    st.tuples(st.just("edit"), session, some_learners, skills_of),
    st.tuples(st.just("re-date"), session, day),
    st.tuples(st.just("move"), session, venue),
    st.tuples(st.just("delete"), session),
    st.tuples(st.just("merge"), learner, learner),
    st.tuples(st.just("undo")),
    st.tuples(st.just("import"), venue, day, some_learners, st.sampled_from(SKILLS)),
    st.tuples(st.just("anonymise"), learner),
)


class World:
    """The alliance a sequence writes to, and what it has done so far."""

    def __init__(self):
        libraries = factories.create_partner("Stockport Libraries")
        self.venues = [factories.create_venue(f"Library {n}", partner=libraries) for n in range(VENUES)]
        self.learners = [factories.create_learner() for _ in range(LEARNERS)]
        self.user = factories.create_user(role="coordinator")
        self.merges: list[int] = []
        put_back_data_version()
        # The first session of every sequence (it may be edited, re-dated, moved or deleted like any):
        # the first learner reaches foundation there, the next two are one skill from each level.
        almost = {index: list(ALMOST) for index in range(LEARNERS - 1)}
        self.log(0, 5, range(LEARNERS - 1), almost | {0: [*ALMOST, "FND-01"]})

    def pick(self, index: int) -> LearningSession | None:
        found = list(db.session.scalars(select(LearningSession).order_by(LearningSession.id)))
        return found[index % len(found)] if found else None

    def details(self, learning_session, **changes) -> sessions.SessionDetails:
        attendees, skills = sessions.current_attendance(learning_session)
        fields = {
            "session_date": learning_session.session_date,
            "venue_id": learning_session.venue_id,
            "duration_minutes": learning_session.duration_minutes,
            "attendees": attendees,
            "skills": skills,
        }
        return sessions.SessionDetails(**{**fields, **changes})

    def ids(self, indexes) -> list[int]:
        return [self.learners[index].id for index in indexes]

    def run(self, write: tuple) -> None:
        kind, *args = write
        # Refused writes (a merged-away attendee, the same learner twice...) write nothing.
        with suppress(SessionError, MergeError, PrivacyError):
            getattr(self, {"import": "import_", "re-date": "re_date"}.get(kind, kind))(*args)

    def log(self, venue_index, offset, attendees, skills):
        details = sessions.SessionDetails(
            session_date=FIRST_DAY + timedelta(days=offset),
            venue_id=self.venues[venue_index].id,
            duration_minutes=60,
            attendees=self.ids(attendees),
            skills={self.learners[i].id: codes for i, codes in skills.items() if i in attendees},
        )
        sessions.record_session(self.user, details)

    def edit(self, index, attendees, skills):
        if learning_session := self.pick(index):
            chosen = {self.learners[i].id: codes for i, codes in skills.items() if i in attendees}
            sessions.update_session(
                self.user,
                learning_session,
                self.details(learning_session, attendees=self.ids(attendees), skills=chosen),
            )

    def re_date(self, index, offset):
        if learning_session := self.pick(index):
            new_date = FIRST_DAY + timedelta(days=offset)
            sessions.update_session(self.user, learning_session, self.details(learning_session, session_date=new_date))

    def move(self, index, venue_index):
        if learning_session := self.pick(index):
            new_venue = self.venues[venue_index].id
            sessions.update_session(self.user, learning_session, self.details(learning_session, venue_id=new_venue))

    def delete(self, index):
        if learning_session := self.pick(index):
            sessions.delete_session(self.user, learning_session)

    def merge(self, keep, duplicate):
        event = merge_learners(self.learners[keep].id, self.learners[duplicate].id, acting_user_id=self.user.id)
        self.merges.append(event.id)

    def undo(self):
        if self.merges:
            undo_merge(self.merges.pop(), acting_user_id=self.user.id)

    def import_(self, venue_index, offset, attendees, code):
        rows = ["session_ref,session_date,venue,duration_minutes,learner_reference,skills"]
        when = (FIRST_DAY + timedelta(days=offset)).isoformat()
        for index in attendees:
            reference = db.session.get(Learner, self.learners[index].id).reference
            rows.append(f"IMP-{offset}-{venue_index},{when},{self.venues[venue_index].name},60,{reference},{code}")
        run_import("attendance", ("\n".join(rows) + "\n").encode(), "attendance.csv", user_id=self.user.id)

    def anonymise(self, index):
        reference = db.session.get(Learner, self.learners[index].id).reference
        anonymise_learner(reference, reference, acting_user=self.user)


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(writes, min_size=1, max_size=8))
def test_any_sequence_of_the_app_s_writes_leaves_every_report_key_agreeing(app, db, sequence):
    db.session.remove()
    _empty_database(app)
    world = World()
    for write in sequence:
        world.run(write)
        db.session.expire_all()

    result = check_report_keys()

    assert result.drift == []
    assert result.disagreements == [], sequence
    assert result.ok


def test_the_worlds_first_session_leaves_each_level_one_write_away(app, db):
    """So the sequences above reach levels: FND-01 and COM-01 complete both, and merging and undoing move them."""
    db.session.remove()
    _empty_database(app)
    world = World()
    world.log(1, 10, [1], {1: list(SKILLS)})
    ann = db.session.get(Learner, world.learners[1].id)
    assert (ann.foundation_reached_on, ann.life_skills_reached_on) == (FIRST_DAY + timedelta(days=10),) * 2
    world.merge(2, 1)  # the kept learner had every skill but SKILLS: Ann's complete both levels for them
    world.delete(1)  # the session that completed them
    world.undo()
    result = check_report_keys()
    assert result.ok, result.disagreements
