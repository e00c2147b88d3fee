"""The ledger as an xlsx workbook: title row, frozen header, A4 landscape, written row by row in constant memory.

XlsxWriter's ``constant_memory`` mode writes each row out as soon as the next one starts, so a district ledger
of hundreds of thousands of items never sits in memory (ARCHITECTURE.md: openpyxl writes ~2,500 ledger rows/s,
far too slow). The sheet's XML is assembled at the end, so it carries its real dimension (a reader that asks
for the size, like openpyxl's ``max_row``, gets it). XlsxWriter keeps the rows in a temporary file until then:
it is made in a private directory beside the target (never in a shared temporary directory) and removed
whatever happens, so the only copy left is the ledger the coordinator asked for.

Its own module so that XlsxWriter is imported only when a ledger is exported to Excel, not when the window opens.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from xlsxwriter import Workbook

from app.reports.ledger import COLUMNS, LedgerRow, ProgressCallback

_BORDER_COLOR = "#808080"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters XML 1.0 forbids (pasted control characters): they would make the xlsx unreadable."""


def _clean(value: str) -> str:
    return value if value.isprintable() else _ILLEGAL_XML.sub("", value)  # the test in C first: most text passes


def write_xlsx(
    rows: Iterable[LedgerRow], target: Path, title: str, on_progress: ProgressCallback | None, progress_every: int
) -> int:
    scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.stem}-rows-"))
    try:
        return _write(rows, target, scratch, title, on_progress, progress_every)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _write(
    rows: Iterable[LedgerRow],
    target: Path,
    scratch: Path,
    title: str,
    on_progress: ProgressCallback | None,
    progress_every: int,
) -> int:
    workbook = Workbook(str(target), {"constant_memory": True, "tmpdir": str(scratch)})
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
        for cell, (value, cell_format) in enumerate(zip(row.cells(), formats, strict=True)):
            if value is None:
                sheet.write_blank(row_index, cell, None, cell_format)
            elif isinstance(value, str):  # written as text: "=..." never becomes a formula
                sheet.write_string(row_index, cell, _clean(value), cell_format)
            else:
                sheet.write_number(row_index, cell, value, cell_format)
        row_index += 1
        done += 1
        if on_progress is not None and done % progress_every == 0:
            on_progress(done)
    sheet.autofilter(1, 0, done + 1, last)
    workbook.close()
    return done
