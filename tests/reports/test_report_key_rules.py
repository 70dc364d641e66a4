"""Each counting rule has one definition (inclusion/reports/keys.py) that every user of it follows."""

import re
from datetime import date, time
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from inclusion.core.generate import generate
from inclusion.extensions import db
from inclusion.reports import keys, metrics
from inclusion.reports.installed import drift
from inclusion.reports.periods import Period
from inclusion.reports.selfcheck import check_report_keys
from inclusion.reports.trigger_revision import render
from tests import factories
from tests.reports.keys_support import put_back_data_version

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def test_the_learner_page_credits_a_skill_to_the_session_the_figures_count_it_at(client, login_as):
    """Shown at two sessions on one day: the first by session id, whatever their start times."""
    champion = login_as("champion")
    venue = factories.create_venue(partner=champion.partner)
    ann = factories.create_learner(partner=champion.partner)
    shows_fnd_01 = dict(attendees=[ann], skills={ann: ["FND-01"]})
    evening = factories.create_session(venue, date(2026, 10, 6), start_time=time(18), **shows_fnd_01)
    factories.create_session(venue, date(2026, 10, 6), start_time=time(10), **shows_fnd_01)

    page = client.get(f"/learners/{ann.reference}").get_data(as_text=True)

    assert f'href="/sessions/{evening.id}">6 October 2026</a>' in page
    assert metrics.skills_gained(Period.month(date(2026, 10, 1)), by="venue") == {venue.name: 1}


def test_the_python_rendering_of_the_first_achievement_rule_orders_by_date_then_session_then_id():
    rows = [
        {"learner_key": 1, "skill_id": 5, "session_date": date(2026, 10, 6), "session_id": 9},
        {"learner_key": 1, "skill_id": 5, "session_date": date(2026, 10, 6), "session_id": 4},
        {"learner_key": 1, "skill_id": 5, "session_date": date(2026, 9, 1), "session_id": 12},
        {"learner_key": 2, "skill_id": 5, "session_date": date(2026, 10, 6), "session_id": 4},
        {"learner_key": 2, "skill_id": 5, "session_date": date(2026, 10, 6), "session_id": 4},
    ]
    keys.mark_first_rows(keys.FIRST_ACHIEVEMENT, rows)
    assert [row["is_first"] for row in rows] == [False, False, True, True, False]  # the last: a later id
    assert keys.first_attendance_by_learner(rows) == {1: date(2026, 9, 1), 2: date(2026, 10, 6)}


def test_a_change_to_any_column_the_first_achievement_rule_reads_re_runs_it_on_sqlite():
    read = set(keys.FIRST_ACHIEVEMENT_PARTITION + keys.FIRST_ACHIEVEMENT_ORDER) - {"id"}  # an id never changes
    assert read <= set(keys.ACHIEVEMENT_MOVES)


def test_demo_generate_writes_the_keys_the_rules_give(db):
    put_back_data_version()
    generate(120, 60, seed=2026, until=date(2026, 10, 31), progress=lambda _message: None)

    result = check_report_keys()
    assert result.keys_checked > 1000
    assert result.ok, result.disagreements


def test_the_committed_trigger_snapshot_is_what_the_rules_render():
    """The latest snapshot migration holds exactly the SQL inclusion/reports/triggers.py renders now."""
    snapshots = sorted(path for path in MIGRATIONS.glob("*.py") if "TRIGGERS = {" in path.read_text())
    latest = snapshots[-1].read_text()
    revision = re.search(r'^revision = "(\w+)"', latest, re.M).group(1)
    down_revision = re.search(r'^down_revision = "(\w+)"', latest, re.M).group(1)
    assert latest.endswith(render(revision, down_revision))


def test_upgrading_through_the_snapshot_puts_back_a_trigger_dropped_by_hand(db):
    db.session.execute(text("DROP TRIGGER IF EXISTS learners_report_keys" + _on("learners")))
    db.session.commit()
    db.session.remove()

    downgrade(revision="c41d7e9a5f02")  # before the first snapshot
    upgrade()

    with db.engine.connect() as connection:
        assert drift(connection) == []


def _on(table: str) -> str:
    return f" ON {table}" if db.engine.dialect.name == "postgresql" else ""
