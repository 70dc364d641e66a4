"""The monthly funder CSV (DESIGN.md, "Monthly funder CSV"): figures → frame → bytes."""

from decimal import Decimal
from typing import TYPE_CHECKING

from flask import current_app

from inclusion.csv_safety import csv_bytes
from inclusion.reports import metrics, queries
from inclusion.reports.periods import Period
from inclusion.sessions.constants import SKILL_AREAS

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["month", "measure", "dimension", "category", "value"]
DECIMAL_MEASURES = ("learner_hours", "milestone_progress_percent")


def monthly_frame(period: Period, *, threshold: int | None = None) -> "pd.DataFrame":
    """Every row of the monthly CSV for `period`, sorted by measure, dimension and category."""
    import pandas as pd  # here, not at the top: a process that makes no CSV never pays its import

    if threshold is None:
        threshold = current_app.config["SUPPRESSION_THRESHOLD"]
    month = period.key
    with_sessions = queries.categories_with_sessions(queries.Scope(period.start, period.end))
    rows = []
    for measure, figure in metrics.MEASURES.items():
        rows.append((month, measure, "total", "all", format_value(measure, figure(period))))
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
                rows.append((month, measure, dimension, category, format_value(measure, value)))
    milestone = {
        "milestone_target": metrics.milestone_target(),
        "milestone_progress_percent": metrics.milestone_progress_percent(period),
    }
    for measure, value in milestone.items():
        rows.append((month, measure, "total", "all", format_value(measure, value)))
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    # Plain code-point order of the three text columns, the same in every locale.
    return frame.sort_values(["measure", "dimension", "category"], kind="stable").reset_index(drop=True)


def format_value(measure: str, value) -> str:
    """Hours and percentages with exactly one decimal place, other figures as whole numbers; "[c]" as is."""
    if isinstance(value, str):
        return value
    if measure in DECIMAL_MEASURES:
        return f"{Decimal(value):.1f}"
    return str(int(value))


def frame_to_csv(frame: "pd.DataFrame") -> bytes:
    return csv_bytes(frame.columns, frame.itertuples(index=False, name=None))


def monthly_csv(period: Period) -> bytes:
    """The monthly funder CSV's exact bytes, as written by the command line and the web download."""
    return frame_to_csv(monthly_frame(period))


def monthly_filename(period: Period) -> str:
    return f"inclusion-monthly-{period.key}.csv"
