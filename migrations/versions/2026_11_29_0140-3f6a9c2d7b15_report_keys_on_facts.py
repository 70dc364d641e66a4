"""Report keys on attendances and skill achievements, kept by triggers (figures without joins)

Each attendance and skill achievement carries a copy of its session's date and venue and of
the learner it counts as (`learner_key`: the record a duplicate was merged into, else its own
learner), so the report figures read one table through one index instead of joining every row
to its session, its venue and its learner twice. Database triggers keep the copies right in the
same transaction as any write, whoever makes it: inserting or moving an attendance, changing a
session's date or venue, merging a learner or undoing a merge (docs/performance.md).

Revision ID: 3f6a9c2d7b15
Revises: 7d1f0c2a9e51
Create Date: 2026-11-29 01:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f6a9c2d7b15"
down_revision = "7d1f0c2a9e51"
branch_labels = None
depends_on = None

FACT_TABLES = ("attendances", "skill_achievements")
SESSION_DATE = "(SELECT session_date FROM learning_sessions WHERE id = NEW.session_id)"
VENUE = "(SELECT venue_id FROM learning_sessions WHERE id = NEW.session_id)"
LEARNER_KEY = "(SELECT coalesce(merged_into_id, id) FROM learners WHERE id = NEW.learner_id)"
INDEXES = {
    # A period's facts from the index alone: who (and where, and which session) in date order.
    "attendances": [
        ("ix_attendances_session_date_learner_key", ["session_date", "learner_key", "venue_id", "session_id"]),
        # "Attended before this day?" and "attended by this day?" for one learner: one probe.
        ("ix_attendances_learner_key_session_date", ["learner_key", "session_date"]),
        # Adults helped to date by venue: each venue's learners in order, counted without sorting.
        ("ix_attendances_venue_id_learner_key", ["venue_id", "learner_key", "session_date"]),
    ],
    "skill_achievements": [
        # "Shown this skill earlier?" for one learner and skill: one probe.
        ("ix_skill_achievements_learner_key_skill_id", ["learner_key", "skill_id", "session_date", "session_id"]),
    ],
}


def upgrade():
    for table in FACT_TABLES:
        op.add_column(table, sa.Column("session_date", sa.Date(), nullable=True))
        op.add_column(table, sa.Column("venue_id", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("learner_key", sa.Integer(), nullable=True))
        # One join, not three lookups per row (UPDATE ... FROM: PostgreSQL, and SQLite 3.33+).
        op.execute(
            f"UPDATE {table} SET session_date = s.session_date, venue_id = s.venue_id, "
            "learner_key = coalesce(l.merged_into_id, l.id) FROM learning_sessions s, learners l "
            f"WHERE s.id = {table}.session_id AND l.id = {table}.learner_id"
        )
        for name, columns in INDEXES[table]:
            op.create_index(name, table, columns, unique=False)
        op.execute(f"ANALYZE {table}")  # the planner's figures for the new columns, for what follows
    op.create_index("ix_learners_age_band_id", "learners", ["age_band", "id"], unique=False)
    if op.get_context().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _postgresql_triggers():
    # The session and learner are read with a lock (SHARE: a session's date or venue cannot change
    # until this row is committed; KEY SHARE, as the foreign key takes anyway, with a merge taking
    # the learner FOR UPDATE): otherwise a session re-dated, or a learner merged, by another
    # transaction at the same moment would not see this row, and its copies would stay stale.
    op.execute(
        "CREATE FUNCTION fill_report_keys() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "SELECT s.session_date, s.venue_id INTO NEW.session_date, NEW.venue_id "
        "FROM learning_sessions s WHERE s.id = NEW.session_id FOR SHARE; "
        "SELECT coalesce(l.merged_into_id, l.id) INTO NEW.learner_key FROM learners l WHERE l.id = NEW.learner_id "
        "FOR KEY SHARE; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE FUNCTION copy_session_keys() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE attendances SET session_date = NEW.session_date, venue_id = NEW.venue_id WHERE session_id = NEW.id; "
        "UPDATE skill_achievements SET session_date = NEW.session_date, venue_id = NEW.venue_id "
        "WHERE session_id = NEW.id; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION copy_learner_key() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE attendances SET learner_key = coalesce(NEW.merged_into_id, NEW.id) WHERE learner_id = NEW.id; "
        "UPDATE skill_achievements SET learner_key = coalesce(NEW.merged_into_id, NEW.id) "
        "WHERE learner_id = NEW.id; RETURN NULL; END $$"
    )
    for table in FACT_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_report_keys BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION fill_report_keys()"
        )
    op.execute(
        "CREATE TRIGGER learning_sessions_report_keys AFTER UPDATE ON learning_sessions FOR EACH ROW "
        "WHEN (OLD.session_date IS DISTINCT FROM NEW.session_date OR OLD.venue_id IS DISTINCT FROM NEW.venue_id) "
        "EXECUTE FUNCTION copy_session_keys()"
    )
    op.execute(
        "CREATE TRIGGER learners_report_keys AFTER UPDATE ON learners FOR EACH ROW "
        "WHEN (OLD.merged_into_id IS DISTINCT FROM NEW.merged_into_id) EXECUTE FUNCTION copy_learner_key()"
    )


def _sqlite_triggers():
    for table in FACT_TABLES:
        # Only when a copy is wrong: a bulk loader that writes the right values pays no UPDATE.
        stale = (
            f"NEW.session_date IS NOT {SESSION_DATE} OR NEW.venue_id IS NOT {VENUE} "
            f"OR NEW.learner_key IS NOT {LEARNER_KEY}"
        )
        fill = (
            f"UPDATE {table} SET session_date = {SESSION_DATE}, venue_id = {VENUE}, "
            f"learner_key = {LEARNER_KEY} WHERE id = NEW.id"
        )
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER {table}_report_keys_{event.lower()} AFTER {event} ON {table} "
                f"WHEN {stale} BEGIN {fill}; END"
            )
    copies = " ".join(
        f"UPDATE {table} SET session_date = NEW.session_date, venue_id = NEW.venue_id WHERE session_id = NEW.id;"
        for table in FACT_TABLES
    )
    op.execute(
        "CREATE TRIGGER learning_sessions_report_keys AFTER UPDATE OF session_date, venue_id ON learning_sessions "
        f"WHEN OLD.session_date IS NOT NEW.session_date OR OLD.venue_id IS NOT NEW.venue_id BEGIN {copies} END"
    )
    keys = " ".join(
        f"UPDATE {table} SET learner_key = coalesce(NEW.merged_into_id, NEW.id) WHERE learner_id = NEW.id;"
        for table in FACT_TABLES
    )
    op.execute(
        "CREATE TRIGGER learners_report_keys AFTER UPDATE OF merged_into_id ON learners "
        f"WHEN OLD.merged_into_id IS NOT NEW.merged_into_id BEGIN {keys} END"
    )


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        for table in FACT_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_report_keys ON {table}")
        op.execute("DROP TRIGGER IF EXISTS learning_sessions_report_keys ON learning_sessions")
        op.execute("DROP TRIGGER IF EXISTS learners_report_keys ON learners")
        for function in ("fill_report_keys", "copy_session_keys", "copy_learner_key"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for table in FACT_TABLES:
            for event in ("insert", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_report_keys_{event}")
        op.execute("DROP TRIGGER IF EXISTS learning_sessions_report_keys")
        op.execute("DROP TRIGGER IF EXISTS learners_report_keys")
    op.drop_index("ix_learners_age_band_id", table_name="learners")
    for table in FACT_TABLES:
        for name, _ in INDEXES[table]:
            op.drop_index(name, table_name=table)
        # Not batch mode: on SQLite that rebuilds the table and would drop its other triggers.
        for column in ("learner_key", "venue_id", "session_date"):
            op.drop_column(table, column)
