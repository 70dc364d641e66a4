"""The date and venue on which each learner reached each skills level, as report keys on the learner

`learners.foundation_reached_on`, `.foundation_reached_venue_id`, `.life_skills_reached_on` and
`.life_skills_reached_venue_id`: the session date and venue of the first achievement that completed
the level for the learner counted (NULL when not reached, or merged away) — the rules FOUNDATION and
LIFE_SKILLS of inclusion/reports/keys.py. The two skills-level figures then count a range of a
partial index instead of ranking every learner's first achievements (docs/performance.md). The
columns and their indexes only: the triggers that keep them and the backfill that sets them come in
the report-key snapshot that follows (`flask reports trigger-revision`), as for 3b7c1d9e5f20.

Revision ID: 5d8e2f1a7c34
Revises: a2fec43e05f9
Create Date: 2026-12-02 14:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d8e2f1a7c34"
down_revision = "a2fec43e05f9"
branch_labels = None
depends_on = None

LEVELS = ("foundation", "life_skills")


def upgrade():
    for level in LEVELS:
        op.add_column("learners", sa.Column(f"{level}_reached_on", sa.Date(), nullable=True))
        op.add_column("learners", sa.Column(f"{level}_reached_venue_id", sa.Integer(), nullable=True))
        reached = sa.text(f"{level}_reached_on IS NOT NULL")
        op.create_index(
            f"ix_learners_{level}_reached",
            "learners",
            [f"{level}_reached_on", f"{level}_reached_venue_id"],
            unique=False,
            sqlite_where=reached,
            postgresql_where=reached,
        )


def downgrade():
    for level in reversed(LEVELS):
        op.drop_index(f"ix_learners_{level}_reached", table_name="learners")
        # Not batch mode: on SQLite that rebuilds the table and would drop its triggers.
        op.drop_column("learners", f"{level}_reached_venue_id")
        op.drop_column("learners", f"{level}_reached_on")
