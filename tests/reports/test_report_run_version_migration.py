"""Migration 5e8b2f1c7a90: report runs archived before version 2 existed are version 1."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from inclusion.extensions import db


def test_runs_archived_before_the_version_column_count_as_version_1():
    db.session.remove()
    downgrade(revision="5e8b2f1c7a90")
    downgrade(revision="-1")  # just before the column, wherever the chain puts it
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO report_runs (month, created_at, sha256, content) "
                "VALUES ('2026-08', '2026-09-01 06:00:00', :sha, :content)"
            ),
            {"sha": "0" * 64, "content": b"month,measure,dimension,category,value\r\n"},
        )
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT month, version FROM report_runs")).all() == [("2026-08", 1)]
