"""The district ledger as a file: xlsx (XlsxWriter, constant memory) or csv (UTF-8 with BOM), streamed.

Rows come from :func:`server.console.ledger_view.ledger_stream` (a server-side cursor) and go straight into the
writer: XlsxWriter's ``constant_memory`` mode flushes each row to a temporary file as soon as the next begins, so
a ledger of 200,000 items takes as little memory as one of 200. Same columns, title and frozen header as the
laptop's export; a text that a spreadsheet would run as a formula stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

import xlsxwriter

from core.ledger import COLUMNS, HEADERS, LEDGER_TITLE, LedgerRow, csv_safe

CSV_FLUSH_ROWS: Final = 500


def write_xlsx(rows: Iterable[LedgerRow], target: Path, title: str = LEDGER_TITLE) -> int:
    workbook = xlsxwriter.Workbook(
        str(target), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        sheet = workbook.add_worksheet("工作台账")
        title_format = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        header_format = workbook.add_format(
            {
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#D9E1F2",
                "border": 1,
            }
        )
        plain = workbook.add_format({"valign": "top", "border": 1})
        wrapped = workbook.add_format({"valign": "top", "border": 1, "text_wrap": True})
        formats = [wrapped if column.wrap else plain for column in COLUMNS]
        for index, column in enumerate(COLUMNS):
            sheet.set_column(index, index, column.width)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0, 1)
        sheet.freeze_panes(2, 0)
        sheet.set_row(0, 30)
        sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, title, title_format)
        for index, header in enumerate(HEADERS):
            sheet.write_string(1, index, header, header_format)
        written = 0
        for written, row in enumerate(rows, start=1):
            line = written + 1
            for index, value in enumerate(row.cells()):
                if value is None:
                    sheet.write_blank(line, index, None, formats[index])
                elif isinstance(value, int):
                    sheet.write_number(line, index, value, formats[index])
                else:
                    sheet.write_string(line, index, value, formats[index])
    finally:
        workbook.close()
    return written


def csv_chunks(rows: Iterable[LedgerRow]) -> Iterator[bytes]:
    """The ledger as csv, a few hundred rows per chunk (for a streamed response); UTF-8 with BOM for Excel/WPS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    pending = 0
    for row in rows:
        writer.writerow([csv_safe(value) for value in row.cells()])
        pending += 1
        if pending >= CSV_FLUSH_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")
