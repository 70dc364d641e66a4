"""Devices and data: device stock at venues, loans (one open loan per device), device gifts, SIM and data gifts

Revision ID: 66144ce0bcd3
Revises: 16c86f611379
Create Date: 2026-12-02 03:21:30.084202

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "66144ce0bcd3"
down_revision = "16c86f611379"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_tag", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("make_model", sa.String(length=120), nullable=False),
        sa.Column("serial", sa.String(length=80), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=True),
        sa.Column("condition", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "condition IN ('new', 'good', 'fair', 'poor', 'broken')", name=op.f("ck_devices_condition_known")
        ),
        sa.CheckConstraint(
            "kind IN ('laptop', 'tablet', 'phone', 'hotspot', 'other')", name=op.f("ck_devices_kind_known")
        ),
        sa.CheckConstraint(
            "status IN ('in-stock', 'on-loan', 'gifted', 'retired')", name=op.f("ck_devices_status_known")
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_devices_created_by_id_users")),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name=op.f("fk_devices_venue_id_venues")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("asset_tag", name=op.f("uq_devices_asset_tag")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index("ix_devices_venue_id_status_asset_tag", ["venue_id", "status", "asset_tag"], unique=False)

    op.create_table(
        "data_gifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("network", sa.String(length=40), nullable=False),
        sa.Column("identifier", sa.String(length=40), nullable=True),
        sa.Column("eligibility_reason", sa.String(length=30), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            (
                "eligibility_reason IN ("
                "'no-home-internet', 'cannot-afford-data', 'benefits-or-low-income', "
                "'job-seeking', 'referred-by-partner', 'other')"
            ),
            name=op.f("ck_data_gifts_eligibility_known"),
        ),
        sa.CheckConstraint("kind IN ('sim', 'voucher')", name=op.f("ck_data_gifts_kind_known")),
        sa.CheckConstraint("expires_on >= given_on", name=op.f("ck_data_gifts_expires_after_given")),
        sa.ForeignKeyConstraint(["given_by_id"], ["users.id"], name=op.f("fk_data_gifts_given_by_id_users")),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], name=op.f("fk_data_gifts_learner_id_learners")),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name=op.f("fk_data_gifts_venue_id_venues")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_gifts")),
    )
    with op.batch_alter_table("data_gifts", schema=None) as batch_op:
        batch_op.create_index("ix_data_gifts_given_on", ["given_on"], unique=False)
        batch_op.create_index("ix_data_gifts_learner_id", ["learner_id"], unique=False)

    op.create_table(
        "device_gifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_device_gifts_device_id_devices")),
        sa.ForeignKeyConstraint(["given_by_id"], ["users.id"], name=op.f("fk_device_gifts_given_by_id_users")),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], name=op.f("fk_device_gifts_learner_id_learners")),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name=op.f("fk_device_gifts_venue_id_venues")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_gifts")),
        sa.UniqueConstraint("device_id", name=op.f("uq_device_gifts_device_id")),
    )
    with op.batch_alter_table("device_gifts", schema=None) as batch_op:
        batch_op.create_index("ix_device_gifts_given_on", ["given_on"], unique=False)
        batch_op.create_index("ix_device_gifts_learner_id", ["learner_id"], unique=False)

    op.create_table(
        "loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("lent_by_id", sa.Integer(), nullable=True),
        sa.Column("lent_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("agreement_version", sa.String(length=20), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("return_condition", sa.String(length=10), nullable=True),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "return_condition IS NULL OR return_condition IN ('new', 'good', 'fair', 'poor', 'broken')",
            name=op.f("ck_loans_return_condition_known"),
        ),
        sa.CheckConstraint("due_on >= lent_on", name=op.f("ck_loans_due_after_lent")),
        sa.CheckConstraint("returned_on IS NULL OR returned_on >= lent_on", name=op.f("ck_loans_returned_after_lent")),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_loans_device_id_devices")),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"], name=op.f("fk_loans_learner_id_learners")),
        sa.ForeignKeyConstraint(["lent_by_id"], ["users.id"], name=op.f("fk_loans_lent_by_id_users")),
        sa.ForeignKeyConstraint(["returned_by_id"], ["users.id"], name=op.f("fk_loans_returned_by_id_users")),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name=op.f("fk_loans_venue_id_venues")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loans")),
    )
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.create_index("ix_loans_device_id", ["device_id"], unique=False)
        batch_op.create_index("ix_loans_learner_id", ["learner_id"], unique=False)
        batch_op.create_index("ix_loans_lent_on", ["lent_on"], unique=False)
        batch_op.create_index(
            "ix_loans_open_venue_id_due_on",
            ["venue_id", "due_on"],
            unique=False,
            sqlite_where=sa.text("returned_on IS NULL"),
            postgresql_where=sa.text("returned_on IS NULL"),
        )
        batch_op.create_index("ix_loans_returned_on", ["returned_on"], unique=False)
        batch_op.create_index(
            "uq_loans_one_open_per_device",
            ["device_id"],
            unique=True,
            sqlite_where=sa.text("returned_on IS NULL"),
            postgresql_where=sa.text("returned_on IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_loans_one_open_per_device",
            sqlite_where=sa.text("returned_on IS NULL"),
            postgresql_where=sa.text("returned_on IS NULL"),
        )
        batch_op.drop_index("ix_loans_returned_on")
        batch_op.drop_index(
            "ix_loans_open_venue_id_due_on",
            sqlite_where=sa.text("returned_on IS NULL"),
            postgresql_where=sa.text("returned_on IS NULL"),
        )
        batch_op.drop_index("ix_loans_lent_on")
        batch_op.drop_index("ix_loans_learner_id")
        batch_op.drop_index("ix_loans_device_id")

    op.drop_table("loans")
    with op.batch_alter_table("device_gifts", schema=None) as batch_op:
        batch_op.drop_index("ix_device_gifts_learner_id")
        batch_op.drop_index("ix_device_gifts_given_on")

    op.drop_table("device_gifts")
    with op.batch_alter_table("data_gifts", schema=None) as batch_op:
        batch_op.drop_index("ix_data_gifts_learner_id")
        batch_op.drop_index("ix_data_gifts_given_on")

    op.drop_table("data_gifts")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index("ix_devices_venue_id_status_asset_tag")

    op.drop_table("devices")
