"""The ledger as an xlsx workbook (openpyxl write-only mode): title row, frozen header, A4 landscape.

Its own module so that openpyxl is imported only when a ledger is exported to Excel, not when the window opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.ledger import COLUMNS, LedgerRow, ProgressCallback

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def _clean(value: int | str | None) -> int | str | None:
    """Characters that XML 1.0 forbids (pasted control characters) would make the xlsx unreadable."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_xlsx(
    rows: Iterable[LedgerRow], target: Path, title: str, on_progress: ProgressCallback | None, progress_every: int
) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("工作台账")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    last_column = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.merged_cells.add(f"A1:{last_column}1")
    sheet.row_dimensions[1].height = 30

    title_cell = WriteOnlyCell(sheet, title)
    title_cell.font = Font(bold=True, size=16)
    title_cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([title_cell])
    header: list[WriteOnlyCell] = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = Font(bold=True)
        cell.alignment = _HEADER_ALIGNMENT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        header.append(cell)
    sheet.append(header)

    # Named styles are bound to the workbook once; setting a cell's style by name copies an index array, where
    # setting alignment and border per cell would hash style objects 340,000 times for 10,000 rows.
    plain = NamedStyle(name="台账正文", alignment=_TOP, border=_BORDER)
    wrapped = NamedStyle(name="台账正文（自动换行）", alignment=_WRAP, border=_BORDER)
    workbook.add_named_style(plain)
    workbook.add_named_style(wrapped)
    styles = [wrapped.name if column.wrap else plain.name for column in COLUMNS]
    done = 0
    for row in rows:
        cells: list[WriteOnlyCell] = []
        for value, style in zip(row.cells(), styles, strict=True):
            cell = WriteOnlyCell(sheet, _clean(value))
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with "=" stays text, never a formula
            cell.style = style
            cells.append(cell)
        sheet.append(cells)
        done += 1
        if on_progress is not None and done % progress_every == 0:
            on_progress(done)
    sheet.auto_filter.ref = f"A2:{last_column}{done + 2}"
    workbook.save(target)
    return done
