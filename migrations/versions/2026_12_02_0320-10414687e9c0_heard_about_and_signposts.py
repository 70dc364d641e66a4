"""Referrals and signposting: a learner's heard_about, the directory of outside services, and signposts

Revision ID: 10414687e9c0
Revises: a7c4e2d91f36
Create Date: 2026-12-02 03:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "10414687e9c0"
down_revision = "a7c4e2d91f36"
branch_labels = None
depends_on = None

HEARD_ABOUT = (  # as inclusion/learners/constants.py had them when this revision was written
    "gp-or-social-prescriber",
    "jobcentre",
    "housing-provider",
    "library-staff",
    "council",
    "friend-or-family",
    "another-partner",
    "other",
    "unknown",
)
HEARD_ABOUT_CHECK = "heard_about IS NULL OR heard_about IN ({})".format(", ".join(f"'{v}'" for v in HEARD_ABOUT))


def upgrade():
    if op.get_context().dialect.name == "sqlite":
        # A column constraint added with the column: rebuilding learners (batch mode) would drop its triggers.
        op.execute(
            "ALTER TABLE learners ADD COLUMN heard_about VARCHAR(30) "
            f"CONSTRAINT ck_learners_heard_about_known CHECK ({HEARD_ABOUT_CHECK})"
        )
    else:
        op.add_column("learners", sa.Column("heard_about", sa.String(length=30), nullable=True))
        op.create_check_constraint("ck_learners_heard_about_known", "learners", HEARD_ABOUT_CHECK)
    op.create_table(
        "signpost_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("web_address", sa.String(length=300), nullable=True),
        sa.Column("area", sa.String(length=120), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_signpost_services_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signpost_services")),
        sa.UniqueConstraint("name", name=op.f("uq_signpost_services_name")),
    )
    op.create_table(
        "signposts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("to_venue_id", sa.Integer(), nullable=True),
        sa.Column("to_partner_id", sa.Integer(), nullable=True),
        sa.Column("to_service_id", sa.Integer(), nullable=True),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN to_venue_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN to_partner_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN to_service_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_signposts_one_target"),
        ),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], name=op.f("fk_signposts_learner_id_learners")),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name=op.f("fk_signposts_venue_id_venues")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["learning_sessions.id"],
            name=op.f("fk_signposts_session_id_learning_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["to_venue_id"], ["venues.id"], name=op.f("fk_signposts_to_venue_id_venues")),
        sa.ForeignKeyConstraint(["to_partner_id"], ["partners.id"], name=op.f("fk_signposts_to_partner_id_partners")),
        sa.ForeignKeyConstraint(
            ["to_service_id"], ["signpost_services.id"], name=op.f("fk_signposts_to_service_id_signpost_services")
        ),
        sa.ForeignKeyConstraint(["made_by_id"], ["users.id"], name=op.f("fk_signposts_made_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signposts")),
    )
    op.create_index("ix_signposts_learner_id", "signposts", ["learner_id"], unique=False)
    op.create_index("ix_signposts_made_on", "signposts", ["made_on"], unique=False)
    op.create_index("ix_signposts_session_id", "signposts", ["session_id"], unique=False)
    op.create_index("ix_signposts_to_service_id", "signposts", ["to_service_id"], unique=False)


def downgrade():
    op.drop_index("ix_signposts_to_service_id", table_name="signposts")
    op.drop_index("ix_signposts_session_id", table_name="signposts")
    op.drop_index("ix_signposts_made_on", table_name="signposts")
    op.drop_index("ix_signposts_learner_id", table_name="signposts")
    op.drop_table("signposts")
    op.drop_table("signpost_services")
    if op.get_context().dialect.name != "sqlite":
        op.drop_constraint("ck_learners_heard_about_known", "learners", type_="check")
    try:
        op.execute("ALTER TABLE learners DROP COLUMN heard_about")
    except sa.exc.OperationalError:
        # SQLite refuses when the check has become a table constraint (a later rebuild of learners,
        # as batch mode does, writes it so): rebuild the table without the column instead.
        with op.batch_alter_table("learners") as batch:
            batch.drop_constraint(op.f("ck_learners_heard_about_known"), type_="check")  # named already
            batch.drop_column("heard_about")
