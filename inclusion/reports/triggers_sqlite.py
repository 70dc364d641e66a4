"""The report-key rules (inclusion/reports/keys.py) as SQLite row triggers.

SQLite has row triggers only and one writer at a time: each trigger recomputes the one learner
or (learner, skill) pair its row touches, writing only values that change.
"""

# ruff: noqa: S608  (SQL is built from this package's own constant table and column names, never input)

from inclusion.reports.keys import (
    ACHIEVEMENT_MOVES,
    FACT_TABLES,
    FIRST_ACHIEVEMENT_PARTITION,
    FIRST_ATTENDANCE_OF,
    MERGED_INTO,
    SESSION_COPIES,
    first_achievement_id_sql,
    first_attendance_sql,
    learner_key_sql,
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


def first_achievements() -> list[DbObject]:
    def refresh(row: str) -> str:
        first = first_achievement_id_sql(f"{row}.")
        pair = " AND ".join(f"{column} = {row}.{column}" for column in FIRST_ACHIEVEMENT_PARTITION)
        return (
            f"UPDATE skill_achievements SET is_first = (id = {first}) WHERE {pair} AND is_first IS NOT (id = {first});"
        )

    table = "skill_achievements"
    return [
        trigger(
            f"{table}_first_added",
            table,
            f"CREATE TRIGGER {table}_first_added AFTER INSERT ON {table} "
            f"WHEN NEW.learner_key IS NOT NULL BEGIN {refresh('NEW')} END",
        ),
        trigger(
            f"{table}_first_removed",
            table,
            f"CREATE TRIGGER {table}_first_removed AFTER DELETE ON {table} BEGIN {refresh('OLD')} END",
        ),
        trigger(
            f"{table}_first_moved",
            table,
            f"CREATE TRIGGER {table}_first_moved AFTER UPDATE OF {', '.join(ACHIEVEMENT_MOVES)} ON {table} "
            f"BEGIN {refresh('OLD')} {refresh('NEW')} END",
        ),
    ]
