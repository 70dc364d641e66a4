"""Hostile spreadsheets built in memory by the tests (nothing large is kept in the repository)."""

import io
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_END = b"</sheetData></worksheet>"


def _skeleton() -> dict[str, bytes]:
    """The members of a real one-sheet workbook, as openpyxl writes it."""
    workbook = Workbook()
    workbook.active.append(["first_name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def text_cell(text: str) -> bytes:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def row(*cells: bytes) -> bytes:
    return b"<row>" + b"".join(cells) + b"</row>"


def xlsx(
    sheet_parts: Iterable[bytes],
    *,
    replace: dict[str, bytes | None] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A workbook whose first sheet's XML is `sheet_parts` (streamed, so it may be large).

    `replace` swaps other members (None removes one).
    """
    members = {**_skeleton(), **(replace or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            if name == SHEET:
                with archive.open(SHEET, "w", force_zip64=True) as sheet:
                    for part in sheet_parts:
                        sheet.write(part)
            elif content is not None:
                archive.writestr(name, content)
    return buffer.getvalue()


def sheet_of_rows(header: bytes, body: bytes, count: int) -> Iterable[bytes]:
    """The XML of a sheet: a header row, then `body` `count` times, written in chunks."""
    yield SHEET_START
    yield header
    chunk = body * 10_000
    for _ in range(count // 10_000):
        yield chunk
    yield body * (count % 10_000)
    yield SHEET_END


def million_rows() -> bytes:
    """About 300 KB that holds a header and 1,000,000 learner rows (the file of issue 12)."""
    return xlsx(sheet_of_rows(row(text_cell("first_name")), row(text_cell("Ann")), 1_000_000))


def zip_bomb(megabytes: int = 200) -> bytes:
    """A small file whose sheet expands to `megabytes` of XML (spaces between the rows)."""

    def parts():
        yield SHEET_START + row(text_cell("first_name"))
        spaces = b" " * (1024 * 1024)
        for _ in range(megabytes):
            yield spaces
        yield SHEET_END

    return xlsx(parts())


def sheet_xml(*rows: bytes) -> bytes:
    return SHEET_START + b"".join(rows) + SHEET_END


def one_sheet(*rows: bytes) -> bytes:
    return xlsx([sheet_xml(*rows)])
