"""Which version of the funder CSV a report run holds (version 2 exists; runs before it were version 1)

Revision ID: 5e8b2f1c7a90
Revises: 5e8b1f4c2a70
Create Date: 2026-12-01 00:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e8b2f1c7a90"
down_revision = "5e8b1f4c2a70"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_runs") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    with op.batch_alter_table("report_runs") as batch:
        batch.drop_column("version")
