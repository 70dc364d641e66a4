"""The versions of the monthly funder CSV, in one registry: version number → the function giving its rows.

Every consumer (the JSON feed today; the command line and the web download once version 2 exists)
looks a version up here, so a new version is one more entry. Each function takes a Period and
returns the CSV's frame (columns `exports.COLUMNS`, values already formatted as the CSV writes them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from inclusion.reports import exports, funder_csv_v2
from inclusion.reports.periods import Period

if TYPE_CHECKING:  # pandas is imported where a frame is built, not when the app starts
    import pandas as pd

CSV_VERSIONS: dict[int, Callable[[Period], pd.DataFrame]] = {
    1: exports.monthly_frame,
    2: funder_csv_v2.monthly_frame,
}


class UnknownVersionError(LookupError):
    """No funder CSV of that version (yet); the message is for the person or program asking."""


def available_versions() -> list[int]:
    return sorted(CSV_VERSIONS)


def newest_version() -> int:
    return max(CSV_VERSIONS)


def frame_builder(version: int) -> Callable[[Period], pd.DataFrame]:
    """The function producing the rows of `version`; UnknownVersionError if there is none."""
    if version not in CSV_VERSIONS:
        available = ", ".join(str(number) for number in available_versions())
        when = " yet" if version > newest_version() else ""
        raise UnknownVersionError(
            f"Version {version} of the funder CSV is not available{when} (available: {available})"
        )
    return CSV_VERSIONS[version]


def monthly_frame(period: Period, version: int) -> pd.DataFrame:
    return frame_builder(version)(period)
