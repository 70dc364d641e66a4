"""Which skill achievement is a learner's first of that skill, kept by triggers (skills figures)

`skill_achievements.is_first` is true on exactly one row of each (learner_key, skill_id): the
one at the earliest session date, then the lowest session id, then the lowest id. The skills
figures count those rows through a partial index instead of searching, for every achievement,
for an earlier one. Triggers keep the flag right in the same transaction as any insert, move
(a merge, a session re-dated) or deletion (docs/performance.md).

Revision ID: c41d7e9a5f02
Revises: 9b2e4d6f8a31
Create Date: 2026-11-29 02:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c41d7e9a5f02"
down_revision = "9b2e4d6f8a31"
branch_labels = None
depends_on = None

FIRST_ID = (
    "(SELECT o.id FROM skill_achievements o WHERE o.learner_key = {key} AND o.skill_id = {skill} "
    "ORDER BY o.session_date, o.session_id, o.id LIMIT 1)"
)
MOVED = "learner_id, learner_key, skill_id, session_id, session_date"


def upgrade():
    op.add_column("skill_achievements", sa.Column("is_first", sa.Boolean(), nullable=True))
    # One pass with a window function, not a search per row.
    op.execute(
        "UPDATE skill_achievements SET is_first = f.first FROM (SELECT id, row_number() OVER ("
        "PARTITION BY learner_key, skill_id ORDER BY session_date, session_id, id) = 1 AS first "
        "FROM skill_achievements) f WHERE skill_achievements.id = f.id"
    )
    op.create_index(
        "ix_skill_achievements_firsts",
        "skill_achievements",
        ["session_date", "learner_key", "skill_id", "venue_id"],
        unique=False,
        sqlite_where=sa.text("is_first = 1"),
        postgresql_where=sa.text("is_first"),
    )
    op.execute("ANALYZE skill_achievements")
    if op.get_context().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _refresh_pairs(pairs: str) -> str:
    """PostgreSQL: set is_first right on every row of the (learner_key, skill_id) pairs `pairs` selects.

    The learners of those pairs are locked first, in id order (as the first-attendance triggers
    lock them), and the flags computed by the next statement, which sees everything committed
    by then: two transactions adding achievements of the same learner take turns, and the
    second sees the first's rows, so a pair never ends with two first achievements or none.
    """
    first = FIRST_ID.format(key="p.learner_key", skill="p.skill_id")
    return (
        f"PERFORM 1 FROM learners WHERE id IN (SELECT learner_key FROM ({pairs}) k) ORDER BY id FOR NO KEY UPDATE; "
        "UPDATE skill_achievements s SET is_first = (s.id = f.first_id) FROM ("
        f"SELECT p.learner_key, p.skill_id, {first} AS first_id FROM ({pairs}) p) f "
        "WHERE s.learner_key = f.learner_key AND s.skill_id = f.skill_id "
        "AND s.is_first IS DISTINCT FROM (s.id = f.first_id)"
    )


# The pairs of rows an UPDATE moved (its learner, skill, session or date changed), before and after.
# The triggers' own UPDATE of is_first moves none, so it ends there rather than firing again.
MOVED_PAIRS = (
    "SELECT r.learner_key, r.skill_id FROM removed r JOIN added a ON a.id = r.id "
    "WHERE (r.learner_key, r.skill_id, r.session_date, r.session_id) "
    "IS DISTINCT FROM (a.learner_key, a.skill_id, a.session_date, a.session_id) "
    "UNION SELECT a.learner_key, a.skill_id FROM removed r JOIN added a ON a.id = r.id "
    "WHERE (r.learner_key, r.skill_id, r.session_date, r.session_id) "
    "IS DISTINCT FROM (a.learner_key, a.skill_id, a.session_date, a.session_id)"
)


def _postgresql_triggers():
    # Statement triggers over transition tables: a COPY of 300,000 achievements is one UPDATE.
    for name, pairs in (
        ("refresh_first_skills_added", "SELECT DISTINCT learner_key, skill_id FROM added"),
        ("refresh_first_skills_removed", "SELECT DISTINCT learner_key, skill_id FROM removed"),
    ):
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{_refresh_pairs(pairs)}; RETURN NULL; END $$"
        )
    op.execute(
        "CREATE FUNCTION refresh_first_skills_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF EXISTS ({MOVED_PAIRS}) THEN {_refresh_pairs(MOVED_PAIRS)}; END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER skill_achievements_first_added AFTER INSERT ON skill_achievements "
        "REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION refresh_first_skills_added()"
    )
    op.execute(
        "CREATE TRIGGER skill_achievements_first_removed AFTER DELETE ON skill_achievements "
        "REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION refresh_first_skills_removed()"
    )
    op.execute(
        "CREATE TRIGGER skill_achievements_first_moved AFTER UPDATE ON skill_achievements "
        "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION refresh_first_skills_moved()"
    )


def _sqlite_triggers():
    def refresh(row: str) -> str:
        first = FIRST_ID.format(key=f"{row}.learner_key", skill=f"{row}.skill_id")
        return (
            f"UPDATE skill_achievements SET is_first = (id = {first}) "
            f"WHERE learner_key = {row}.learner_key AND skill_id = {row}.skill_id AND is_first IS NOT (id = {first});"
        )

    op.execute(
        "CREATE TRIGGER skill_achievements_first_added AFTER INSERT ON skill_achievements "
        f"WHEN NEW.learner_key IS NOT NULL BEGIN {refresh('NEW')} END"
    )
    op.execute(
        f"CREATE TRIGGER skill_achievements_first_removed AFTER DELETE ON skill_achievements BEGIN {refresh('OLD')} END"
    )
    op.execute(
        f"CREATE TRIGGER skill_achievements_first_moved AFTER UPDATE OF {MOVED} ON skill_achievements "
        f"BEGIN {refresh('OLD')} {refresh('NEW')} END"
    )


def downgrade():
    triggers = ("skill_achievements_first_added", "skill_achievements_first_removed", "skill_achievements_first_moved")
    if op.get_context().dialect.name == "postgresql":
        for trigger in triggers:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON skill_achievements")
        for function in ("refresh_first_skills_added", "refresh_first_skills_removed", "refresh_first_skills_moved"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for trigger in triggers:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_index("ix_skill_achievements_firsts", table_name="skill_achievements")
    # Not batch mode: on SQLite that rebuilds the table and would drop its other triggers.
    op.drop_column("skill_achievements", "is_first")
