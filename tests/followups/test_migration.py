"""Migration 16c86f611379: learners registered before it may be contacted; downgrading removes it cleanly."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from inclusion.extensions import db
from inclusion.reports.installed import drift


def test_learners_registered_before_follow_ups_may_be_contacted_and_the_revision_goes_down_and_up():
    db.session.remove()
    downgrade(revision="16c86f611379")
    downgrade(revision="-1")  # just before the follow-ups, wherever the chain puts them
    try:  # whatever happens, the next test finds the schema migrated
        inspector = inspect(db.engine)
        assert "follow_ups" not in inspector.get_table_names()
        assert "may_contact" not in {column["name"] for column in inspector.get_columns("learners")}
        _a_learner_registered_before()
    finally:
        upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT may_contact FROM learners WHERE reference = 'L-OLD01'")).scalar() in (
            True,
            1,
        )
        assert drift(connection) == []


def _a_learner_registered_before() -> None:
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO partners (name, created_at) VALUES ('P', '2026-09-01')"))
        partner_id = connection.execute(text("SELECT max(id) FROM partners")).scalar()
        connection.execute(
            text(
                "INSERT INTO learners (reference, first_name, last_name, search_name, age_band, lawful_basis, "
                "registered_on, registered_partner_id, created_at, updated_at) VALUES ('L-OLD01', 'Ann', 'Lee', "
                "'ann lee', 'unknown', 'public-task', '2026-09-01', :partner, '2026-09-01', '2026-09-01')"
            ),
            {"partner": partner_id},
        )
