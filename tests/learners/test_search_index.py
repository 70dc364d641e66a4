"""On PostgreSQL the search box's part-of-a-name match is answered by the trigram index, not a scan."""

import pytest
from sqlalchemy import select, text

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.learners.search import name_matches
from tests import factories


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
