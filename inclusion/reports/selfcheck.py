"""`flask reports check`: every report key recomputed from the base columns and compared; `--repair`.

The base columns are the sessions' dates and venues, the facts' session and learner, and the
learners' merges. Each rule is taken from inclusion/reports/keys.py and applied to the whole
database in a few set-based statements (joins, a GROUP BY, a window function), never row by row.
The figure cache's inputs are checked too: the data_version row, and the triggers that keep
the keys and the version (installed.py). `flask db restore` calls `check_report_keys` as well.
"""

from dataclasses import dataclass, field

from sqlalchemy import case, func, insert, or_, select, text
from sqlalchemy.engine import Connection

from inclusion.audit.services import record_event
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.reports import backfill, keys
from inclusion.reports.installed import Drift, drift, reinstall
from inclusion.reports.models import DataVersion
from inclusion.sessions.models import Attendance, SkillAchievement

SHOWN = 20  # disagreements listed; all are counted (and all repaired)


@dataclass(frozen=True)
class Disagreement:
    table: str
    row_id: int
    column: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return f"{self.table} id {self.row_id} {self.column}: stored {self.stored}, expected {self.expected}"


@dataclass
class KeyCheck:
    """The outcome: `keys_checked` values compared; the first `disagreements` (of `disagreement_count`)."""

    keys_checked: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    disagreement_count: int = 0
    drift: list[Drift] = field(default_factory=list)  # triggers or functions missing or different
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return self.disagreement_count == 0 and not self.drift


def check_report_keys(repair: bool = False, *, acting_user_id: int | None = None) -> KeyCheck:
    """Compare every stored report key with the rules; with `repair`, rewrite the ones that differ.

    The repair is one transaction (writers wait on PostgreSQL while it runs), re-creates missing
    or changed triggers first, is audited, and returns the check as it was before the repair.
    """
    if not repair:
        # Its own connection: a caller's transaction is left alone, and the check writes nothing
        # (its PostgreSQL trigger probes are rolled back).
        with db.engine.connect() as connection:
            try:
                return _check(connection)
            finally:
                connection.rollback()
    with write_transaction():
        _keep_writers_out()
        found = _check(db.session.connection())
        if not found.ok:
            _repair(found)
            found.repaired = True
            record_event(
                "report_keys.repaired",
                user_id=acting_user_id,
                record_type="report_keys",
                details={
                    "keys_checked": found.keys_checked,
                    "disagreements": found.disagreement_count,
                    "first": [str(item) for item in found.disagreements],
                    "triggers": [str(item) for item in found.drift],
                },
            )
    return found


def _keep_writers_out() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        # The skills first: a write to them recomputes learners' levels, so a writer holding them
        # would otherwise wait for learners held here while this waits for it.
        db.session.execute(
            text(
                "LOCK TABLE skills, learning_sessions, learners, attendances, skill_achievements "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
        )


def _check(connection: Connection) -> KeyCheck:
    result = KeyCheck(drift=drift(connection))
    for stored, expected, columns in _comparisons():
        joined = select().select_from(stored).join(expected, expected.c.id == stored.c.id, isouter=True)
        differs = {column: stored.c[column].is_distinct_from(expected.c[column]) for column in columns}
        counts = joined.add_columns(
            func.count(), *(func.coalesce(func.sum(case((test, 1), else_=0)), 0) for test in differs.values())
        )
        rows, *differing = connection.execute(counts).one()
        result.keys_checked += rows * len(columns)
        result.disagreement_count += sum(differing)
        if any(differing):  # read the table a second time only to list what differs
            result.disagreements += _first_differing(connection, joined, stored, expected, columns, differs)
    del result.disagreements[SHOWN:]
    version_row = connection.scalar(select(func.count()).select_from(DataVersion).where(DataVersion.id == 1))
    result.keys_checked += 1
    if not version_row:
        result.disagreements.append(Disagreement("data_version", 1, "version", None, "a row"))
        result.disagreement_count += 1
    return result


def _first_differing(connection, joined, stored, expected, columns, differs) -> list[Disagreement]:
    listed = joined.add_columns(stored.c.id, *(stored.c[c] for c in columns), *(expected.c[c] for c in columns))
    found = []
    for row in connection.execute(listed.where(or_(*differs.values())).order_by(stored.c.id).limit(SHOWN)):
        for index, column in enumerate(columns):
            stored_value, expected_value = row[1 + index], row[1 + len(columns) + index]
            if stored_value != expected_value or (stored_value is None) != (expected_value is None):
                found.append(Disagreement(stored.name, row[0], column, stored_value, expected_value))
    return found


def _comparisons():
    """(stored table, expected rows with an id, the columns compared) for each key."""
    attendances = keys.expected_facts(Attendance).subquery("expected_attendances")
    achievements = keys.expected_facts(SkillAchievement).subquery("expected_achievements")
    copies = (*keys.SESSION_COPIES, "learner_key")
    first_at_venue = keys.FIRST_AT_VENUE
    visits = select(*attendances.c, (keys.first_row_rank(first_at_venue, attendances) == 1).label(first_at_venue.flag))
    yield Attendance.__table__, visits.subquery("expected_visits"), (*copies, first_at_venue.flag)
    firsts = keys.first_attendance_dates(attendances).subquery("firsts")
    first_achievement = keys.FIRST_ACHIEVEMENT
    flagged = select(*achievements.c, (keys.first_row_rank(first_achievement, achievements) == 1).label("is_first"))
    flagged = flagged.subquery("expected_flags")
    learners = select(Learner.id, firsts.c.first.label("first_attended_on")).outerjoin(
        firsts, firsts.c.learner_key == Learner.id
    )
    levels = []
    for level in keys.LEVELS:  # from the first achievements worked out afresh, not the stored flags
        reached = keys.levels_reached(level, flagged).subquery(f"expected_{level.name}")
        learners = learners.add_columns(
            reached.c.reached_on.label(level.reached_on), reached.c.venue_id.label(level.venue)
        ).outerjoin(reached, reached.c.learner_key == Learner.id)
        levels += [level.reached_on, level.venue]
    yield Learner.__table__, learners.subquery("expected_learners"), ("first_attended_on", *levels)
    yield SkillAchievement.__table__, flagged, (*copies, first_achievement.flag)


def _repair(found: KeyCheck) -> None:
    if found.drift:
        reinstall(db.session.connection(), {item.name for item in found.drift})
    if not db.session.scalar(select(func.count()).select_from(DataVersion)):
        db.session.execute(insert(DataVersion).values(id=1, version=0))
    for statement in backfill.statements():
        db.session.execute(statement)
