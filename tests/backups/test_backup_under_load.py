"""A backup taken while ten people log sessions restores to one moment of the database, whole.

How this proves consistency. Each of ten writers logs sessions one after another through the
same service the web form calls, each session (with its three attendances and one skill) in one
transaction, numbered in its notes: "writer 3 #17". The backup starts once every writer has
logged two sessions and, while it runs, they keep logging; they stop only after each has logged
two more since the backup finished. A copy of one moment must then hold, for every writer, its
sessions #0 to #m-1 and no others (a later session without an earlier one would be a copy of no
moment at all), with m between the number the writer had committed when the backup began and the
number it had begun when the backup ended, and each session with all three attendances and its
skill (a copy holding part of a transaction would show a session with fewer). A writer whose
transaction the database gives up on (a deadlock, a busy timeout) submits it again, as a person
would: nothing of it was stored.

The funder CSVs of the source "at the moment of the backup" are then recomputed from the
source itself: the writers only ever added sessions, so deleting from the source (through the
service a coordinator uses) the sessions after each writer's m leaves exactly the data of that
moment. The restored database's CSVs for both months must equal those byte for byte, and the
restore's own figures' self-check must be clean.
"""

import re
import threading
import time
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from inclusion.sessions.services import SessionDetails, delete_session, record_session
from tests import factories
from tests.scratch_databases import app_on, is_postgresql

WRITERS = 10
ATTENDEES = 3
LEARNERS = 40
MONTHS = ("2026-10", "2026-11")
RETRIES = 5
NOTE = re.compile(r"writer (\d+) #(\d+)")
BACKUP_SUFFIX = ".dump" if is_postgresql() else ".sqlite3"


class Writers:
    """Ten threads logging numbered sessions until told to stop; `logged[w]` counts what each committed."""

    def __init__(self, app, user_id: int, venue_ids: list[int], learner_ids: list[int]):
        self.app, self.user_id, self.venue_ids, self.learner_ids = app, user_id, venue_ids, learner_ids
        self.logged = [0] * WRITERS  # committed (counted once record_session has returned)
        self.started = [0] * WRITERS  # begun: committed, or possibly committing at this moment
        self.failures: list[BaseException] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(w,)) for w in range(WRITERS)]

    def details(self, writer: int, number: int) -> SessionDetails:
        picks = [self.learner_ids[(writer * 7 + number + step * 13) % LEARNERS] for step in range(ATTENDEES)]
        return SessionDetails(
            session_date=date(2026, 10, 1) + timedelta(days=(writer * 5 + number) % 61),  # October and November
            venue_id=self.venue_ids[(writer + number) % len(self.venue_ids)],
            duration_minutes=30 + 15 * (number % 4),
            notes=f"writer {writer} #{number}",
            attendees=picks,
            skills={picks[0]: [("COM-01", "TRA-02", "SAF-01")[number % 3]]},
        )

    def _write(self, writer: int) -> None:
        with self.app.app_context():
            try:
                user = db.session.get(User, self.user_id)
                while not self.stop.is_set():
                    self.started[writer] = self.logged[writer] + 1
                    self._log_one(user, writer)
                    self.logged[writer] += 1
            except BaseException as error:  # noqa: BLE001  (reported by the test)
                self.failures.append(error)
                self.stop.set()
            finally:
                db.session.remove()

    def _log_one(self, user: User, writer: int) -> None:
        """Log the writer's next session; if the database gave up on it, submit again, as a person would.

        PostgreSQL may cancel one of two transactions that lock the same learners in opposite
        orders (a deadlock), and SQLite's busy timeout can pass on a machine this loaded: nothing
        of that session was stored (one transaction), so the same numbered session is sent again.
        """
        for attempt in range(RETRIES):
            try:
                record_session(user, self.details(writer, self.logged[writer]))
                return
            except OperationalError:
                db.session.rollback()
                if attempt == RETRIES - 1:
                    raise

    def wait_until_each_has(self, counts: list[int], timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while any(logged < count for logged, count in zip(self.logged, counts, strict=True)):
            assert not self.failures, self.failures
            assert time.monotonic() < deadline, f"writers too slow: {self.logged}"
            time.sleep(0.02)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        for thread in self.threads:
            thread.join(120)


def _alliance():
    partner = factories.create_partner("Stockport Libraries")
    venues = [factories.create_venue(name, partner) for name in ("Central Library", "Edgeley Library")]
    bands = ("25-34", "45-54", "65-74", "75+")
    learners = [factories.create_learner(age_band=bands[n % 4], partner=partner) for n in range(LEARNERS)]
    coordinator = factories.create_user("coordinator")
    return coordinator.id, [venue.id for venue in venues], [learner.id for learner in learners]


def _sessions_by_writer() -> dict[int, list[int]]:
    numbers = defaultdict(list)
    for notes in db.session.scalars(select(LearningSession.notes)):
        writer, number = map(int, NOTE.fullmatch(notes).groups())
        numbers[writer].append(number)
    return {writer: sorted(found) for writer, found in numbers.items()}


def _monthly_csvs(runner) -> dict[str, bytes]:
    csvs = {}
    for month in MONTHS:
        result = runner.invoke(args=["reports", "monthly", "--month", month])
        assert result.exit_code == 0, result.output
        csvs[month] = result.stdout_bytes
    return csvs


def test_a_backup_taken_while_ten_writers_log_sessions_restores_to_one_moment_with_equal_monthly_csvs(
    app, runner, tmp_path, scratch_database
):
    user_id, venue_ids, learner_ids = _alliance()
    backup = tmp_path / f"under-load{BACKUP_SUFFIX}"

    with Writers(app, user_id, venue_ids, learner_ids) as writers:
        writers.wait_until_each_has([2] * WRITERS)
        logged_when_backup_began = list(writers.logged)
        result = runner.invoke(args=["db", "backup", "--out", str(backup)])
        started_when_backup_ended = list(writers.started)
        writers.wait_until_each_has([count + 2 for count in started_when_backup_ended])
    assert not writers.failures, writers.failures
    assert result.exit_code == 0, result.output
    db.session.remove()  # this thread's read transaction began before the writers wrote: start afresh

    url = scratch_database("restore")
    with app_on(url) as restored:
        restore = restored.test_cli_runner().invoke(args=["db", "restore", str(backup)])
        assert restore.exit_code == 0, restore.output
        assert "The figures' self-check found no problems." in restore.output
        at_backup = _sessions_by_writer()
        attendances_per_session = set(
            db.session.scalars(
                select(func.count(Attendance.id))
                .select_from(LearningSession)
                .outerjoin(Attendance, Attendance.session_id == LearningSession.id)
                .group_by(LearningSession.id)
            )
        )
        skills_per_session = set(
            db.session.scalars(
                select(func.count(SkillAchievement.id))
                .select_from(LearningSession)
                .outerjoin(SkillAchievement, SkillAchievement.session_id == LearningSession.id)
                .group_by(LearningSession.id)
            )
        )
        restored_csvs = _monthly_csvs(restored.test_cli_runner())

    moment = [len(at_backup.get(writer, [])) for writer in range(WRITERS)]
    assert attendances_per_session == {ATTENDEES}
    assert skills_per_session == {1}
    for writer in range(WRITERS):
        assert at_backup.get(writer, []) == list(range(moment[writer])), f"writer {writer}: not one moment"
        assert logged_when_backup_began[writer] <= moment[writer] <= started_when_backup_ended[writer]
    assert sum(writers.logged) > sum(moment), "the writers kept writing after the backup"

    coordinator = db.session.get(User, user_id)
    for learning_session in db.session.scalars(select(LearningSession)).all():
        writer, number = map(int, NOTE.fullmatch(learning_session.notes).groups())
        if number >= moment[writer]:
            delete_session(coordinator, learning_session)
    assert _sessions_by_writer() == at_backup
    assert _monthly_csvs(runner) == restored_csvs
    assert all(csv.count(b"\n") > 20 for csv in restored_csvs.values())
