"""Each counted learner's first attendance date, kept by triggers (new learners and to-date figures)

`learners.first_attended_on` is the earliest session date of the attendances that count as the
learner (attendances.learner_key = learners.id), or NULL when none do: "new in a period" and
"helped by a day" become a range of an index on the learners instead of a search of the
attendance history for each learner. Triggers on attendances keep it right in the same
transaction as any insert, move (a merge, a session re-dated) or deletion (docs/performance.md).

Revision ID: 9b2e4d6f8a31
Revises: 3f6a9c2d7b15
Create Date: 2026-11-29 01:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9b2e4d6f8a31"
down_revision = "3f6a9c2d7b15"
branch_labels = None
depends_on = None

FIRST_OF = "(SELECT min(a.session_date) FROM attendances a WHERE a.learner_key = {key})"


def upgrade():
    op.add_column("learners", sa.Column("first_attended_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE learners SET first_attended_on = f.first FROM (SELECT learner_key, min(session_date) AS first "
        "FROM attendances GROUP BY learner_key) f WHERE learners.id = f.learner_key"
    )
    op.create_index("ix_learners_first_attended_on", "learners", ["first_attended_on", "age_band"], unique=False)
    op.execute("ANALYZE learners")
    if op.get_context().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _refresh(keys: str) -> str:
    """PostgreSQL: recompute the first date of the learners whose ids `keys` selects, writing only changes.

    Every one of those learner rows is locked first, in id order, and the dates are computed by
    the next statement, which sees everything committed by then: two transactions changing the
    same learner's attendances at once take turns (in the same order, so they cannot deadlock
    over these rows), and the second counts the first's attendances. Without the lock each
    would compute the minimum without the other's rows, and the later write would win.
    """
    firsts = f"(SELECT k.key, {FIRST_OF.format(key='k.key')} AS first FROM ({keys}) k) f"
    return (
        f"PERFORM 1 FROM learners WHERE id IN (SELECT key FROM ({keys}) k) ORDER BY id FOR NO KEY UPDATE; "
        f"UPDATE learners l SET first_attended_on = f.first FROM {firsts} "
        "WHERE l.id = f.key AND l.first_attended_on IS DISTINCT FROM f.first"
    )


def _postgresql_triggers():
    # Statement triggers with transition tables: a COPY of 500,000 attendances is one UPDATE.
    for name, keys in (
        ("refresh_first_attendance_added", "SELECT DISTINCT learner_key AS key FROM added"),
        ("refresh_first_attendance_removed", "SELECT DISTINCT learner_key AS key FROM removed"),
        (
            "refresh_first_attendance_moved",
            "SELECT learner_key AS key FROM removed UNION SELECT learner_key FROM added",
        ),
    ):
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {_refresh(keys)}; RETURN NULL; END $$"
        )
    op.execute(
        "CREATE TRIGGER attendances_first_added AFTER INSERT ON attendances REFERENCING NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION refresh_first_attendance_added()"
    )
    op.execute(
        "CREATE TRIGGER attendances_first_removed AFTER DELETE ON attendances REFERENCING OLD TABLE AS removed "
        "FOR EACH STATEMENT EXECUTE FUNCTION refresh_first_attendance_removed()"
    )
    op.execute(
        "CREATE TRIGGER attendances_first_moved AFTER UPDATE ON attendances "
        "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION refresh_first_attendance_moved()"
    )


def _sqlite_triggers():
    def refresh(key: str) -> str:
        first = FIRST_OF.format(key=key)
        return f"UPDATE learners SET first_attended_on = {first} WHERE id = {key} AND first_attended_on IS NOT {first};"

    # An insert can only bring the date forward: no search of the learner's other attendances.
    op.execute(
        "CREATE TRIGGER attendances_first_added AFTER INSERT ON attendances WHEN NEW.learner_key IS NOT NULL "
        "BEGIN UPDATE learners SET first_attended_on = NEW.session_date WHERE id = NEW.learner_key "
        "AND (first_attended_on IS NULL OR first_attended_on > NEW.session_date); END"
    )
    op.execute(
        f"CREATE TRIGGER attendances_first_removed AFTER DELETE ON attendances BEGIN {refresh('OLD.learner_key')} END"
    )
    op.execute(
        "CREATE TRIGGER attendances_first_moved AFTER UPDATE OF learner_key, session_date ON attendances "
        f"BEGIN {refresh('OLD.learner_key')} {refresh('NEW.learner_key')} END"
    )


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        for trigger in ("attendances_first_added", "attendances_first_removed", "attendances_first_moved"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON attendances")
        for function in (
            "refresh_first_attendance_added",
            "refresh_first_attendance_removed",
            "refresh_first_attendance_moved",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for trigger in ("attendances_first_added", "attendances_first_removed", "attendances_first_moved"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_index("ix_learners_first_attended_on", table_name="learners")
    # Not batch mode: on SQLite that rebuilds the table and would drop its other triggers.
    op.drop_column("learners", "first_attended_on")
