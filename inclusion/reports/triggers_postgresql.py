"""The report-key rules (inclusion/reports/keys.py) as PostgreSQL triggers and plpgsql functions.

The facts' copies are filled BEFORE each row is written, reading the session FOR SHARE and the
learner FOR KEY SHARE, so a session re-dated or a learner merged by another transaction at the
same moment waits for this row (or this row for it). First dates and first achievements are
recomputed once per statement over its transition table (a COPY of 500,000 rows is one UPDATE),
locking the learners concerned in id order before computing from what is committed: two writers
of the same learner take turns, and the second counts the first's rows (docs/report-keys.md).
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
from inclusion.reports.triggers import DbObject, function, trigger

# A statement trigger per kind of write, with the rows it wrote as transition tables: "added" (new
# rows), "removed" (old rows), "moved" (both, for an update).
STATEMENT_EVENTS = {
    "added": ("INSERT", "NEW TABLE AS added"),
    "removed": ("DELETE", "OLD TABLE AS removed"),
    "moved": ("UPDATE", "OLD TABLE AS removed NEW TABLE AS added"),
}


def _statement_trigger(name: str, table: str, suffix: str, function_name: str) -> DbObject:
    event, tables = STATEMENT_EVENTS[suffix]
    return trigger(
        name,
        table,
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function_name}()",
    )


def _statement_triggers(prefix: str, table: str, function_prefix: str) -> list[DbObject]:
    """`prefix`_added, _removed and _moved on `table`, each running `function_prefix` with the same suffix."""
    return [
        _statement_trigger(f"{prefix}_{suffix}", table, suffix, f"{function_prefix}_{suffix}")
        for suffix in STATEMENT_EVENTS
    ]


def report_keys() -> list[DbObject]:
    columns = ", ".join(f"s.{column}" for column in SESSION_COPIES)
    targets = ", ".join(f"NEW.{column}" for column in SESSION_COPIES)
    session_values = ", ".join(f"{column} = NEW.{column}" for column in SESSION_COPIES)
    objects = [
        function(
            "fill_report_keys",
            f"SELECT {columns} INTO {targets} FROM learning_sessions s WHERE s.id = NEW.session_id FOR SHARE; "
            f"SELECT {learner_key_sql('l.')} INTO NEW.learner_key FROM learners l WHERE l.id = NEW.learner_id "
            "FOR KEY SHARE; RETURN NEW;",
        ),
        function(
            "copy_session_keys",
            " ".join(f"UPDATE {table} SET {session_values} WHERE session_id = NEW.id;" for table in FACT_TABLES)
            + " RETURN NULL;",
        ),
        function(
            "copy_learner_key",
            " ".join(
                f"UPDATE {table} SET learner_key = {learner_key_sql('NEW.')} WHERE learner_id = NEW.id;"
                for table in FACT_TABLES
            )
            + " RETURN NULL;",
        ),
    ]
    # Not on an update of a "first" flag alone: the keys read only these columns.
    key_inputs = ", ".join(("session_id", "learner_id", *SESSION_COPIES, "learner_key"))
    for table in FACT_TABLES:
        objects.append(
            trigger(
                f"{table}_report_keys",
                table,
                f"CREATE TRIGGER {table}_report_keys BEFORE INSERT OR UPDATE OF {key_inputs} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION fill_report_keys()",
            )
        )
    moved = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in SESSION_COPIES)
    objects.append(
        trigger(
            "learning_sessions_report_keys",
            "learning_sessions",
            "CREATE TRIGGER learning_sessions_report_keys AFTER UPDATE ON learning_sessions FOR EACH ROW "
            f"WHEN ({moved}) EXECUTE FUNCTION copy_session_keys()",
        )
    )
    objects.append(
        trigger(
            "learners_report_keys",
            "learners",
            "CREATE TRIGGER learners_report_keys AFTER UPDATE ON learners FOR EACH ROW "
            f"WHEN (OLD.{MERGED_INTO} IS DISTINCT FROM NEW.{MERGED_INTO}) EXECUTE FUNCTION copy_learner_key()",
        )
    )
    return objects


def _refresh_first_dates(keys: str) -> str:
    """Recompute the first date of the learners whose ids `keys` selects (as `key`), writing only changes.

    Every one of those learner rows is locked first, in id order, and the dates are computed by
    the next statement, which sees everything committed by then: two transactions changing the
    same learner's attendances at once take turns (in the same order, so they cannot deadlock
    over these rows), and the second counts the first's attendances.
    """
    firsts = f"(SELECT k.key, {first_attendance_sql('k.key')} AS first FROM ({keys}) k) f"
    return (
        f"PERFORM 1 FROM learners WHERE id IN (SELECT key FROM ({keys}) k) ORDER BY id FOR NO KEY UPDATE; "
        f"UPDATE learners l SET first_attended_on = f.first FROM {firsts} "
        "WHERE l.id = f.key AND l.first_attended_on IS DISTINCT FROM f.first"
    )


def _moved_learners() -> str:
    """The learners (before and after) of the attendances an UPDATE gave another learner or date."""
    columns = ("learner_key", FIRST_ATTENDANCE_OF)
    changed = f"({', '.join(f'r.{c}' for c in columns)}) IS DISTINCT FROM ({', '.join(f'a.{c}' for c in columns)})"
    return (
        f"SELECT r.learner_key AS key FROM removed r JOIN added a ON a.id = r.id WHERE {changed} "
        f"UNION SELECT a.learner_key FROM removed r JOIN added a ON a.id = r.id WHERE {changed}"
    )


def first_attendances() -> list[DbObject]:
    objects = []
    for name, keys in (
        ("refresh_first_attendance_added", "SELECT DISTINCT learner_key AS key FROM added"),
        ("refresh_first_attendance_removed", "SELECT DISTINCT learner_key AS key FROM removed"),
        ("refresh_first_attendance_moved", _moved_learners()),
    ):
        body = f"{_refresh_first_dates(keys)};"
        if name.endswith("moved"):  # most updates (the first-at-venue flags) move no date: stop there
            body = f"IF EXISTS ({keys}) THEN {body} END IF;"
        objects.append(function(name, f"{body} RETURN NULL;"))
    objects += _statement_triggers("attendances_first", "attendances", "refresh_first_attendance")
    return objects


def _refresh_pairs(rule: FirstRow, pairs: str) -> str:
    """Set `rule.flag` right on every row of the partitions `pairs` selects.

    The learners of those partitions are locked first, in id order (as for first dates), and the
    flags computed by the next statement, which sees everything committed by then: a partition
    never ends with two first rows or none.

    `OFFSET 0` keeps the first row's id worked out once per partition: without it the planner
    pulls the subquery up and works it out again for every row of the partition it updates, which
    is quadratic in the partition (a regular's hundred attendances at one venue: 10,000 sorts).
    """
    pair = ", ".join(f"p.{column}" for column in rule.partition)
    match = " AND ".join(f"s.{column} = f.{column}" for column in rule.partition)
    return (
        f"PERFORM 1 FROM learners WHERE id IN (SELECT learner_key FROM ({pairs}) k) ORDER BY id FOR NO KEY UPDATE; "
        f"UPDATE {rule.table} s SET {rule.flag} = (s.id = f.first_id) FROM ("
        f"SELECT {pair}, {first_row_id_sql(rule, 'p.')} AS first_id FROM ({pairs}) p OFFSET 0) f "
        f"WHERE {match} AND s.{rule.flag} IS DISTINCT FROM (s.id = f.first_id)"
    )


def _moved_pairs(rule: FirstRow) -> str:
    """The partitions of rows an UPDATE moved (its partition or its place in the order changed), before and after.

    The triggers' own UPDATE of the flag moves none, so it ends there rather than firing again.
    """
    columns = rule.partition + tuple(c for c in rule.order if c != "id")
    changed = f"({', '.join(f'r.{c}' for c in columns)}) IS DISTINCT FROM ({', '.join(f'a.{c}' for c in columns)})"
    before = ", ".join(f"r.{c}" for c in rule.partition)
    after = ", ".join(f"a.{c}" for c in rule.partition)
    return (
        f"SELECT {before} FROM removed r JOIN added a ON a.id = r.id WHERE {changed} "
        f"UNION SELECT {after} FROM removed r JOIN added a ON a.id = r.id WHERE {changed}"
    )


def first_rows() -> list[DbObject]:
    """The "first" flags (keys.FIRST_ROWS): the first achievement of a skill, the first attendance at a venue."""
    return [item for rule in FIRST_ROWS for item in _first_row(rule)]


def _first_row(rule: FirstRow) -> list[DbObject]:
    pair = ", ".join(rule.partition)
    moved = _moved_pairs(rule)
    refresh = rule.function_prefix
    objects = [
        function(f"{refresh}_added", f"{_refresh_pairs(rule, f'SELECT DISTINCT {pair} FROM added')}; RETURN NULL;"),
        function(f"{refresh}_removed", f"{_refresh_pairs(rule, f'SELECT DISTINCT {pair} FROM removed')}; RETURN NULL;"),
        function(f"{refresh}_moved", f"IF EXISTS ({moved}) THEN {_refresh_pairs(rule, moved)}; END IF; RETURN NULL;"),
    ]
    objects += _statement_triggers(rule.trigger_prefix, rule.table, refresh)
    return objects


def _refresh_levels(keys: str) -> str:
    """Set every level right for the learners whose ids `keys` selects (as `key`), writing only changes.

    The learners are locked first, in id order, as for first dates (the same learners the
    statement's other triggers lock), and the levels computed by the next statement, which sees
    everything committed by then.
    """
    kept = [column for level in LEVELS for column in (level.reached_on, level.venue)]
    reached = " ".join(
        f"LEFT JOIN LATERAL ({level_reached_sql(level, 'k.key')}) r{number} ON true"
        for number, level in enumerate(LEVELS)
    )
    found = ", ".join(
        f"r{number}.{column} AS {name}"
        for number, level in enumerate(LEVELS)
        for column, name in (("session_date", level.reached_on), ("venue_id", level.venue))
    )
    stored = ", ".join(f"l.{column}" for column in kept)
    worked_out = ", ".join(f"f.{column}" for column in kept)
    return (
        f"PERFORM 1 FROM learners WHERE id IN (SELECT key FROM ({keys}) k) ORDER BY id FOR NO KEY UPDATE; "
        f"UPDATE learners l SET {', '.join(f'{column} = f.{column}' for column in kept)} "
        f"FROM (SELECT k.key, {found} FROM (SELECT DISTINCT key FROM ({keys}) d) k {reached}) f "
        f"WHERE l.id = f.key AND ({stored}) IS DISTINCT FROM ({worked_out})"
    )


def _moved_firsts() -> str:
    """The learners (before and after) of first achievements an UPDATE changed in a way a level reads.

    The level triggers' own writes are to learners, and most updates of achievements (a flag
    set false, a row that is no first) change no level: those end here.
    """
    changed = (
        f"({', '.join(f'r.{c}' for c in LEVEL_INPUTS)}) IS DISTINCT FROM ({', '.join(f'a.{c}' for c in LEVEL_INPUTS)})"
    )
    moved = f"FROM removed r JOIN added a ON a.id = r.id WHERE {changed} AND (r.is_first OR a.is_first)"
    return f"SELECT r.learner_key AS key {moved} UNION SELECT a.learner_key {moved}"


def levels() -> list[DbObject]:
    """The skills levels reached (keys.LEVELS), kept on the learner counted, once per statement.

    Only first achievements bear on a level. The "first" triggers (which fire before these, by
    name) set the flags with an UPDATE of their own, which fires the moved trigger here: a level
    is worked out again once the flags it reads have settled.
    """
    table = "skill_achievements"
    moved = _moved_firsts()
    everyone = "SELECT DISTINCT learner_key AS key FROM skill_achievements WHERE is_first"
    needed = " OR ".join(level_skills_sql(level, "c.") for level in LEVELS if level.group == "id")
    counted = " OR ".join(f"({level_skills_sql(level, 'c.')})" for level in LEVELS)
    changed = (
        f"({', '.join(f'r.{c}' for c in LEVEL_SKILL_INPUTS)}) IS DISTINCT FROM "
        f"({', '.join(f'a.{c}' for c in LEVEL_SKILL_INPUTS)})"
    )
    objects = [
        function(
            "refresh_levels_added",
            f"{_refresh_levels('SELECT learner_key AS key FROM added WHERE is_first')}; RETURN NULL;",
        ),
        function(
            "refresh_levels_removed",
            f"{_refresh_levels('SELECT learner_key AS key FROM removed WHERE is_first')}; RETURN NULL;",
        ),
        function("refresh_levels_moved", f"IF EXISTS ({moved}) THEN {_refresh_levels(moved)}; END IF; RETURN NULL;"),
    ]
    # A skill that counts added or removed changes how many a level needs; a skill moved to
    # another area or made local, which skills count: every learner with a first achievement is
    # worked out again (rare: the framework's skills change with a migration, not daily).
    for suffix, skills in (
        ("added", f"SELECT 1 FROM added c WHERE {needed}"),
        ("removed", f"SELECT 1 FROM removed c WHERE {needed}"),
        (
            "moved",
            "SELECT 1 FROM removed r JOIN added a ON a.id = r.id CROSS JOIN LATERAL "
            f"(SELECT r.area, r.is_local UNION ALL SELECT a.area, a.is_local) c WHERE {changed} AND ({counted})",
        ),
    ):
        objects.append(
            function(
                f"refresh_levels_skills_{suffix}",
                f"IF EXISTS ({skills}) THEN {_refresh_levels(everyone)}; END IF; RETURN NULL;",
            )
        )
    for suffix in STATEMENT_EVENTS:
        objects.append(_statement_trigger(f"{table}_levels_{suffix}", table, suffix, f"refresh_levels_{suffix}"))
        objects.append(
            _statement_trigger(f"skills_levels_{suffix}", "skills", suffix, f"refresh_levels_skills_{suffix}")
        )
    return objects
