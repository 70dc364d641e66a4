"""Follow-ups: learners.may_contact (default yes), the partner queue's index, and the follow_ups table

Revision ID: 16c86f611379
Revises: af5ba75aa4b7
Create Date: 2026-12-02 03:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "16c86f611379"
down_revision = "af5ba75aa4b7"
branch_labels = None
depends_on = None

ANSWERS = (
    "still_online",
    "does_more_alone",
    "further_learning",
    "work_or_volunteering",
    "has_device",
    "has_connection",
)


def upgrade():
    # Every learner registered before this asked nothing, so may be contacted (the default at registration).
    op.add_column("learners", sa.Column("may_contact", sa.Boolean(), server_default=sa.true(), nullable=False))
    # The queue, in due-date order, read straight off the index (and stopped at the page's end).
    op.create_index(
        "ix_learners_partner_first_attended_on", "learners", ["registered_partner_id", "first_attended_on", "id"]
    )
    all_answered = " AND ".join(f"{column} IS NOT NULL" for column in ANSWERS)
    none_answered = " AND ".join(f"{column} IS NULL" for column in ANSWERS)
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("followed_up_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        *(sa.Column(column, sa.Boolean(), nullable=True) for column in ANSWERS),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('reached', 'not-reached', 'declined')", name=op.f("ck_follow_ups_outcome_known")
        ),
        sa.CheckConstraint(
            f"(outcome = 'reached' AND {all_answered}) OR (outcome <> 'reached' AND {none_answered})",
            name=op.f("ck_follow_ups_answers_when_reached"),
        ),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], name=op.f("fk_follow_ups_learner_id_learners")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_follow_ups_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    op.create_index("ix_follow_ups_learner_id", "follow_ups", ["learner_id", "outcome"])
    op.create_index("ix_follow_ups_followed_up_on", "follow_ups", ["followed_up_on", "outcome"])


def downgrade():
    # The figure cache's triggers on follow_ups belong to the report-key snapshot that follows.
    op.drop_index("ix_follow_ups_followed_up_on", table_name="follow_ups")
    op.drop_index("ix_follow_ups_learner_id", table_name="follow_ups")
    op.drop_table("follow_ups")
    op.drop_index("ix_learners_partner_first_attended_on", table_name="learners")
    # Not batch mode: on SQLite that rebuilds the table and would drop its triggers.
    op.drop_column("learners", "may_contact")
