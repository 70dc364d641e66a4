"""Uploads awaiting confirmation keep their parsed rows, not the uploaded file.

The file was parsed on upload, on preview and again on confirm, and kept whole (other sheets
included). Now its rows are parsed once and stored compressed in `parsed_table`; `content` goes.
Uploads waiting at the time of the upgrade (24 hours at most) are deleted: upload them again.

Revision ID: 5c0d2a7e41b9
Revises: c4850c004458
Create Date: 2026-12-01 23:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c0d2a7e41b9"
down_revision = "c4850c004458"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM import_uploads")
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parsed_table", sa.LargeBinary(), nullable=False))
        batch_op.drop_column("content")


def downgrade():
    op.execute("DELETE FROM import_uploads")
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=False))
        batch_op.drop_column("parsed_table")
