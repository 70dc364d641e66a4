"""Confidence checks: versioned question sets, and each learner's 1-5 answers (at most one baseline)

Revision ID: 8c3d5a7e1b42
Revises: 5e8b2f1c7a90
Create Date: 2026-12-01 00:40:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8c3d5a7e1b42"
down_revision = "5e8b2f1c7a90"  # this branch's first revision (the report run version)
branch_labels = None
depends_on = None

ANSWERS = ("overall", "fnd", "com", "hic", "tra", "prb", "saf")
FIRST_QUESTIONS = {  # as inclusion/outcomes/questions.py had them when this revision was written
    "overall": "How confident do you feel using the internet on your own?",
    "fnd": "How confident do you feel with the basics: using a device, wifi, passwords and settings?",
    "com": "How confident do you feel keeping in touch online: email, messages and video calls?",
    "hic": "How confident do you feel finding and keeping information online?",
    "tra": "How confident do you feel buying things, paying and using services online?",
    "prb": "How confident do you feel sorting out problems, or finding help, online?",
    "saf": "How confident do you feel staying safe and avoiding scams online?",
}


def upgrade():
    sets = op.create_table(
        "confidence_question_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *(sa.Column(column, sa.Text(), nullable=False) for column in ANSWERS),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_confidence_question_sets_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confidence_question_sets")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_confidence_question_sets_name_version")),
    )
    op.create_table(
        "confidence_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("question_set_id", sa.Integer(), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=True) for column in ANSWERS),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("stage IN ('baseline', 'exit', 'follow-up')", name=op.f("ck_confidence_checks_stage_known")),
        *(
            sa.CheckConstraint(
                f"{column} IS NULL OR {column} BETWEEN 1 AND 5", name=op.f(f"ck_confidence_checks_{column}_1_to_5")
            )
            for column in ANSWERS
        ),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], name=op.f("fk_confidence_checks_learner_id_learners")),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["confidence_question_sets.id"],
            name=op.f("fk_confidence_checks_question_set_id_confidence_question_sets"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_confidence_checks_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name=op.f("fk_confidence_checks_venue_id_venues")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confidence_checks")),
    )
    op.create_index("ix_confidence_checks_learner_id", "confidence_checks", ["learner_id"])
    op.create_index("ix_confidence_checks_checked_on", "confidence_checks", ["checked_on"])
    op.create_index(
        "uq_confidence_checks_one_baseline",
        "confidence_checks",
        ["learner_id"],
        unique=True,
        sqlite_where=sa.text("stage = 'baseline'"),
        postgresql_where=sa.text("stage = 'baseline'"),
    )
    op.bulk_insert(
        sets,
        [
            {
                "name": "Confidence check",
                "version": 1,
                "is_current": True,
                "created_at": datetime.now(UTC).replace(tzinfo=None),
                **FIRST_QUESTIONS,
            }
        ],
    )


def downgrade():
    # The figure cache's triggers on confidence_checks belong to the report-key snapshot that follows.
    op.drop_index("uq_confidence_checks_one_baseline", table_name="confidence_checks")
    op.drop_index("ix_confidence_checks_checked_on", table_name="confidence_checks")
    op.drop_index("ix_confidence_checks_learner_id", table_name="confidence_checks")
    op.drop_table("confidence_checks")
    op.drop_table("confidence_question_sets")
