"""Version 2 of the monthly funder CSV (DESIGN.md, "Monthly funder CSV, version 2").

Every row of version 1, plus the second stage's measures (metrics.V2_MEASURES), and secondary
suppression on every measure's age-band rows (metrics.suppress_partition).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from flask import current_app

from inclusion.learners.constants import AGE_BANDS
from inclusion.reports import exports, metrics, queries
from inclusion.reports.periods import Period

if TYPE_CHECKING:  # pandas is imported where a frame is built, not when the app starts
    import pandas as pd


def monthly_frame(period: Period, *, threshold: int | None = None) -> pd.DataFrame:
    """Every row of the version 2 CSV for `period`, sorted as version 1 is."""
    if threshold is None:
        threshold = current_app.config["SUPPRESSION_THRESHOLD"]
    import pandas as pd  # here, not at the top: a process that makes no CSV never pays its import

    first = exports.monthly_frame(period, threshold=threshold)
    added = pd.DataFrame(_new_measure_rows(period, threshold), columns=exports.COLUMNS, dtype=object)
    frame = pd.concat([first, added], ignore_index=True) if len(added) else first
    frame = _suppress_age_bands(frame, threshold)
    return frame.sort_values(["measure", "dimension", "category"], kind="stable").reset_index(drop=True)


def _new_measure_rows(period: Period, threshold: int) -> list[tuple]:
    with_sessions = queries.categories_with_sessions(queries.Scope(period.start, period.end))
    rows = []
    for measure, figure in metrics.V2_MEASURES.items():
        rows.append((period.key, measure, "total", "all", exports.format_value(measure, figure(period))))
        for dimension in metrics.dimensions_of(measure):
            values = figure(period, by=dimension)
            if dimension == "age_band":  # only bands whose figure is not zero
                categories = [band for band in AGE_BANDS if values.get(band)]
            else:
                categories = with_sessions[dimension]
            for category in categories:
                value = metrics.suppress(measure, values.get(category, 0), threshold)
                rows.append((period.key, measure, dimension, category, exports.format_value(measure, value)))
    return rows


def _suppress_age_bands(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Each measure's age-band cells, read back as numbers, suppressed as a partition of its total."""
    frame = frame.copy()
    bands = frame[frame["dimension"] == "age_band"]
    order = {band: index for index, band in enumerate(AGE_BANDS)}
    for _, cells in bands.groupby("measure", sort=False):
        cells = cells.sort_values("category", key=lambda column: column.map(order))
        values = {index: _number(value) for index, value in cells["value"].items()}
        for index, value in metrics.suppress_partition(values, threshold).items():
            if value == "[c]":
                frame.at[index, "value"] = "[c]"
    return frame


def _number(text: str):
    return text if text == "[c]" else Decimal(text)
