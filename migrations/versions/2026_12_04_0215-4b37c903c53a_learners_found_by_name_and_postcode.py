"""Learners found by name and postcode: the duplicates queue's second block in one index lookup

The duplicates queue (inclusion/learners/duplicates.py) pairs learners sharing a name and a
postcode. With an index on the name alone, SQLite looked up every learner's namesakes and
compared their postcodes: about 1.4 s at 160,000 learners, where common names have hundreds of
namesakes. `ix_learners_search_name_postcode` on (search_name, postcode) answers the pair at
once, and equality on the name alone from its first column, so it replaces
`ix_learners_search_name` (nothing searches the names' prefixes: the search box matches a part).

Revision ID: 4b37c903c53a
Revises: ad7f1709275b
Create Date: 2026-12-04 02:15:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "4b37c903c53a"
down_revision = "ad7f1709275b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_learners_search_name_postcode", "learners", ["search_name", "postcode"], unique=False)
    op.drop_index("ix_learners_search_name", table_name="learners")


def downgrade():
    op.create_index("ix_learners_search_name", "learners", ["search_name"], unique=False)
    op.drop_index("ix_learners_search_name_postcode", table_name="learners")
