"""Learners searched by a part of a name: a trigram index on PostgreSQL, and no index in name order

The search box matches any part of a name (`LIKE '%marg%'`), which no B-tree index answers:
PostgreSQL read every learner, and search grew 2.6x from 50,000 to 100,000 learners. A GIN index
over the name's trigrams (the pg_trgm extension, shipped with PostgreSQL and trusted since 13, so
the database's owner may create it) answers it from the index. SQLite keeps scanning: it has no
such index, and scans fast enough at the alliance's scale (docs/performance.md).

`ix_learners_last_name_first_name` goes: a search's results are ordered by name, and with the
page's LIMIT PostgreSQL preferred walking that index in order, filtering every learner (80-110 ms
at 160,000 learners), to finding the matches through the trigrams and sorting them (5 ms), not
counting on the page's window count reading every match anyway. Nothing else reads it: SQLite
never chose it, and no other query filters or orders the learners by name.

Revision ID: 5d1e2a7c9b36
Revises: 4b37c903c53a
Create Date: 2026-12-04 20:40:00

"""

from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = "5d1e2a7c9b36"
down_revision = "4b37c903c53a"
branch_labels = None
depends_on = None

_NEEDS_PG_TRGM = (
    "Learner search needs PostgreSQL's pg_trgm extension, which this database user may not create. "
    "Ask the database's administrator to run `CREATE EXTENSION pg_trgm;` in this database, then "
    "run the upgrade again (docs/deployment.md, step 3, 'The database')."
)


def upgrade():
    op.drop_index("ix_learners_last_name_first_name", table_name="learners")
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # IF NOT EXISTS needs no privilege when an administrator has created the extension already.
    savepoint = bind.begin_nested()
    try:
        bind.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception as error:
        savepoint.rollback()
        raise RuntimeError(_NEEDS_PG_TRGM) from error
    savepoint.commit()
    op.create_index(
        "ix_learners_search_name_trigram",
        "learners",
        ["search_name"],
        postgresql_using="gin",
        postgresql_ops={"search_name": "gin_trgm_ops"},
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        # The extension stays: other databases' objects, or an administrator's, may use it.
        op.drop_index("ix_learners_search_name_trigram", table_name="learners")
    op.create_index("ix_learners_last_name_first_name", "learners", ["last_name", "first_name"], unique=False)
