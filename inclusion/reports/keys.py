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
from inclusion.sessions.constants import FOUNDATION_AREA, LIFE_SKILLS_AREAS
from inclusion.sessions.models import LearningSession, Skill, SkillAchievement

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


@dataclass(frozen=True)
class Level:
    """A "level reached" rule (DESIGN.md, "Outcomes"): kept on the counted learner as `reached_on`, `venue`.

    Of the learner's first achievements (FIRST_ACHIEVEMENT) of the skills in `areas` (framework
    skills only when `framework_only`), each group's first in FIRST_ACHIEVEMENT's order holds that
    group; `group` is the skills' column naming it ("id": every skill is needed; "area": a skill
    in each area is). The level is reached when every group is held, on the session date and at
    the venue of the latest group's first row (latest in that order): the row that completed it.
    NULL when not reached, and for a learner merged away (no achievement counts as them).
    """

    name: str
    areas: tuple[str, ...]
    framework_only: bool
    group: str
    reached_on: str
    venue: str


FOUNDATION = Level("foundation", (FOUNDATION_AREA,), True, "id", "foundation_reached_on", "foundation_reached_venue_id")
LIFE_SKILLS = Level(
    "life_skills", LIFE_SKILLS_AREAS, False, "area", "life_skills_reached_on", "life_skills_reached_venue_id"
)
LEVELS = (FOUNDATION, LIFE_SKILLS)
# The achievement columns a level reads: a change to any of them on a first achievement (or of
# the flag itself) can change the level of the learner it counts as.
LEVEL_INPUTS = ("learner_key", "skill_id", "session_id", "session_date", "venue_id", "is_first")
# The skills columns a level reads: which skills count, and how they group.
LEVEL_SKILL_INPUTS = ("area", "is_local")


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


def level_skills_sql(level: Level, skill: str = "s.") -> str:
    """The skills (row prefix `skill`) that count towards `level`, as a condition."""
    areas = ", ".join(f"'{area}'" for area in level.areas)
    local = f" AND NOT {skill}is_local" if level.framework_only else ""
    return f"{skill}area IN ({areas}){local}"


def level_needed_sql(level: Level) -> str:
    """How many groups make `level`: every skill that counts, or every area."""
    if level.group == "id":
        return f"(SELECT count(*) FROM skills s WHERE {level_skills_sql(level)})"
    return str(len(level.areas))


def level_reached_sql(level: Level, key: str) -> str:
    """(session_date, venue_id) of the row that completed `level` for the learner whose id is `key`; no row if none."""
    order = ", ".join(f"a.{column}" for column in FIRST_ACHIEVEMENT_ORDER)
    latest = ", ".join(f"h.{column} DESC" for column in FIRST_ACHIEVEMENT_ORDER)
    kept = ", ".join(f"a.{column}" for column in ("venue_id", *FIRST_ACHIEVEMENT_ORDER))
    groups = (
        f"SELECT {kept}, row_number() OVER (PARTITION BY s.{level.group} ORDER BY {order}) AS nth "
        f"FROM skill_achievements a JOIN skills s ON s.id = a.skill_id "
        f"WHERE a.learner_key = {key} AND a.is_first AND {level_skills_sql(level)}"
    )
    held = (
        f"SELECT g.venue_id, {', '.join(f'g.{column}' for column in FIRST_ACHIEVEMENT_ORDER)}, "
        f"count(*) OVER () AS held FROM ({groups}) g WHERE g.nth = 1"
    )
    return (
        f"SELECT h.session_date, h.venue_id FROM ({held}) h WHERE h.held = {level_needed_sql(level)} "
        f"ORDER BY {latest} LIMIT 1"
    )


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


def levels_reached(level: Level, achievements) -> Select:
    """(learner_key, reached_on, venue_id): every learner who reached `level`, over `achievements`.

    `achievements`: a table or subquery with the columns of LEVEL_INPUTS and id, whose is_first
    says which rows are first achievements (stored, or worked out afresh by the self-check).
    """
    skills = Skill.__table__
    counts = [skills.c.area.in_(level.areas)]
    if level.framework_only:
        counts.append(skills.c.is_local.is_(False))
    order = [achievements.c[column] for column in FIRST_ACHIEVEMENT_ORDER]
    nth = func.row_number().over(partition_by=[achievements.c.learner_key, skills.c[level.group]], order_by=order)
    kept = [achievements.c[column] for column in ("learner_key", "venue_id", *FIRST_ACHIEVEMENT_ORDER)]
    each = select(*kept, nth.label("nth")).join(skills, skills.c.id == achievements.c.skill_id)
    each = each.where(achievements.c.is_first.is_(True), *counts).subquery(f"{level.name}_groups")
    firsts = [each.c[column] for column in FIRST_ACHIEVEMENT_ORDER]
    ranked = select(
        each.c.learner_key,
        each.c.session_date,
        each.c.venue_id,
        func.count().over(partition_by=each.c.learner_key).label("held"),
        func.row_number()
        .over(partition_by=each.c.learner_key, order_by=[column.desc() for column in firsts])
        .label("latest"),
    ).where(each.c.nth == 1)
    ranked = ranked.subquery(f"{level.name}_ranked")
    if level.group == "id":
        needed = select(func.count()).select_from(skills).where(*counts).scalar_subquery()
    else:
        needed = len(level.areas)
    return select(
        ranked.c.learner_key, ranked.c.session_date.label("reached_on"), ranked.c.venue_id.label("venue_id")
    ).where(ranked.c.latest == 1, ranked.c.held == needed)


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


def levels_by_learner(level: Level, achievements: Iterable[dict], skills: dict[int, tuple[str, bool]]) -> dict:
    """{learner_key: (reached_on, venue_id)} over planned achievement rows whose is_first is marked.

    Rows in insertion (= id) order; `skills`: every skill's (area, is_local), retired ones included.
    """
    counts = {
        skill_id: area if level.group == "area" else skill_id
        for skill_id, (area, is_local) in skills.items()
        if area in level.areas and not (level.framework_only and is_local)
    }
    needed = len(counts) if level.group == "id" else len(level.areas)
    firsts: dict[int, dict[object, tuple]] = {}
    for position, row in enumerate(achievements):
        if not row["is_first"] or row["skill_id"] not in counts:
            continue
        order = tuple(position if column == "id" else row[column] for column in FIRST_ACHIEVEMENT_ORDER)
        held = firsts.setdefault(row["learner_key"], {})
        group = counts[row["skill_id"]]
        if group not in held or order < held[group][0]:
            held[group] = (order, row["session_date"], row["venue_id"])
    reached = {}
    for key, held in firsts.items():
        if len(held) == needed:
            _order, reached_on, venue_id = max(held.values(), key=lambda value: value[0])
            reached[key] = (reached_on, venue_id)
    return reached


def first_attendance_by_learner(attendances: Iterable[dict]) -> dict[int, object]:
    """{learner_key: first date} over planned attendance rows."""
    firsts: dict[int, object] = {}
    for row in attendances:
        day = row[FIRST_ATTENDANCE_OF]
        key = row["learner_key"]
        if key not in firsts or day < firsts[key]:
            firsts[key] = day
    return firsts
