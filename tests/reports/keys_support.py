"""Shared by the report-key tests: the data_version row, which emptying the database between tests removes."""

from sqlalchemy import delete, insert

from inclusion.extensions import db
from inclusion.reports.models import DataVersion


def put_back_data_version() -> None:
    """As the migrations leave it: one row (the figure cache's input the self-check also checks)."""
    db.session.execute(delete(DataVersion))
    db.session.execute(insert(DataVersion).values(id=1, version=1))
    db.session.commit()
