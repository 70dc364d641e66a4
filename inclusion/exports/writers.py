"""Streaming writers for list exports: CSV through the one CSV writer, XLSX through openpyxl's write-only mode.

Both neutralise every text cell that a spreadsheet would run as a formula (csv_safety.safe_cell), and
neither holds the file in memory: CSV is sent a batch of rows at a time; XLSX rows go straight to
openpyxl's temporary files, the workbook is saved to a temporary file and sent from it in chunks.
"""

import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time

from inclusion.csv_safety import csv_lines, safe_cell
from inclusion.timeutil import to_london

CHUNK_BYTES = 64 * 1024


def _plain(value: object) -> object:
    """Dates as the date, times as HH:MM, moments as the London date, yes/no as the import takes them."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return to_london(value).date()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


def _csv_value(value: object) -> object:
    value = _plain(value)
    return value.isoformat() if isinstance(value, date) else value


def csv_stream(columns: tuple[str, ...], rows: Iterable[tuple]) -> Iterator[bytes]:
    return csv_lines(columns, (tuple(_csv_value(cell) for cell in row) for row in rows))


def _xlsx_row(row: tuple, clean) -> list:
    """A row's cells for openpyxl: formula-like text neutralised, control characters (which make the
    file unreadable) removed, dates left as dates (openpyxl gives them a date format), times as HH:MM."""
    cells = []
    for value in row:
        if isinstance(value, str):
            value = clean("", safe_cell(value))
        elif isinstance(value, (datetime, time)):
            value = _plain(value)
        cells.append(value)
    return cells


def xlsx_stream(sheet_title: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> Iterator[bytes]:
    """The workbook (one sheet, a header row, then the rows), written write-only and sent in chunks."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    clean = ILLEGAL_CHARACTERS_RE.sub
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    sheet.append([safe_cell(name) for name in columns])
    for row in rows:
        sheet.append(_xlsx_row(row, clean))
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as saved:
            while chunk := saved.read(CHUNK_BYTES):
                yield chunk
    finally:
        os.unlink(path)
