"""The monthly funder CSV (DESIGN.md, "Monthly funder CSV"): figures → rows → bytes."""

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from flask import current_app

from inclusion.csv_safety import csv_bytes
from inclusion.reports import metrics, queries
from inclusion.reports.periods import Period
from inclusion.sessions.constants import SKILL_AREAS


class Row(NamedTuple):
    """One line of the funder CSV, its value already formatted as the file writes it."""

    month: str
    measure: str
    dimension: str
    category: str
    value: str


COLUMNS = list(Row._fields)
DECIMAL_MEASURES = ("learner_hours", "milestone_progress_percent")


def monthly_rows(period: Period, *, threshold: int | None = None) -> list[Row]:
    """Every row of the monthly CSV for `period`, sorted by measure, dimension and category."""
    if threshold is None:
        threshold = current_app.config["SUPPRESSION_THRESHOLD"]
    month = period.key
    with_sessions = queries.categories_with_sessions(queries.Scope(period.start, period.end))
    rows = []
    for measure, figure in metrics.MEASURES.items():
        rows.append(Row(month, measure, "total", "all", format_value(measure, figure(period))))
        for dimension in metrics.dimensions_of(measure):
            values = figure(period, by=dimension)
            if dimension in with_sessions:
                categories = with_sessions[dimension]
            elif dimension == "skill_area":
                categories = list(SKILL_AREAS)
            else:  # age_band: only bands whose figure is not zero
                categories = [band for band, value in values.items() if value]
            for category in categories:
                value = metrics.suppress(measure, values.get(category, 0), threshold)
                rows.append(Row(month, measure, dimension, category, format_value(measure, value)))
    milestone = {
        "milestone_target": metrics.milestone_target(),
        "milestone_progress_percent": metrics.milestone_progress_percent(period),
    }
    for measure, value in milestone.items():
        rows.append(Row(month, measure, "total", "all", format_value(measure, value)))
    return sorted_rows(rows)


def sorted_rows(rows: Iterable[Row]) -> list[Row]:
    """Rows by measure, dimension and category in plain code-point order (the same in every locale),
    rows that tie keeping their order."""
    return sorted(rows, key=lambda row: (row.measure, row.dimension, row.category))


def format_value(measure: str, value) -> str:
    """Hours and percentages with exactly one decimal place, other figures as whole numbers; "[c]" as is."""
    if isinstance(value, str):
        return value
    if measure in DECIMAL_MEASURES:
        return f"{Decimal(value):.1f}"
    return str(int(value))


def rows_to_csv(rows: Iterable[Row]) -> bytes:
    return csv_bytes(COLUMNS, rows)


def monthly_csv(period: Period) -> bytes:
    """The monthly funder CSV's exact bytes, as written by the command line and the web download."""
    return rows_to_csv(monthly_rows(period))


def monthly_filename(period: Period) -> str:
    return f"inclusion-monthly-{period.key}.csv"
