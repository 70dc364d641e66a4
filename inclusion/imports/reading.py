"""Reading a CSV or XLSX file into numbered rows of text, within limits set before and while reading.

A hostile file must be refused quickly and in little memory: the compressed size is checked
first, then (for .xlsx) the size every member says it expands to and how far it is compressed,
both read from the zip's directory before anything is decompressed; then rows are streamed and
counted, and reading stops as soon as the row limit is passed.

Row numbers are the spreadsheet's own: the header is row 1, the first record row 2, as Excel
shows them. Blank rows are skipped but still counted, so a number always points at the right row.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from inclusion.imports.parsing import ImportFileError, Table, normalise_header

XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
# Spreadsheet XML compresses about 10 times (openpyxl's and Excel's own files); a member
# compressed far more than this holds almost nothing but repetition: a zip bomb, not a sheet.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE = 1024 * 1024  # tiny members (styles, themes) compress well and cost nothing
NOT_READABLE = "The file is not a readable Excel Workbook (.xlsx): open it in Excel and save it again"
# Excel's last row. openpyxl yields an empty row for every row number a sheet skips, so a sheet
# that jumps to row 2,000,000,000 would otherwise keep the reader busy for hours.
MAX_SHEET_ROW = 1_048_576


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int
    max_rows: int
    max_uncompressed_bytes: int


def read_table(data: bytes, filename: str, limits: ReadLimits) -> Table:
    """The file's header (lower case) and its non-blank rows, each with its spreadsheet row number."""
    if len(data) > limits.max_bytes:
        raise ImportFileError(
            f"The file is too large: the limit is {_size(limits.max_bytes)}. Split it into smaller files"
        )
    if not data.strip():
        raise ImportFileError("The file is empty")
    name = filename.lower()
    if data.startswith(OLD_EXCEL_MAGIC) or name.endswith(".xls"):
        raise ImportFileError(
            "This is an old Excel (.xls) file: save it as CSV or Excel Workbook (.xlsx) and try again"
        )
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return _xlsx_table(data, limits)
    if name.endswith((".csv", ".txt")) or "." not in name.rsplit("/", 1)[-1]:
        return _csv_table(_decode(data), limits.max_rows)
    raise ImportFileError("The file is not a CSV or XLSX spreadsheet: save it as CSV or Excel Workbook (.xlsx)")


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportFileError("The file is not a CSV or XLSX spreadsheet: save it as CSV or Excel Workbook (.xlsx)")
    try:
        return data.decode("utf-8-sig")  # UTF-8, with or without Excel's byte order mark
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what Excel on Windows writes as plain "CSV"
    except UnicodeDecodeError:
        raise ImportFileError(
            "The file's text encoding was not recognised: save it as 'CSV UTF-8 (Comma delimited)' and try again"
        ) from None


def _csv_table(text: str, max_rows: int) -> Table:
    try:
        return _table(csv.reader(io.StringIO(text, newline="")), max_rows)
    except csv.Error as error:
        raise ImportFileError(f"The file is not a readable CSV file ({error})") from None


def check_zip_directory(archive: zipfile.ZipFile, max_uncompressed_bytes: int) -> None:
    """Refuse, before decompressing anything, a workbook that would expand too far.

    The sizes are those the zip's directory declares; Python's zipfile never decompresses a
    member past its declared size (it stops, and the checksum then fails), so they are a bound.
    """
    members = archive.infolist()
    if sum(member.file_size for member in members) > max_uncompressed_bytes:
        raise ImportFileError(
            f"The file is too large once opened: a workbook may hold at most {_size(max_uncompressed_bytes)} "
            "of spreadsheet data. Split it into smaller files, or save it as CSV"
        )
    for member in members:
        if member.file_size > RATIO_CHECKED_ABOVE and member.file_size > MAX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise ImportFileError(
                f"The file expands more than {MAX_COMPRESSION_RATIO} times when opened, which a spreadsheet "
                "does not: it may be a 'zip bomb'. Open it in Excel and save it again"
            )


def _xlsx_table(data: bytes, limits: ReadLimits) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip_directory(archive, limits.max_uncompressed_bytes)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds of error for a damaged file
        raise ImportFileError(NOT_READABLE) from None
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; without this, read-only mode would drop rows beyond it.
        sheet.reset_dimensions()
        rows = ([_xlsx_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
        return _table(rows, limits.max_rows)
    except ImportFileError:
        raise
    except Exception:  # a cell or row openpyxl cannot make sense of (text in a number cell, bad XML)
        raise ImportFileError(NOT_READABLE) from None
    finally:
        workbook.close()


def _xlsx_text(value) -> str:
    """A cell as the text a person sees: dates as YYYY-MM-DD, times as HH:MM, 60.0 as 60."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _non_blank(records: Iterable[list[str]], max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) of each non-blank row; stops once the header and `max_rows` are passed."""
    kept = 0
    for number, record in enumerate(records, start=1):
        if number > MAX_SHEET_ROW:
            raise ImportFileError(
                f"The file goes past row {MAX_SHEET_ROW:,}, the last row a spreadsheet can have: "
                "delete the empty rows and try again"
            )
        if any(cell.strip() for cell in record):
            kept += 1
            if kept > max_rows + 1:  # the header is not one of the rows
                raise ImportFileError(
                    f"The file has more than {max_rows:,} rows: the limit is {max_rows:,}. Split it into smaller files"
                )
            yield number, record


def _table(records: Iterable[list[str]], max_rows: int) -> Table:
    numbered = _non_blank(records, max_rows)
    first = next(numbered, None)
    if first is None:
        raise ImportFileError("The file is empty")
    header_row, header = first
    columns = [normalise_header(name) for name in header]
    # Trailing empty header cells (Excel's stray columns) are ignored if their cells are empty too.
    while columns and not columns[-1]:
        columns.pop()
    table = Table(columns=columns)
    for number, record in numbered:
        extra = [cell for cell in record[len(columns) :] if cell.strip()]
        values = {column: (record[i].strip() if i < len(record) else "") for i, column in enumerate(columns)}
        if extra:
            values["\0extra"] = "1"
        table.rows.append((number - header_row + 1, values))
    return table
