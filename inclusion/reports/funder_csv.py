"""The monthly funder CSV of a given version, as bytes: the command line, the web download and sending use this."""

from flask import current_app

from inclusion.reports import cache, exports, versions
from inclusion.reports.periods import Period
from inclusion.reports.versions import UnknownVersionError
from inclusion.rules import whole_number


def default_version() -> int:
    """The FUNDER_CSV_VERSION setting (2 unless set): sent each month and downloaded unless asked otherwise."""
    return int(current_app.config["FUNDER_CSV_VERSION"])


def parse_version(text: str | None) -> int:
    """A version asked for as text ("1", "2"); none given: the default. UnknownVersionError if there is no such one."""
    if text is None or text == "":
        return default_version()
    version = whole_number(text)
    if version is None:
        raise UnknownVersionError(f"The funder CSV version must be a whole number, not {text!r}")
    versions.rows_builder(version)  # refuses a version that does not exist
    return version


def monthly_csv(period: Period, version: int | None = None) -> bytes:
    """The exact bytes of the month's funder CSV in `version` (default: default_version())."""
    # Every figure of the file under one read of the data version, shared with every process.
    with cache.one_version(shared=True):
        return exports.rows_to_csv(versions.monthly_rows(period, version or default_version()))
