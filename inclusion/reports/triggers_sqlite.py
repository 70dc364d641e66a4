"""The report-key rules (inclusion/reports/keys.py) as SQLite row triggers.

SQLite has row triggers only and one writer at a time: each trigger recomputes the one learner
or (learner, skill) pair its row touches, writing only values that change.
"""

# ruff: noqa: S608  (SQL is built from this package's own constant table and column names, never input)

from inclusion.reports.keys import (
    FACT_TABLES,
    FIRST_ATTENDANCE_OF,
    FIRST_ROWS,
    MERGED_INTO,
    SESSION_COPIES,
    FirstRow,
    first_attendance_sql,
    first_row_id_sql,
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
