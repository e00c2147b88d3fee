"""The ledger as an xlsx workbook: title row, frozen header, A4 landscape, written row by row in constant memory.

Written through ``xlsx_files`` (XlsxWriter's ``constant_memory`` mode, scratch files in a private directory beside
the target), so a district ledger of hundreds of thousands of items never sits in memory (ARCHITECTURE.md:
openpyxl writes ~2,500 ledger rows/s, far too slow). The sheet's XML is assembled at the end, so it carries its
real dimension (a reader that asks for the size, like openpyxl's ``max_row``, gets it).

The one xlsx writer of the ledger: the laptop's export (``app.reports.ledger``) and the office console's
(``server.console``) both write through it, so the two files have the same sheet, title, header, widths and
protection. Its own module so that XlsxWriter is imported only when a ledger is exported to Excel, not when the
laptop's window opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from xlsxwriter import Workbook

from core.ledger import COLUMNS, LEDGER_TITLE, PROGRESS_EVERY, LedgerRow, ProgressCallback
from core.xlsx_files import private_workbook, write_cells

_BORDER_COLOR = "#808080"


def write_xlsx(
    rows: Iterable[LedgerRow],
    target: Path,
    title: str = LEDGER_TITLE,
    on_progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> int:
    """Write ``rows`` to ``target`` (xlsx); returns the number of rows. ``on_progress(done)`` every
    ``progress_every`` rows."""
    with private_workbook(target) as workbook:
        return _write(rows, workbook, title, on_progress, progress_every)


def _write(
    rows: Iterable[LedgerRow],
    workbook: Workbook,
    title: str,
    on_progress: ProgressCallback | None,
    progress_every: int,
) -> int:
    sheet = workbook.add_worksheet("工作台账")
    last = len(COLUMNS) - 1
    for index, column in enumerate(COLUMNS):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(2, 0)
    sheet.repeat_rows(0, 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)

    title_format = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    header_format = workbook.add_format(
        {
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#D9E1F2",
            "border": 1,
            "border_color": _BORDER_COLOR,
        }
    )
    plain = workbook.add_format({"valign": "top", "border": 1, "border_color": _BORDER_COLOR})
    wrapped = workbook.add_format({"valign": "top", "text_wrap": True, "border": 1, "border_color": _BORDER_COLOR})
    formats = [wrapped if column.wrap else plain for column in COLUMNS]

    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, last, title, title_format)
    for index, column in enumerate(COLUMNS):
        sheet.write_string(1, index, column.header, header_format)

    done = 0
    row_index = 2
    for row in rows:
        write_cells(sheet, row_index, row.cells(), formats)
        row_index += 1
        done += 1
        if on_progress is not None and done % progress_every == 0:
            on_progress(done)
    sheet.autofilter(1, 0, done + 1, last)
    return done
