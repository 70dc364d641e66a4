"""Reading a CSV or XLSX file into numbered rows of text, and parsing its cells.

Row numbers are the spreadsheet's own: the header is row 1, the first record row 2, as Excel
shows them. Blank rows are skipped but still counted, so a number always points at the right row.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


class ImportFileError(ValueError):
    """The file as a whole cannot be read: a message fit to show the person who sent it."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        # One problem per line, even when the cell quoted in the message held a line break.
        message = LINE_BREAK.sub(" [line break] ", self.message)
        return f"row {self.row}: {self.column}: {message}"


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class CellError(ValueError):
    """One cell's value is not acceptable; the message says why."""


def read_table(data: bytes, filename: str, max_bytes: int) -> Table:
    """The file's header (lower case) and its non-blank rows, each with its spreadsheet row number."""
    if len(data) > max_bytes:
        raise ImportFileError(f"The file is too large: the limit is {_size(max_bytes)}. Split it into smaller files")
    if not data.strip():
        raise ImportFileError("The file is empty")
    name = filename.lower()
    if data.startswith(OLD_EXCEL_MAGIC) or name.endswith(".xls"):
        raise ImportFileError(
            "This is an old Excel (.xls) file: save it as CSV or Excel Workbook (.xlsx) and try again"
        )
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        records = _xlsx_records(data)
    elif name.endswith((".csv", ".txt")) or "." not in name.rsplit("/", 1)[-1]:
        records = _csv_records(_decode(data))
    else:
        raise ImportFileError("The file is not a CSV or XLSX spreadsheet: save it as CSV or Excel Workbook (.xlsx)")
    return _table(records)


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


def _csv_records(text: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportFileError(f"The file is not a readable CSV file ({error})") from None


def _xlsx_records(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ImportFileError(
            "The file is not a readable Excel Workbook (.xlsx): open it in Excel and save it again"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; without this, read-only mode would drop rows beyond it.
        sheet.reset_dimensions()
        return [[_xlsx_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
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


def _table(records: list[list[str]]) -> Table:
    numbered = [(number, record) for number, record in enumerate(records, start=1) if any(c.strip() for c in record)]
    if not numbered:
        raise ImportFileError("The file is empty")
    header_row, header = numbered[0]
    columns = [normalise_header(name) for name in header]
    # Trailing empty header cells (Excel's stray columns) are ignored if their cells are empty too.
    while columns and not columns[-1]:
        columns.pop()
    table = Table(columns=columns)
    for number, record in numbered[1:]:
        extra = [cell for cell in record[len(columns) :] if cell.strip()]
        values = {column: (record[i].strip() if i < len(record) else "") for i, column in enumerate(columns)}
        if extra:
            values["\0extra"] = "1"
        table.rows.append((number - header_row + 1, values))
    return table


def normalise_header(name: str) -> str:
    """'First Name ' -> 'first_name': headers match whatever their case or spacing."""
    return re.sub(r"[\s_]+", "_", name.strip().lower())


def check_columns(table: Table, allowed: tuple[str, ...], required: tuple[str, ...]) -> list[Problem]:
    """Unknown, repeated, unnamed and missing columns, reported against the header (row 1)."""
    problems = []
    seen = set()
    for position, column in enumerate(table.columns, start=1):
        if not column:
            problems.append(Problem(1, f"column {position}", "this column has no header"))
        elif column in seen:
            problems.append(Problem(1, _header_label(position, column), "this column appears more than once"))
        elif column not in allowed:
            problems.append(
                Problem(1, _header_label(position, column), f"unknown column; the columns are: {', '.join(allowed)}")
            )
        seen.add(column)
    for column in required:
        if column not in seen:
            problems.append(Problem(1, column, "required column is missing"))
    if not table.rows and not problems:
        problems.append(Problem(2, "-", "the file has a header row but no rows to import"))
    for number, values in table.rows:
        if "\0extra" in values:
            problems.append(Problem(number, "-", "this row has more cells than the header has columns"))
    return problems


def _header_label(position: int, column: str) -> str:
    """The header as typed when it is plain text; otherwise its position and an escaped copy.

    A header holding a colon, a line break or a control character (a terminal escape, say) would
    otherwise break the `row N: column: message` line, or act on the terminal showing it.
    """
    if column.isprintable() and ":" not in column and len(column) <= 60:
        return column
    escaped = ascii(column[:60]).replace(":", r"\x3a")
    return f"column {position} ({escaped})"


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date:
    """YYYY-MM-DD or the UK's DD/MM/YYYY."""
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK_DATE.match(text)
        if not match:
            raise CellError(f"'{text}' is not a date: use YYYY-MM-DD or DD/MM/YYYY")
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"'{text}' is not a real date") from None
