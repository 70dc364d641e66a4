"""What a restore does once the data is in: a new data version, row counts and the figures' self-check."""

import secrets
from datetime import date

from sqlalchemy import delete, func, insert, inspect, select, table, update

from inclusion.extensions import db
from inclusion.reports.models import DataVersion, DataVersionMonth
from inclusion.reports.reach import ALL_OF_HISTORY
from inclusion.reports.selfcheck import check_report_keys

# Counted and printed after a restore: the records an operator would recognise, in this order.
MAIN_TABLES = (
    "partners",
    "venues",
    "users",
    "learners",
    "learning_sessions",
    "attendances",
    "skill_achievements",
    "skills",
    "report_runs",
    "audit_events",
)


def bump_data_version() -> bool:
    """Give the restored data a data version no worker can have cached figures under.

    The restored row holds the version of the moment of the backup; a worker that cached figures
    under it (before the data moved on) could otherwise serve them again. False if the backup
    predates the data_version table (nothing is cached for such a database).
    """
    tables = inspect(db.engine).get_table_names()
    if "data_version" not in tables:
        return False
    version = secrets.randbits(62)
    with db.engine.begin() as connection:
        changed = connection.execute(update(DataVersion).where(DataVersion.id == 1).values(version=version)).rowcount
        if not changed:  # the row was deleted by hand: put it back, as the migration made it
            connection.execute(insert(DataVersion).values(id=1, version=version))
        if "data_version_months" in tables:
            # Every month's figures may differ: one new row reaching all of history changes every key.
            all_of_history = date.fromisoformat(ALL_OF_HISTORY)
            connection.execute(delete(DataVersionMonth).where(DataVersionMonth.month == all_of_history))
            connection.execute(insert(DataVersionMonth).values(slot=1, month=all_of_history, version=version))
    return True


def row_counts() -> dict[str, int]:
    present = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {
            name: connection.scalar(select(func.count()).select_from(table(name)))
            for name in MAIN_TABLES
            if name in present
        }


# Each query counts rows whose kept copy (a trigger's work) disagrees with what it is a copy of.


def figures_self_check() -> list[str]:
    """The figures' self-check after a restore: what is wrong, or [] when the figures can be trusted.

    The one definition of the checks is `flask reports check` (inclusion/reports/selfcheck.py):
    every report key recomputed from the base rows, and every trigger that keeps them in place.
    """
    result = check_report_keys()
    problems = [f"trigger drift: {item}" for item in result.drift]
    problems += [f"disagreement: {item}" for item in result.disagreements]
    if hidden := result.disagreement_count - len(result.disagreements):
        problems.append(f"... and {hidden:,} more disagreements (`flask reports check --repair` rewrites them)")
    return problems
