"""What a restore does once the data is in: a new data version, row counts and the figures' self-check."""

import secrets

from sqlalchemy import func, insert, inspect, select, table, text, update

from inclusion.extensions import db
from inclusion.reports.models import DataVersion

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
    if "data_version" not in inspect(db.engine).get_table_names():
        return False
    version = secrets.randbits(62)
    with db.engine.begin() as connection:
        changed = connection.execute(update(DataVersion).where(DataVersion.id == 1).values(version=version)).rowcount
        if not changed:  # the row was deleted by hand: put it back, as the migration made it
            connection.execute(insert(DataVersion).values(id=1, version=version))
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
_REPORT_KEY_CHECKS = {
    "attendances whose session date or venue differ from their session's": (
        "SELECT count(*) FROM attendances a JOIN learning_sessions s ON s.id = a.session_id "
        "WHERE a.session_date IS DISTINCT FROM s.session_date OR a.venue_id IS DISTINCT FROM s.venue_id"
    ),
    "skill achievements whose session date or venue differ from their session's": (
        "SELECT count(*) FROM skill_achievements a JOIN learning_sessions s ON s.id = a.session_id "
        "WHERE a.session_date IS DISTINCT FROM s.session_date OR a.venue_id IS DISTINCT FROM s.venue_id"
    ),
    "attendances counted as the wrong learner": (
        "SELECT count(*) FROM attendances a JOIN learners l ON l.id = a.learner_id "
        "WHERE a.learner_key IS DISTINCT FROM coalesce(l.merged_into_id, l.id)"
    ),
    "learners whose first attendance date is wrong": (
        "SELECT count(*) FROM learners l LEFT JOIN (SELECT learner_key, min(session_date) AS first "
        "FROM attendances GROUP BY learner_key) f ON f.learner_key = l.id "
        "WHERE l.first_attended_on IS DISTINCT FROM f.first"
    ),
    "learner and skill pairs without exactly one first achievement": (
        "SELECT count(*) FROM (SELECT learner_key, skill_id FROM skill_achievements "
        "GROUP BY learner_key, skill_id HAVING sum(CASE WHEN is_first THEN 1 ELSE 0 END) <> 1) pairs"
    ),
}


def figures_self_check() -> list[str]:
    """The figures' self-check after a restore: what is wrong, or [] when the figures can be trusted.

    Every report key the triggers keep must agree with the rows it copies (run on a schema at
    this release's head). `flask reports check` is to become the one definition of these checks;
    this function is the single place a restore calls them from.
    """
    problems = []
    with db.engine.connect() as connection:
        for description, query in _REPORT_KEY_CHECKS.items():
            if count := connection.scalar(text(query)):
                problems.append(f"{count} {description}")
    return problems
