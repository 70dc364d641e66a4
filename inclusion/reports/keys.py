"""The counting rules behind the report keys, each defined once (docs/report-keys.md).

Every rule is a small spec here, and everything that applies a rule is rendered from it:
the SQLite and PostgreSQL triggers (inclusion/reports/triggers.py, snapshotted into a migration),
the set-based recomputation that `flask reports check` compares with and `--repair` writes
(inclusion/reports/selfcheck.py), `flask demo generate` (which writes the keys itself) and the
learner page's "first gained". Change a rule here and the test suite says what must follow.
"""

# ruff: noqa: S608  (SQL is built from this package's own constant table and column names, never input)

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.sql import ColumnElement

from inclusion.learners.models import Learner
from inclusion.sessions.models import LearningSession, SkillAchievement

# The fact tables: one row per learner at a session (an attendance, a skill shown there).
FACT_TABLES = ("attendances", "skill_achievements")

# "Session date and venue of a fact": each fact carries a copy of these columns of its session.
SESSION_COPIES = ("session_date", "venue_id")

# "Counts as the record it was merged into": a fact's learner_key is its learner's merged_into_id,
# or the learner's own id when they were not merged away.
MERGED_INTO = "merged_into_id"

# "First attendance": a learner's first_attended_on is the earliest session date of the
# attendances whose learner_key is that learner (NULL with none).
FIRST_ATTENDANCE_OF = "session_date"


@dataclass(frozen=True)
class FirstRow:
    """A "first" rule: in each `partition` of `table`'s rows, exactly one row has `flag` set, the first in `order`.

    `moves`: the columns whose change can move which row is first (its partition or its place in
    the order). `trigger_prefix` and `function_prefix` name the triggers and functions that keep it.
    """

    table: str
    flag: str
    partition: tuple[str, ...]
    order: tuple[str, ...]
    moves: tuple[str, ...]
    trigger_prefix: str
    function_prefix: str


# "First achievement of a skill": in each (learner_key, skill_id), exactly one row is_first, the
# first in this order (session date, then session id, then the achievement's own id).
FIRST_ACHIEVEMENT = FirstRow(
    table="skill_achievements",
    flag="is_first",
    partition=("learner_key", "skill_id"),
    order=("session_date", "session_id", "id"),
    moves=("learner_id", "learner_key", "skill_id", "session_id", "session_date"),
    trigger_prefix="skill_achievements_first",
    function_prefix="refresh_first_skills",
)
# "First attendance at a venue": in each (learner_key, venue_id), exactly one attendance is
# is_first_at_venue, in the same order. Adults helped to date at a place are then the flagged rows
# there (one per learner and venue), not every attendance in its history (issue 19, part 4).
FIRST_AT_VENUE = FirstRow(
    table="attendances",
    flag="is_first_at_venue",
    partition=("learner_key", "venue_id"),
    order=("session_date", "session_id", "id"),
    moves=("learner_id", "learner_key", "venue_id", "session_id", "session_date"),
    trigger_prefix="attendances_first_at_venue",
    function_prefix="refresh_first_at_venue",
)
FIRST_ROWS = (FIRST_ACHIEVEMENT, FIRST_AT_VENUE)

# Kept under their first names: the first achievement's partition and order.
FIRST_ACHIEVEMENT_PARTITION = FIRST_ACHIEVEMENT.partition
FIRST_ACHIEVEMENT_ORDER = FIRST_ACHIEVEMENT.order
ACHIEVEMENT_MOVES = FIRST_ACHIEVEMENT.moves


# --- The rules as SQL text (for the triggers: `row` is a prefix such as "NEW." or "l.") ---


def learner_key_sql(row: str = "") -> str:
    return f"coalesce({row}{MERGED_INTO}, {row}id)"


def first_attendance_sql(key: str) -> str:
    """The first attendance date of the learner whose id is the SQL expression `key`."""
    return f"(SELECT min(a.{FIRST_ATTENDANCE_OF}) FROM attendances a WHERE a.learner_key = {key})"


def first_row_id_sql(rule: FirstRow, pair: str) -> str:
    """The id of the first row of `rule`'s partition that row prefix `pair` names."""
    match = " AND ".join(f"o.{column} = {pair}{column}" for column in rule.partition)
    order = ", ".join(f"o.{column}" for column in rule.order)
    return f"(SELECT o.id FROM {rule.table} o WHERE {match} ORDER BY {order} LIMIT 1)"


# --- The rules as SQLAlchemy expressions (set-based: the self-check, the learner page) ---


def learner_key_of(learner) -> ColumnElement:
    """`learner`: a learners table, alias or the Learner class."""
    return func.coalesce(getattr(learner, MERGED_INTO), learner.id)


def expected_facts(model) -> Select:
    """Every row of a fact table with its report keys worked out afresh from the base columns.

    (id, learner_id, session_id, [skill_id,] session_date, venue_id, learner_key): the copies from
    its session, and the record its learner counts as.
    """
    columns = [model.id, model.learner_id, model.session_id]
    if hasattr(model, "skill_id"):
        columns.append(model.skill_id)
    copies = [getattr(LearningSession, column).label(column) for column in SESSION_COPIES]
    return (
        select(*columns, *copies, learner_key_of(Learner).label("learner_key"))
        .join(LearningSession, LearningSession.id == model.session_id)
        .join(Learner, Learner.id == model.learner_id)
    )


def first_attendance_dates(attendances) -> Select:
    """(learner_key, first) for every learner with an attendance counted as them, over `attendances`."""
    day = getattr(attendances.c, FIRST_ATTENDANCE_OF)
    return select(attendances.c.learner_key, func.min(day).label("first")).group_by(attendances.c.learner_key)


def first_attendance_of(attendances, learner_id: ColumnElement) -> ColumnElement:
    """The first attendance date of the learner `learner_id` (a correlated column), over `attendances`."""
    day = getattr(attendances.c, FIRST_ATTENDANCE_OF)
    return select(func.min(day)).where(attendances.c.learner_key == learner_id).scalar_subquery()


def first_row_rank(rule: FirstRow, rows) -> ColumnElement:
    """1 on the first row of each of `rule`'s partitions among `rows` (a table or subquery)."""
    return func.row_number().over(
        partition_by=[getattr(rows.c, column) for column in rule.partition],
        order_by=[getattr(rows.c, column) for column in rule.order],
    )


def first_achievements_of(learner_key: int) -> Select:
    """(skill_id, session_date, session_id) of each skill's first achievement by the counted learner.

    The rows the skills figures count (is_first), so the learner page credits each skill to the
    same session as the funder CSV does.
    """
    return (
        select(SkillAchievement.skill_id, SkillAchievement.session_date, SkillAchievement.session_id)
        .where(SkillAchievement.learner_key == learner_key, SkillAchievement.is_first.is_(True))
        .order_by(*(getattr(SkillAchievement, column) for column in FIRST_ACHIEVEMENT_ORDER))
    )


# --- The rules in Python, for rows planned before they are written (`flask demo generate`) ---


def mark_first_rows(rule: FirstRow, rows: Iterable[dict]) -> None:
    """Set each row's `rule.flag`; rows in the order they will be inserted (their ids' order)."""
    rows = list(rows)
    first: dict[tuple, tuple] = {}
    for position, row in enumerate(rows):
        pair = tuple(row[column] for column in rule.partition)
        order = tuple(position if column == "id" else row[column] for column in rule.order)
        if pair not in first or order < first[pair]:
            first[pair] = order
    for position, row in enumerate(rows):
        pair = tuple(row[column] for column in rule.partition)
        order = tuple(position if column == "id" else row[column] for column in rule.order)
        row[rule.flag] = order == first[pair]


def first_attendance_by_learner(attendances: Iterable[dict]) -> dict[int, object]:
    """{learner_key: first date} over planned attendance rows."""
    firsts: dict[int, object] = {}
    for row in attendances:
        day = row[FIRST_ATTENDANCE_OF]
        key = row["learner_key"]
        if key not in firsts or day < firsts[key]:
            firsts[key] = day
    return firsts
