"""A data version changed by triggers on every write the report figures depend on (figure cache)

inclusion/reports/cache.py keys cached figures on this number; the triggers change it in the
same transaction as the write, whoever makes it, so a cached figure is never stale.
See docs/performance.md.

Revision ID: 7d1f0c2a9e51
Revises: ebed3beef61b
Create Date: 2026-11-28 23:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7d1f0c2a9e51"
down_revision = "ebed3beef61b"
branch_labels = None
depends_on = None

TABLES = ("learners", "learning_sessions", "attendances", "skill_achievements", "skills", "venues", "partners")
# A new random 64-bit version on each write, not version + 1: a database rebuilt (or restored) in
# place then never reuses a version a running worker has cached figures under for other data.
RANDOM = {
    "postgresql": "floor(random() * 9223372036854775807)::bigint",
    "sqlite": "random()",
}


def upgrade():
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    dialect = op.get_context().dialect.name
    random = RANDOM.get(dialect, RANDOM["sqlite"])
    bump = f"UPDATE data_version SET version = {random} WHERE id = 1"
    op.execute(f"INSERT INTO data_version (id, version) VALUES (1, {random})")
    if dialect == "postgresql":
        # One bump per statement (a COPY or a bulk insert of thousands of rows is one bump).
        op.execute(
            "CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {bump}; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
            )
    else:
        # SQLite has row triggers only.
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} ON {table} BEGIN {bump}; END"
                )


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_data_version()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event}")
    op.drop_table("data_version")
