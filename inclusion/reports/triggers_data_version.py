"""The figure cache's invalidation, rendered for each dialect: every write to a figure table changes the
data version and records how far back it reaches (inclusion/reports/reach.py).

Two tables take the change. `data_version` (one row per writer at once on PostgreSQL, so writers
never queue) gets a new random version on every write that can change a figure: "something
changed". `data_version_months` gets a new random version under (that writer's row, the first of
the month the write reaches back to): a figure of a period is kept while no such row for a month up
to the period's end has changed (inclusion/reports/cache.py).
"""

# ruff: noqa: S608  (SQL is built from this package's own constant table and column names, never input)

from inclusion.reports.figure_tables import FIGURE_TABLES
from inclusion.reports.reach import (
    ALL_OF_HISTORY,
    LEARNER_KEY_COLUMNS,
    LEARNER_KEY_DATES,
    REACH,
    learner_columns_reaching_all_of_history,
)
from inclusion.reports.triggers import RANDOM, DbObject, function, trigger
from inclusion.reports.triggers_postgresql import STATEMENT_EVENTS, _statement_trigger

LEAST = {"postgresql": "least", "sqlite": "min"}
NEVER = "9999-12-31"  # stands in for "no day" where SQLite's min() would return NULL for any NULL


def _reach_of(table: str, row: str, dialect: str) -> str:
    rule = REACH[table]
    return rule.format(row=row, least=LEAST[dialect]) if rule else f"'{ALL_OF_HISTORY}'"


def _changed_learner_keys(old: str | None, new: str, dialect: str) -> str:
    """The earliest day among the report-key dates that a learner row's write changed (NULL: none changed).

    `old` None: an insert (every key set counts as changed).
    """
    days = []
    for date_column, others in LEARNER_KEY_DATES.items():
        columns = (date_column, *others)
        if old is None:
            changed = " OR ".join(f"{new}.{column} IS NOT NULL" for column in columns)
            earliest = f"{new}.{date_column}"
        else:
            distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
            changed = " OR ".join(f"{old}.{column} {distinct} {new}.{column}" for column in columns)
            before, after = f"{old}.{date_column}", f"{new}.{date_column}"
            earliest = f"coalesce({LEAST[dialect]}({before}, {after}), {before}, {after})"
        days.append(f"CASE WHEN {changed} THEN coalesce({earliest}, '{ALL_OF_HISTORY}') END")
    if dialect == "postgresql":
        return f"least({', '.join(days)})"  # least() passes over NULLs
    padded = ", ".join(f"coalesce({day}, '{NEVER}')" for day in days)
    return f"nullif(min({padded}), '{NEVER}')"


# --- SQLite: row triggers, one writer at a time (one data_version row).


def _sqlite_bump(since: str) -> str:
    return (
        f"UPDATE data_version SET version = {RANDOM['sqlite']} WHERE id = 1; "
        "INSERT INTO data_version_months (slot, month, version) "
        f"VALUES (1, date(coalesce({since}, '{ALL_OF_HISTORY}'), 'start of month'), {RANDOM['sqlite']}) "
        "ON CONFLICT (slot, month) DO UPDATE SET version = excluded.version;"
    )


def _sqlite_trigger(name: str, table: str, event: str, since: str, *, when: str | None = None) -> DbObject:
    condition = f" WHEN {when}" if when else ""
    return trigger(
        name, table, f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition} BEGIN {_sqlite_bump(since)} END"
    )


def _sqlite() -> list[DbObject]:
    objects = []
    for table in FIGURE_TABLES:
        if table == "learners":
            objects += _sqlite_learners()
            continue
        prefix = f"{table}_data_version"
        old, new = _reach_of(table, "OLD", "sqlite"), _reach_of(table, "NEW", "sqlite")
        # A NULL reach is all of history: coalesce each side first, or min() would lose the other's day.
        moved = f"min(coalesce({old}, '{ALL_OF_HISTORY}'), coalesce({new}, '{ALL_OF_HISTORY}'))"
        objects += [
            _sqlite_trigger(f"{prefix}_insert", table, "INSERT", new),
            _sqlite_trigger(f"{prefix}_update", table, "UPDATE", moved),
            _sqlite_trigger(f"{prefix}_delete", table, "DELETE", old),
        ]
    return objects


def _sqlite_learners() -> list[DbObject]:
    keys = ", ".join(LEARNER_KEY_COLUMNS)
    others = ", ".join(learner_columns_reaching_all_of_history())
    inserted = _changed_learner_keys(None, "NEW", "sqlite")
    changed = _changed_learner_keys("OLD", "NEW", "sqlite")
    return [
        _sqlite_trigger("learners_data_version_insert", "learners", "INSERT", inserted, when=f"{inserted} IS NOT NULL"),
        _sqlite_trigger("learners_data_version_update", "learners", f"UPDATE OF {others}", f"'{ALL_OF_HISTORY}'"),
        _sqlite_trigger(
            "learners_data_version_keys", "learners", f"UPDATE OF {keys}", changed, when=f"{changed} IS NOT NULL"
        ),
        _sqlite_trigger("learners_data_version_delete", "learners", "DELETE", f"'{ALL_OF_HISTORY}'"),
    ]


# --- PostgreSQL: statement triggers over transition tables; a row of data_version per writer at once.


def _postgresql_bump(since_sql: str | None) -> str:
    """A function body: `since_sql` sets `since` (None: all of history); NULL since writes nothing.

    The first data_version row no concurrent writer has locked (SKIP LOCKED) takes the new version;
    when every row is held, the writer adds one of its own, keyed by its backend's pid (unique among
    the backends running at once). The month row is the writer's own row's, so it is never
    contended either. The table thus grows only to the most writers seen at once.
    """
    version = RANDOM["postgresql"]
    find = (
        f"{since_sql} IF since IS NULL THEN RETURN NULL; END IF; "
        if since_sql
        else f"since := DATE '{ALL_OF_HISTORY}'; "
    )
    return (
        f"{find}new_version := {version}; "
        "UPDATE data_version SET version = new_version WHERE id = "
        "(SELECT id FROM data_version ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id INTO writer_row; "
        "IF NOT FOUND THEN INSERT INTO data_version (id, version) VALUES (pg_backend_pid(), new_version) "
        "ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version RETURNING id INTO writer_row; END IF; "
        "INSERT INTO data_version_months (slot, month, version) "
        "VALUES (writer_row, date_trunc('month', since)::date, new_version) "
        "ON CONFLICT (slot, month) DO UPDATE SET version = EXCLUDED.version; RETURN NULL;"
    )


DECLARE = "since date; writer_row integer; new_version bigint;"


def _postgresql_function(name: str, since_sql: str | None) -> DbObject:
    return function(name, _postgresql_bump(since_sql), declare=DECLARE)


def _statement(name: str, table: str, event: str, function_name: str) -> DbObject:
    """A statement trigger without transition tables (those with them: triggers_postgresql._statement_trigger)."""
    return trigger(
        name,
        table,
        f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function_name}()",
    )


BOTH_TRANSITION_TABLES = "(SELECT * FROM added UNION ALL SELECT * FROM removed)"


def _earliest_of(rows: str, table: str) -> str:
    reach = _reach_of(table, "r", "postgresql")
    return f"SELECT min(coalesce({reach}, DATE '{ALL_OF_HISTORY}')) INTO since FROM {rows} r;"


def _postgresql() -> list[DbObject]:
    objects = [_postgresql_function("bump_data_version", None)]  # all of history
    for table in FIGURE_TABLES:
        if table == "learners":
            objects += _postgresql_learners()
        elif REACH[table] is None:
            objects.append(
                _statement(
                    f"{table}_data_version", table, "INSERT OR UPDATE OR DELETE OR TRUNCATE", "bump_data_version"
                )
            )
        else:
            rows = {"added": "added", "removed": "removed", "moved": BOTH_TRANSITION_TABLES}
            for suffix in STATEMENT_EVENTS:
                name = f"{table}_data_version_{suffix}"
                objects.append(_postgresql_function(name, _earliest_of(rows[suffix], table)))
                objects.append(_statement_trigger(name, table, suffix, name))
            objects.append(_statement(f"{table}_data_version", table, "TRUNCATE", "bump_data_version"))
    return objects


def _postgresql_learners() -> list[DbObject]:
    inserted = _changed_learner_keys(None, "n", "postgresql")
    changed = _changed_learner_keys("o", "n", "postgresql")
    others = ", ".join(learner_columns_reaching_all_of_history())
    return [
        _postgresql_function("learners_data_version_added", f"SELECT min({inserted}) INTO since FROM added n;"),
        _statement_trigger("learners_data_version_added", "learners", "added", "learners_data_version_added"),
        _postgresql_function(
            "learners_data_version_keys",
            f"SELECT min({changed}) INTO since FROM removed o JOIN added n ON n.id = o.id;",
        ),
        _statement_trigger("learners_data_version_keys", "learners", "moved", "learners_data_version_keys"),
        # Transition tables are not allowed with a column list: this one needs none.
        _statement(
            "learners_data_version", "learners", f"UPDATE OF {others} OR DELETE OR TRUNCATE", "bump_data_version"
        ),
    ]


def data_version(dialect: str) -> list[DbObject]:
    """The figure cache's invalidation: every table a figure reads changes the data version."""
    return _postgresql() if dialect == "postgresql" else _sqlite()
