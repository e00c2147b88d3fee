"""One way to write an xlsx file: XlsxWriter row by row in constant memory, its scratch files in a private
directory beside the target, text that stays text.

The ledger (``core.ledger_xlsx``: the laptop's export and the office console's) and a wage check's evidence table
(``app.reports.wage_evidence_xlsx``) all go through here (in ``core`` so the server shares it):
XlsxWriter's ``constant_memory`` mode writes each row out as soon as the next one starts, so a district ledger or
the breaches of 5,000 workers × 12 months never sit in memory (ARCHITECTURE.md: openpyxl writes ~2,500 rows/s,
far too slow). XlsxWriter keeps the rows in temporary files until the workbook closes: they hold workers' names
and pay, so they are made in a private directory beside the target (never in a shared temporary directory) and
removed whatever happens; the only copy left is the file the coordinator asked for.

Its own module so that XlsxWriter is imported only when something is exported to Excel, not when a window opens.

The sheets are XlsxWriter's own with one shortcut (:class:`_Sheet`): the cells almost every export is made of
(a formatted text with nothing to escape, a formatted number, a formatted blank) are serialized in one step, to
exactly the XML XlsxWriter writes for them (a test compares the two byte for byte); every other cell goes through
XlsxWriter. XlsxWriter's own cell writer, general enough for any cell, costs ~4.5 µs a cell: ~16 s of a district
ledger's 200,000 rows × 17 cells, more than half of the office console's 30-second budget for the export.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["clean_text", "private_workbook", "write_cells"]

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters XML 1.0 forbids (pasted control characters): they would make the xlsx unreadable."""


def clean_text(value: str) -> str:
    return value if value.isprintable() else _ILLEGAL_XML.sub("", value)  # the test in C first: most text passes


def _plain(text: str) -> bool:
    """True if XlsxWriter would write ``text`` as it is, with no xml:space attribute: printable (no control
    character to escape), none of XML's three escapes nor XlsxWriter's own (_xHHHH_), no whitespace at either end.
    Written out rather than as a regular expression: this runs for every text cell."""
    return (
        text.isprintable()
        and "&" not in text
        and "<" not in text
        and ">" not in text
        and "_x" not in text
        and (not text or not (text[0].isspace() or text[-1].isspace()))
    )


class _Sheet(Worksheet):  # type: ignore[misc]  # XlsxWriter is untyped
    """XlsxWriter's worksheet, writing a constant-memory row's common cells in one step (module docstring)."""

    _column_names: tuple[str, ...] = tuple(xl_col_to_name(column) for column in range(64))

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        cell_format = cell.format
        if cell_format is None or not self.constant_memory or col >= len(self._column_names):
            super()._write_cell(row, col, cell)
            return
        kind = cell.__class__.__name__
        reference = f'<c r="{self._column_names[col]}{row + 1}" s="{cell_format._get_xf_index()}"'
        if kind == "String" and _plain(cell.string):
            self.fh.write(f'{reference} t="inlineStr"><is><t>{cell.string}</t></is></c>')
        elif kind == "Number":
            self.fh.write(f"{reference}><v>{cell.number:.16G}</v></c>")
        elif kind == "Blank":
            self.fh.write(f"{reference}/>")
        else:
            super()._write_cell(row, col, cell)


class _Workbook(Workbook):  # type: ignore[misc]
    worksheet_class = _Sheet


@contextlib.contextmanager
def private_workbook(target: Path) -> Iterator[Workbook]:
    """A constant-memory workbook writing ``target``, closed (written) on success; its scratch directory removed
    whatever happens. Rows of each sheet must be written in order (constant memory flushes the previous row)."""
    scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.stem}-rows-"))
    try:
        workbook = _Workbook(str(target), {"constant_memory": True, "tmpdir": str(scratch)})
        yield workbook
        workbook.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_cells(sheet: Worksheet, row: int, values: Iterable[Any], formats: Sequence[Format | None] = ()) -> None:
    """One row: strings as text ("=..." never becomes a formula), numbers as numbers, None as a blank cell. Cell
    ``i`` takes ``formats[i]`` where given."""
    for column, value in enumerate(values):
        cell_format = formats[column] if column < len(formats) else None
        if value is None:
            sheet.write_blank(row, column, None, cell_format)
        elif isinstance(value, str):
            sheet.write_string(row, column, clean_text(value), cell_format)
        else:
            sheet.write_number(row, column, value, cell_format)
