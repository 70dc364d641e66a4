"""Writing CSV that a spreadsheet will not run as a formula (as csv_safety in reports will, once merged)."""

import csv
import io
from collections.abc import Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Prefix a text cell that Excel would read as a formula with a quote; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 CSV with a header row, every text cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(name) for name in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise_formula(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")
