"""Version 2 of the monthly funder CSV (DESIGN.md, "Monthly funder CSV, version 2").

Every row of version 1, plus the second stage's measures (metrics.V2_MEASURES), and secondary
suppression on every measure's age-band rows (metrics.suppress_partition).
"""

from decimal import Decimal

from flask import current_app

from inclusion.learners.constants import AGE_BANDS
from inclusion.reports import exports, metrics, queries
from inclusion.reports.exports import Row
from inclusion.reports.periods import Period


def monthly_rows(period: Period, *, threshold: int | None = None) -> list[Row]:
    """Every row of the version 2 CSV for `period`, sorted as version 1 is."""
    if threshold is None:
        threshold = current_app.config["SUPPRESSION_THRESHOLD"]
    rows = exports.monthly_rows(period, threshold=threshold) + _new_measure_rows(period, threshold)
    return exports.sorted_rows(_suppress_age_bands(rows, threshold))


def _new_measure_rows(period: Period, threshold: int) -> list[Row]:
    with_sessions = queries.categories_with_sessions(queries.Scope(period.start, period.end))
    rows = []
    for measure, figure in metrics.V2_MEASURES.items():
        rows.append(Row(period.key, measure, "total", "all", exports.format_value(measure, figure(period))))
        for dimension in metrics.dimensions_of(measure):
            values = figure(period, by=dimension)
            if dimension == "age_band":  # only bands whose figure is not zero
                categories = [band for band in AGE_BANDS if values.get(band)]
            elif measure in metrics.REGISTERING_PARTNER_MEASURES:
                # By the learner's registering partner, which may have had no session in the month: its
                # row is written too when not zero, so that the partner rows add up to the total.
                categories = sorted(set(with_sessions[dimension]) | {name for name, value in values.items() if value})
            else:
                categories = with_sessions[dimension]
            for category in categories:
                value = metrics.suppress(measure, values.get(category, 0), threshold)
                rows.append(Row(period.key, measure, dimension, category, exports.format_value(measure, value)))
    return rows


def _suppress_age_bands(rows: list[Row], threshold: int) -> list[Row]:
    """Each measure's age-band cells, read back as numbers, suppressed as a partition of its total."""
    rows = list(rows)
    order = {band: index for index, band in enumerate(AGE_BANDS)}
    bands: dict[str, list[int]] = {}  # measure → the positions of its age-band rows
    for position, row in enumerate(rows):
        if row.dimension == "age_band":
            bands.setdefault(row.measure, []).append(position)
    for positions in bands.values():
        positions.sort(key=lambda position: order.get(rows[position].category, len(order)))
        values = {position: _number(rows[position].value) for position in positions}
        for position, value in metrics.suppress_partition(values, threshold).items():
            if value == "[c]":
                rows[position] = rows[position]._replace(value="[c]")
    return rows


def _number(text: str):
    return text if text == "[c]" else Decimal(text)
