"""Every CSV the application writes goes through here, so no cell can run as a spreadsheet formula.

The funder CSV (version 1) is a contract down to its bytes, so its line ending, \n, is every file's.
"""

import csv
import io
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell starting =, +, -, @, tab or carriage return gets a leading ' (numbers are left alone)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]], *, batch: int = 500) -> Iterator[bytes]:
    """The CSV as a stream of UTF-8 chunks (`batch` rows each), for a response that is never held whole.

    Exactly the bytes of csv_bytes: one writer, every text cell neutralised, lines ending in \\n.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(cell) for cell in header])
    pending = 1
    for row in rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
        pending += 1
        if pending >= batch:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending or buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 CSV, comma separated, one header row, lines ending in \\n, every text cell neutralised."""
    return b"".join(csv_lines(header, rows))
