"""The rows of a spreadsheet (read by reading.py), their problems, and parsing their cells."""

import re
from dataclasses import dataclass, field
from datetime import date

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


def normalise_header(name: str) -> str:
    """'First Name ' -> 'first_name': headers match whatever their case or spacing."""
    return re.sub(r"[\s_]+", "_", name.strip().lower())


UNKNOWN_COLUMN = "unknown column"


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
                Problem(1, _header_label(position, column), f"{UNKNOWN_COLUMN}; the columns are: {', '.join(allowed)}")
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


def header_stops_row_checks(problems: list[Problem]) -> bool:
    """Whether the header's problems leave the rows unreadable: a missing, repeated or unnamed column does;
    an unknown column does not (it is ignored while checking), so every row's problems are listed with it."""
    return any(problem.row == 1 and not problem.message.startswith(UNKNOWN_COLUMN) for problem in problems)


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
