"""The migrations build exactly the schema the models describe, and can be undone."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from inclusion.database import schema_objects_for
from inclusion.extensions import db
from inclusion.reports.installed import drift
from inclusion.reports.models import Milestone
from inclusion.sessions.models import Skill


def _differences():
    with db.engine.connect() as connection:
        opts = {"compare_type": True, "include_object": schema_objects_for(connection.dialect.name)}
        context = MigrationContext.configure(connection, opts=opts)
        return compare_metadata(context, db.metadata)


def _missing_or_different_triggers():
    """The triggers and functions the report-key rules need (inclusion/reports/triggers.py) not as defined."""
    with db.engine.connect() as connection:
        return drift(connection)


def test_the_migrated_schema_matches_the_models():
    assert _differences() == []


def test_the_migrated_database_has_every_trigger_the_report_keys_and_figure_cache_need():
    assert _missing_or_different_triggers() == []


def test_the_migrations_seed_the_31_framework_skills_in_six_areas():
    assert db.session.scalar(select(func.count(Skill.id))) == 31
    assert db.session.scalar(select(func.count(func.distinct(Skill.area)))) == 6
    assert db.session.scalar(select(Skill.title).where(Skill.code == "SAF-05")).startswith("respect copyright")


def test_the_migrations_seed_the_5000_adults_milestone_as_current():
    milestone = db.session.scalar(select(Milestone).where(Milestone.is_current))
    assert milestone.target == 5000


def test_downgrade_to_base_and_upgrade_again_rebuilds_the_schema():
    db.session.remove()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert _differences() == []
    assert _missing_or_different_triggers() == []
    assert db.session.scalar(select(func.count(Skill.id))) == 31
