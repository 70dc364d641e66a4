"""On PostgreSQL the search box's part-of-a-name match is answered by the trigram index, not a scan;
a database user who may not create the index's extension is told what to ask for."""

import pytest
from alembic import command
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.learners.search import name_matches
from tests import factories
from tests.scratch_databases import app_on, scratch_database_url


@pytest.fixture
def postgresql():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's trigram index; SQLite scans (this run uses " + db.engine.dialect.name + ")")


def _plan(statement) -> str:
    compiled = statement.compile(dialect=db.engine.dialect)
    # With a handful of rows a scan is cheaper: forbid it, so the plan shows whether the index *can* answer.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    rows = db.session.connection().exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
    return "\n".join(row[0] for row in rows)


def test_a_part_of_a_name_is_found_through_the_trigram_index(postgresql):
    partner = factories.create_partner()
    factories.create_learner("Margaret", "Hughes", partner=partner)
    factories.create_learner("Peter", "Hall", partner=partner)
    plan = _plan(select(Learner.id).where(name_matches("hugh marg")))
    assert "ix_learners_search_name_trigram" in plan, plan


def test_a_name_with_like_wildcards_in_it_still_uses_the_index(postgresql):
    plan = _plan(select(Learner.id).where(name_matches("o_neil 100%")))
    assert "ix_learners_search_name_trigram" in plan, plan


def test_a_database_user_who_may_not_create_pg_trgm_is_told_to_ask_and_nothing_is_half_done(postgresql, tmp_path):
    with scratch_database_url(tmp_path, "no_trgm") as url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        # A role like a managed service's: it may make tables in the schema, not extensions in the database.
        role = f"{make_url(url).database}_user"
        with admin.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
            connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
            connection.execute(text(f'GRANT CREATE ON SCHEMA public TO "{role}"'))
        as_role = make_url(url).set(username=role).render_as_string(hide_password=False)
        try:
            # Alembic's own command, so the error reaches the test: `flask db upgrade` prints its
            # message (Flask-Migrate logs a RuntimeError's text) and exits 1.
            with app_on(as_role), pytest.raises(RuntimeError) as refused:
                command.upgrade(current_app.extensions["migrate"].migrate.get_config(), "head")
            assert "Ask the database's administrator to run `CREATE EXTENSION pg_trgm;`" in str(refused.value)
            with admin.connect() as connection:  # the whole upgrade rolled back: no table, no version
                assert connection.scalar(text("SELECT to_regclass('learners')")) is None

            with admin.connect() as connection:  # the administrator creates it; the upgrade goes through
                connection.execute(text("CREATE EXTENSION pg_trgm"))
            with app_on(as_role):
                upgrade()
                assert "ix_learners_search_name_trigram" in {
                    index["name"] for index in inspect(db.engine).get_indexes("learners")
                }
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP OWNED BY "{role}"'))
                connection.execute(text(f'DROP ROLE "{role}"'))
            admin.dispose()
