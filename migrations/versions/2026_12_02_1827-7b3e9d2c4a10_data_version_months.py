"""How far back each write reached: data_version_months, a version per (writer's row, month)

The figure cache kept every figure until the next write anywhere; with this table it keeps a
figure of a period until a write reaches a month up to the period's end (inclusion/reports/reach.py,
inclusion/reports/cache.py), so logging today's sessions no longer recomputes last month or the
trends' earlier months. The table only: the triggers that fill it come in the report-key snapshot
that follows (`flask reports trigger-revision`). Empty to begin with: a figure is then kept under
the plain data version's rows until the first write.

Revision ID: 7b3e9d2c4a10
Revises: cee8fe51ebdb
Create Date: 2026-12-02 18:27:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7b3e9d2c4a10"
down_revision = "cee8fe51ebdb"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "data_version_months",
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("slot", "month", name=op.f("pk_data_version_months")),
    )


def downgrade():
    op.drop_table("data_version_months")
