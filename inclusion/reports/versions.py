"""The versions of the monthly funder CSV, in one registry: version number → the function giving its rows.

Every consumer (the JSON feed today; the command line and the web download once version 2 exists)
looks a version up here, so a new version is one more entry. Each function takes a Period and
returns the CSV's rows (`exports.Row`, in the file's order, values already formatted as the CSV writes them).
"""

from collections.abc import Callable

from inclusion.reports import exports, funder_csv_v2
from inclusion.reports.exports import Row
from inclusion.reports.periods import Period

CSV_VERSIONS: dict[int, Callable[[Period], list[Row]]] = {
    1: exports.monthly_rows,
    2: funder_csv_v2.monthly_rows,
}


class UnknownVersionError(LookupError):
    """No funder CSV of that version (yet); the message is for the person or program asking."""


def available_versions() -> list[int]:
    return sorted(CSV_VERSIONS)


def newest_version() -> int:
    return max(CSV_VERSIONS)


def rows_builder(version: int) -> Callable[[Period], list[Row]]:
    """The function producing the rows of `version`; UnknownVersionError if there is none."""
    if version not in CSV_VERSIONS:
        available = ", ".join(str(number) for number in available_versions())
        when = " yet" if version > newest_version() else ""
        raise UnknownVersionError(
            f"Version {version} of the funder CSV is not available{when} (available: {available})"
        )
    return CSV_VERSIONS[version]


def monthly_rows(period: Period, version: int) -> list[Row]:
    return rows_builder(version)(period)
