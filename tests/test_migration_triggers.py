"""The triggers the report keys and the figure cache need exist after `flask db upgrade`, and survive batch mode.

The list is not kept here: it is what inclusion/reports/triggers.py renders from the rules
(inclusion/reports/keys.py) and the tables the figures read, for the database under test.
"""

import shutil
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade

from inclusion.extensions import db
from inclusion.reports.installed import drift, postgresql_functions, postgresql_triggers, sqlite_triggers
from inclusion.reports.triggers import definitions

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
FACT_TABLES = ("attendances", "skill_achievements", "learning_sessions", "learners")
BATCH_REVISION = '''"""A batch-mode change to {table}, as autogenerate writes for SQLite (test only).

Revision ID: batchprobe01
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "batchprobe01"
down_revision = "{head}"
branch_labels = None
depends_on = None
# SQLite always rebuilds; PostgreSQL alters in place, but is made to rebuild the tables no key refers to.
REBUILD = op.get_context().dialect.name == "sqlite" or "{table}" in ("attendances", "skill_achievements")
RECREATE = "always" if REBUILD else "auto"


def upgrade():
    with op.batch_alter_table("{table}", recreate=RECREATE) as batch_op:
        batch_op.add_column(sa.Column("batch_probe", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("{table}", recreate=RECREATE) as batch_op:
        batch_op.drop_column("batch_probe")
'''


def installed_names() -> set[str]:
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return set(postgresql_triggers(connection)) | set(postgresql_functions(connection))
        return set(sqlite_triggers(connection))


def needed_names() -> set[str]:
    return {item.name for item in definitions(db.engine.dialect.name)}


def no_drift() -> list:
    with db.engine.connect() as connection:
        return drift(connection)


def test_after_upgrade_every_trigger_and_function_the_rules_need_exists_as_they_define_it(db):
    assert needed_names() - installed_names() == set()
    assert no_drift() == []


def test_the_rules_need_the_triggers_the_design_describes(db):
    names = needed_names()
    for table in ("attendances", "skill_achievements"):
        assert {f"{table}_first_added", f"{table}_first_removed", f"{table}_first_moved"} <= names
    assert {"learning_sessions_report_keys", "learners_report_keys"} <= names
    # The figure cache: a data-version trigger on every table a figure reads.
    for table in ("learners", "learning_sessions", "attendances", "skill_achievements", "skills", "venues"):
        assert any(name.startswith(f"{table}_data_version") for name in names)


@pytest.fixture
def migrations_with_a_batch_change(tmp_path):
    def make(table: str) -> str:
        directory = tmp_path / table
        shutil.copytree(MIGRATIONS, directory, ignore=shutil.ignore_patterns("__pycache__"))
        head = current_head()
        (directory / "versions" / "2099_01_01_0000-batchprobe01_batch_probe.py").write_text(
            BATCH_REVISION.format(table=table, head=head)
        )
        return str(directory)

    return make


def current_head() -> str:
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.mark.parametrize("table", FACT_TABLES)
def test_a_batch_mode_migration_of_a_fact_table_keeps_every_trigger(db, migrations_with_a_batch_change, table):
    directory = migrations_with_a_batch_change(table)
    db.session.remove()
    try:
        upgrade(directory=directory)
        assert needed_names() - installed_names() == set()
        assert no_drift() == []
    finally:
        downgrade(directory=directory, revision="-1")
    assert no_drift() == []
