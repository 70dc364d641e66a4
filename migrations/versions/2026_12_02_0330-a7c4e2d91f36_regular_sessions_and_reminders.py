"""Regular sessions (repeating slots), the weekly reminders' records and opt-outs, and session draft marks

Revision ID: a7c4e2d91f36
Revises: 66144ce0bcd3
Create Date: 2026-12-02 03:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c4e2d91f36"
down_revision = "66144ce0bcd3"
branch_labels = None
depends_on = None

SESSION_TYPES = ("drop-in", "one-to-one", "group", "course")  # as inclusion/sessions/constants.py had them


def upgrade():
    types_sql = ", ".join(f"'{t}'" for t in SESSION_TYPES)
    op.create_table(
        "regular_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=12), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("session_type", sa.String(length=20), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("first_day", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("frequency IN ('weekly', 'fortnightly')", name=op.f("ck_regular_sessions_frequency_known")),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_regular_sessions_weekday_range")),
        sa.CheckConstraint(f"session_type IN ({types_sql})", name=op.f("ck_regular_sessions_session_type_known")),
        sa.CheckConstraint("duration_minutes BETWEEN 1 AND 600", name=op.f("ck_regular_sessions_duration_range")),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_regular_sessions_ends_after_start")
        ),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name=op.f("fk_regular_sessions_venue_id_venues")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_regular_sessions_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regular_sessions")),
    )
    op.create_index(op.f("ix_regular_sessions_venue_id"), "regular_sessions", ["venue_id"])
    op.create_index(op.f("ix_regular_sessions_starts_on_ends_on"), "regular_sessions", ["starts_on", "ends_on"])
    op.create_table(
        "regular_session_champions",
        sa.Column("regular_session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["regular_session_id"],
            ["regular_sessions.id"],
            name=op.f("fk_regular_session_champions_regular_session_id_regular_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_regular_session_champions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("regular_session_id", "user_id", name=op.f("pk_regular_session_champions")),
    )
    op.create_index(op.f("ix_regular_session_champions_user_id"), "regular_session_champions", ["user_id"])
    op.create_table(
        "reminder_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("drafts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminder_sends_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sends")),
        sa.UniqueConstraint("user_id", "week_start", name=op.f("uq_reminder_sends_user_id_week_start")),
    )
    op.create_index(op.f("ix_reminder_sends_week_start"), "reminder_sends", ["week_start"])
    op.create_table(
        "reminder_opt_outs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminder_opt_outs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reminder_opt_outs")),
    )
    op.create_table(
        "session_draft_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_session_draft_marks_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name=op.f("fk_session_draft_marks_venue_id_venues")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_draft_marks")),
        sa.UniqueConstraint(
            "user_id", "venue_id", "session_date", name=op.f("uq_session_draft_marks_user_id_venue_id_session_date")
        ),
    )
    op.create_index(op.f("ix_session_draft_marks_venue_id"), "session_draft_marks", ["venue_id"])
    op.create_index(op.f("ix_session_draft_marks_session_date"), "session_draft_marks", ["session_date"])


def downgrade():
    op.drop_index(op.f("ix_session_draft_marks_session_date"), table_name="session_draft_marks")
    op.drop_index(op.f("ix_session_draft_marks_venue_id"), table_name="session_draft_marks")
    op.drop_table("session_draft_marks")
    op.drop_table("reminder_opt_outs")
    op.drop_index(op.f("ix_reminder_sends_week_start"), table_name="reminder_sends")
    op.drop_table("reminder_sends")
    op.drop_index(op.f("ix_regular_session_champions_user_id"), table_name="regular_session_champions")
    op.drop_table("regular_session_champions")
    op.drop_index(op.f("ix_regular_sessions_starts_on_ends_on"), table_name="regular_sessions")
    op.drop_index(op.f("ix_regular_sessions_venue_id"), table_name="regular_sessions")
    op.drop_table("regular_sessions")
