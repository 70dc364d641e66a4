"""The funder CSV (version 1) of the demo alliance is byte for byte what funders have been sent."""

import hashlib
from datetime import date

from sqlalchemy import text

from inclusion.core import demo_data
from inclusion.extensions import db
from inclusion.reports.exports import monthly_csv
from inclusion.reports.periods import parse_month

# Worked out once from `flask demo seed` on 15 November 2026; a change to the writer (line
# endings, quoting, number formats) or to a figure changes it. A deliberate change is a new version.
OCTOBER_2026_SHA256 = "6e2ddfb9aab8fba8a9c9221ba09b71e9764b45556bb6e3e6d7b903576d9fe0a6"
FIRST_LINES = b"month,measure,dimension,category,value\n2026-10,adults_helped,age_band,"


def _restart_id_sequences() -> None:
    """PostgreSQL keeps counting ids after the tables are emptied; the demo's weekdays follow venue ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False:
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), 1, false)"))
    db.session.commit()


def test_the_demo_alliances_monthly_csv_is_unchanged(app, monkeypatch):
    _restart_id_sequences()
    monkeypatch.setattr(demo_data, "today_in_london", lambda: date(2026, 11, 15))
    demo_data.seed_demo()
    content = monthly_csv(parse_month("2026-10"))
    assert content.startswith(FIRST_LINES)
    assert b"\r" not in content
    assert hashlib.sha256(content).hexdigest() == OCTOBER_2026_SHA256
