"""Opening an enterprise's file as sheets of rows: xlsx, xls and ods through python-calamine, csv through the stdlib.

The kind of file is decided by its bytes, not its name (a ".xls" saved as HTML by an old system is not a
workbook): a zip container is xlsx/ods, an OLE container is xls, anything else must decode as UTF-8 or GBK text
(:mod:`core.text_files`) to be read as CSV. Anything else is "not a spreadsheet", said in one line.

A sheet is read twice at most and never held whole as Python objects: the first rows (:data:`HEAD_ROWS`) for
header detection and the preview, then a stream of all rows for loading. Calamine keeps the workbook in compact
native memory; a CSV is decoded as it is read. Merged cells (calamine reports their ranges) are filled with
their top-left value, so a merged group header labels every column under it and a merged name covers each row.
Row numbers are the spreadsheet's own (1-based), so the per-row report points at the line a person sees.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from app.wage_evidence.cells import Cell
from core.errors import LaborCheckError
from core.text_files import SAMPLE_BYTES, TextEncodingError, detect_encoding

__all__ = ["HEAD_ROWS", "MAX_FILE_BYTES", "Sheet", "SheetError", "open_sheets"]

HEAD_ROWS: Final = 40
MAX_FILE_BYTES: Final = 300 * 1024 * 1024
_ZIP: Final = b"PK\x03\x04"
_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_A_SHEET: Final = "不是表格文件（应为 xlsx、xls、ods 或 csv），请用 Excel 或 WPS 另存为 xlsx 后重试"


class SheetError(LaborCheckError):
    """A file that cannot be read as sheets; the message names the file."""


Merged = dict[tuple[int, int], tuple[int, int]]
"""A merged cell's position → the position of the range's top-left cell (0-based row, column)."""


@dataclass
class Sheet:
    """One sheet: its first rows for the preview and a way to stream every row with its line number."""

    file: str
    name: str
    head: list[list[Cell]]
    stream: Callable[[], Iterator[tuple[int, list[Cell]]]] = field(repr=False)
    rows_hint: int | None = None
    head_line: int = 1
    """The line number of ``head[0]``."""

    @property
    def label(self) -> str:
        return f"{self.file}「{self.name}」" if self.name else self.file

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        return self.stream()


def _fill(rows: Iterator[list[Cell]], first_line: int, merged: Merged) -> Iterator[tuple[int, list[Cell]]]:
    """Rows with their line numbers and merged cells filled from their range's top-left value. Only the rows a
    merged range touches are looked at (usually the title and header rows): the data rows pass straight through."""
    if not merged:
        yield from zip(itertools.count(first_line), rows)
        return
    by_row: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for (r, c), origin in merged.items():
        by_row.setdefault(r, []).append((c, origin))
    origin_rows = {origin[0] for origin in merged.values()}
    origins: dict[tuple[int, int], Cell] = {}
    for index, row in enumerate(rows):
        r = first_line - 1 + index
        if r in origin_rows:
            for orow, ocol in {origin for origin in merged.values() if origin[0] == r}:
                origins[(orow, ocol)] = row[ocol] if ocol < len(row) else ""
        for c, origin in sorted(by_row.get(r, ())):
            if origin == (r, c) or origin not in origins:
                continue
            while len(row) <= c:
                row.append("")
            row[c] = origins[origin]
        yield first_line + index, row


def _merged(ranges: list[tuple[tuple[int, int], tuple[int, int]]] | None) -> Merged:
    result: Merged = {}
    for (r1, c1), (r2, c2) in ranges or ():
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
            continue  # a whole-column merge in a template: nothing to fill
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                result[(r, c)] = (r1, c1)
    return result


def _workbook(name: str, data: bytes) -> list[Sheet]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, OSError, ValueError) as error:
        raise SheetError(f"{name}：无法打开（文件可能已损坏、加密，或{NOT_A_SHEET}）") from error
    sheets: list[Sheet] = []
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        if sheet.height == 0 or sheet.start is None:
            continue
        start_row = sheet.start[0]
        start_col = sheet.start[1]
        merged = _merged(sheet.merged_cell_ranges)
        if start_col:
            merged = {(r, c - start_col): (orow, ocol - start_col) for (r, c), (orow, ocol) in merged.items()}

        def stream(
            sheet_name: str = meta.name, first: int = start_row + 1, cells: Merged = merged
        ) -> Iterator[tuple[int, list[Cell]]]:
            rows = book.get_sheet_by_name(sheet_name).iter_rows()
            return _fill(map(list, rows), first, cells)

        # The head from the sheet already parsed; the whole sheet is parsed again only when it is loaded.
        first_rows = itertools.islice(sheet.iter_rows(), HEAD_ROWS)
        head = [row for _line, row in _fill(map(list, first_rows), start_row + 1, merged)]
        sheets.append(Sheet(name, meta.name, head, stream, sheet.height, start_row + 1))
    if not sheets:
        raise SheetError(f"{name}：工作簿中没有含数据的工作表")
    return sheets


def _csv(name: str, data: bytes) -> list[Sheet]:
    try:
        encoding = detect_encoding(data[:SAMPLE_BYTES], complete=len(data) <= SAMPLE_BYTES)
    except TextEncodingError:
        raise SheetError(f"{name}：{NOT_A_SHEET}") from None
    sample = data[:65536].decode(encoding, errors="ignore")
    if "\x00" in sample:
        raise SheetError(f"{name}：{NOT_A_SHEET}")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel

    def stream() -> Iterator[tuple[int, list[Cell]]]:
        text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        reader = csv.reader(text, dialect)
        try:
            for row in reader:
                yield reader.line_num, row  # type: ignore[misc]
        except UnicodeDecodeError:
            raise SheetError(
                f"{name}：第{reader.line_num + 1}行附近的文字编码与文件开头不一致（应全文为 UTF-8 或 GBK）"
            ) from None
        except csv.Error as error:
            raise SheetError(f"{name}：第{reader.line_num}行格式有误（{error}）") from None

    head = [row for (_line, row), _index in zip(stream(), range(HEAD_ROWS), strict=False)]
    if not any(any(str(cell).strip() for cell in row) for row in head):
        raise SheetError(f"{name}：文件中没有数据")
    return [Sheet(name, "", head, stream, None, 1)]


def open_sheets(name: str, data: bytes) -> list[Sheet]:
    """Every visible sheet with data in the file ``name`` (its bytes ``data``)."""
    if not data:
        raise SheetError(f"{name}：是空文件")
    if len(data) > MAX_FILE_BYTES:
        raise SheetError(f"{name}：文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MB）")
    if data.startswith((_ZIP, _OLE)):
        return _workbook(name, data)
    return _csv(name, data)
