"""Which attendance is a learner's first at each venue, as a flag (adults helped to date by place)

`attendances.is_first_at_venue` is true on exactly one row of each (learner_key, venue_id), the
earliest by (session date, session id, id) — the rule FIRST_AT_VENUE of inclusion/reports/keys.py.
Adults helped to date at a venue or partner then count the flagged rows through a partial index,
one per learner and venue, rather than every attendance in the history (docs/report-keys.md).
The column and its index only: the triggers that keep it and the backfill that sets it come in
the report-key snapshot that follows (`flask reports trigger-revision`).

Revision ID: 3b7c1d9e5f20
Revises: 785f1bc9c53f
Create Date: 2026-12-02 03:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b7c1d9e5f20"
down_revision = "785f1bc9c53f"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("attendances", sa.Column("is_first_at_venue", sa.Boolean(), nullable=True))
    op.create_index(
        "ix_attendances_first_at_venue",
        "attendances",
        ["venue_id", "learner_key", "session_date"],
        unique=False,
        sqlite_where=sa.text("is_first_at_venue = 1"),
        postgresql_where=sa.text("is_first_at_venue"),
    )


def downgrade():
    op.drop_index("ix_attendances_first_at_venue", table_name="attendances")
    # Not batch mode: on SQLite that rebuilds the table and would drop its other triggers.
    op.drop_column("attendances", "is_first_at_venue")
