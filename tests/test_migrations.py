"""The migrations build exactly the schema the models describe, and can be undone."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from inclusion.extensions import db
from inclusion.reports.models import Milestone
from inclusion.sessions.models import Skill


def _differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_the_migrated_schema_matches_the_models():
    assert _differences() == []


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
    assert db.session.scalar(select(func.count(Skill.id))) == 31
