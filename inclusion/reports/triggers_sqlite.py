"""The report-key rules (inclusion/reports/keys.py) as SQLite row triggers.

SQLite has row triggers only and one writer at a time: each trigger recomputes the one learner
or (learner, skill) pair its row touches, writing only values that change.
"""

# ruff: noqa: S608  (SQL is built from this package's own constant table and column names, never input)

from inclusion.reports.keys import (
    FACT_TABLES,
    FIRST_ATTENDANCE_OF,
    FIRST_ROWS,
    LEVEL_INPUTS,
    LEVEL_SKILL_INPUTS,
    LEVELS,
    MERGED_INTO,
    SESSION_COPIES,
    FirstRow,
    first_attendance_sql,
    first_row_id_sql,
    learner_key_sql,
    level_reached_sql,
    level_skills_sql,
)
from inclusion.reports.triggers import DbObject, trigger


def report_keys() -> list[DbObject]:
    objects = []
    copied = {
        column: f"(SELECT {column} FROM learning_sessions WHERE id = NEW.session_id)" for column in SESSION_COPIES
    }
    learner_key = f"(SELECT {learner_key_sql()} FROM learners WHERE id = NEW.learner_id)"
    for table in FACT_TABLES:
        # Only when a copy is wrong: a bulk loader that writes the right values pays no UPDATE.
        stale = " OR ".join(
            [f"NEW.{column} IS NOT {value}" for column, value in copied.items()]
            + [f"NEW.learner_key IS NOT {learner_key}"]
        )
        values = ", ".join(
            [f"{column} = {value}" for column, value in copied.items()] + [f"learner_key = {learner_key}"]
        )
        for event in ("INSERT", "UPDATE"):
            name = f"{table}_report_keys_{event.lower()}"
            objects.append(
                trigger(
                    name,
                    table,
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                    f"WHEN {stale} BEGIN UPDATE {table} SET {values} WHERE id = NEW.id; END",
                )
            )
    session_values = ", ".join(f"{column} = NEW.{column}" for column in SESSION_COPIES)
    copies = " ".join(f"UPDATE {table} SET {session_values} WHERE session_id = NEW.id;" for table in FACT_TABLES)
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in SESSION_COPIES)
    objects.append(
        trigger(
            "learning_sessions_report_keys",
            "learning_sessions",
            f"CREATE TRIGGER learning_sessions_report_keys AFTER UPDATE OF {', '.join(SESSION_COPIES)} "
            f"ON learning_sessions WHEN {changed} BEGIN {copies} END",
        )
    )
    keys = " ".join(
        f"UPDATE {table} SET learner_key = {learner_key_sql('NEW.')} WHERE learner_id = NEW.id;"
        for table in FACT_TABLES
    )
    objects.append(
        trigger(
            "learners_report_keys",
            "learners",
            f"CREATE TRIGGER learners_report_keys AFTER UPDATE OF {MERGED_INTO} ON learners "
            f"WHEN OLD.{MERGED_INTO} IS NOT NEW.{MERGED_INTO} BEGIN {keys} END",
        )
    )
    return objects


def first_attendances() -> list[DbObject]:
    def refresh(key: str) -> str:
        first = first_attendance_sql(key)
        return f"UPDATE learners SET first_attended_on = {first} WHERE id = {key} AND first_attended_on IS NOT {first};"

    day = f"NEW.{FIRST_ATTENDANCE_OF}"
    return [
        # An insert can only bring the date forward: no search of the learner's other attendances.
        trigger(
            "attendances_first_added",
            "attendances",
            "CREATE TRIGGER attendances_first_added AFTER INSERT ON attendances WHEN NEW.learner_key IS NOT NULL "
            f"BEGIN UPDATE learners SET first_attended_on = {day} WHERE id = NEW.learner_key "
            f"AND (first_attended_on IS NULL OR first_attended_on > {day}); END",
        ),
        trigger(
            "attendances_first_removed",
            "attendances",
            "CREATE TRIGGER attendances_first_removed AFTER DELETE ON attendances "
            f"BEGIN {refresh('OLD.learner_key')} END",
        ),
        trigger(
            "attendances_first_moved",
            "attendances",
            f"CREATE TRIGGER attendances_first_moved AFTER UPDATE OF learner_key, {FIRST_ATTENDANCE_OF} ON attendances "
            f"BEGIN {refresh('OLD.learner_key')} {refresh('NEW.learner_key')} END",
        ),
    ]


def first_rows() -> list[DbObject]:
    """The "first" flags (keys.FIRST_ROWS): the first achievement of a skill, the first attendance at a venue."""
    return [item for rule in FIRST_ROWS for item in _first_row(rule)]


def _first_row(rule: FirstRow) -> list[DbObject]:
    table, flag, prefix = rule.table, rule.flag, rule.trigger_prefix

    def refresh(row: str) -> str:
        first = first_row_id_sql(rule, f"{row}.")
        pair = " AND ".join(f"{column} = {row}.{column}" for column in rule.partition)
        return f"UPDATE {table} SET {flag} = (id = {first}) WHERE {pair} AND {flag} IS NOT (id = {first});"

    return [
        trigger(
            f"{prefix}_added",
            table,
            f"CREATE TRIGGER {prefix}_added AFTER INSERT ON {table} "
            f"WHEN NEW.learner_key IS NOT NULL BEGIN {refresh('NEW')} END",
        ),
        trigger(
            f"{prefix}_removed",
            table,
            f"CREATE TRIGGER {prefix}_removed AFTER DELETE ON {table} BEGIN {refresh('OLD')} END",
        ),
        trigger(
            f"{prefix}_moved",
            table,
            f"CREATE TRIGGER {prefix}_moved AFTER UPDATE OF {', '.join(rule.moves)} ON {table} "
            f"BEGIN {refresh('OLD')} {refresh('NEW')} END",
        ),
    ]


def _refresh_levels(key: str, *, row: str | None = None, learners: str | None = None, unless: str = "") -> str:
    """Set every level right for the learner whose id is `key` (or, with `learners`, for each learner it selects).

    `row` ("NEW" or "OLD"): only the levels its skill counts towards (a row of any other skill
    leaves a level as it was: half the work for a row of one level's skills). `unless`: a
    condition under which there is nothing to do (that learner and skill were just worked out).
    """
    statements = []
    for level in LEVELS:
        kept = f"({level.reached_on}, {level.venue})"
        reached = f"({level_reached_sql(level, key)})"
        which = f"id = {key}" if learners is None else f"id IN ({learners})"
        if row is not None:
            which += f" AND EXISTS (SELECT 1 FROM skills s WHERE s.id = {row}.skill_id AND {level_skills_sql(level)})"
        if unless:
            which += f" AND NOT ({unless})"
        statements.append(f"UPDATE learners SET {kept} = {reached} WHERE {which} AND {kept} IS NOT {reached};")
    return " ".join(statements)


def levels() -> list[DbObject]:
    """The skills levels reached (keys.LEVELS), kept on the learner counted.

    Only a first achievement's row bears on a level, so the triggers fire for rows flagged
    is_first before or after; the "first" triggers' own updates of the flag fire them too, so a
    level is worked out again once the flags it reads have settled.
    """
    table = "skill_achievements"
    first = "OLD.is_first OR NEW.is_first"
    same = "NEW.learner_key IS OLD.learner_key AND NEW.skill_id IS OLD.skill_id"
    counted = " OR ".join(f"({level_skills_sql(level, f'{row}.')})" for level in LEVELS for row in ("NEW", "OLD"))
    everyone = "SELECT learner_key FROM skill_achievements WHERE is_first"
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in LEVEL_SKILL_INPUTS)
    needed = " OR ".join(f"({level_skills_sql(level, '{row}.')})" for level in LEVELS if level.group == "id")
    return [
        trigger(
            f"{table}_levels_added",
            table,
            f"CREATE TRIGGER {table}_levels_added AFTER INSERT ON {table} WHEN NEW.is_first "
            f"BEGIN {_refresh_levels('NEW.learner_key', row='NEW')} END",
        ),
        trigger(
            f"{table}_levels_removed",
            table,
            f"CREATE TRIGGER {table}_levels_removed AFTER DELETE ON {table} WHEN OLD.is_first "
            f"BEGIN {_refresh_levels('OLD.learner_key', row='OLD')} END",
        ),
        trigger(
            f"{table}_levels_moved",
            table,
            f"CREATE TRIGGER {table}_levels_moved AFTER UPDATE OF {', '.join(LEVEL_INPUTS)} ON {table} "
            f"WHEN {first} BEGIN {_refresh_levels('OLD.learner_key', row='OLD')} "
            f"{_refresh_levels('NEW.learner_key', row='NEW', unless=same)} END",
        ),
        # A skill that counts added or removed changes how many a level needs; a skill moved to
        # another area or made local, which skills count. Every learner with a first achievement
        # is worked out again (rare: the framework's skills change with a migration, not daily).
        trigger(
            "skills_levels_added",
            "skills",
            f"CREATE TRIGGER skills_levels_added AFTER INSERT ON skills WHEN {needed.format(row='NEW')} "
            f"BEGIN {_refresh_levels('learners.id', learners=everyone)} END",
        ),
        trigger(
            "skills_levels_removed",
            "skills",
            f"CREATE TRIGGER skills_levels_removed AFTER DELETE ON skills WHEN {needed.format(row='OLD')} "
            f"BEGIN {_refresh_levels('learners.id', learners=everyone)} END",
        ),
        trigger(
            "skills_levels_moved",
            "skills",
            f"CREATE TRIGGER skills_levels_moved AFTER UPDATE OF {', '.join(LEVEL_SKILL_INPUTS)} ON skills "
            f"WHEN ({changed}) AND ({counted}) BEGIN {_refresh_levels('learners.id', learners=everyone)} END",
        ),
    ]
