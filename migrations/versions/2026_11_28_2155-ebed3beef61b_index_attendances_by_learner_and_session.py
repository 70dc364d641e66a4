"""Index attendances by (learner, session): first-attendance and to-date figures from the index alone

Replaces the single-column index on learner_id, which the new one covers (docs/performance.md).

Revision ID: ebed3beef61b
Revises: b8b6872484ee
Create Date: 2026-11-28 21:55:29.506815

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "ebed3beef61b"
down_revision = "b8b6872484ee"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendances_learner_id"))
        batch_op.create_index("ix_attendances_learner_id_session_id", ["learner_id", "session_id"], unique=False)


def downgrade():
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.drop_index("ix_attendances_learner_id_session_id")
        batch_op.create_index(batch_op.f("ix_attendances_learner_id"), ["learner_id"], unique=False)
