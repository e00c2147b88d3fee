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
from xlsxwriter.worksheet import Worksheet

__all__ = ["clean_text", "private_workbook", "write_cells"]

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters XML 1.0 forbids (pasted control characters): they would make the xlsx unreadable."""


def clean_text(value: str) -> str:
    return value if value.isprintable() else _ILLEGAL_XML.sub("", value)  # the test in C first: most text passes


@contextlib.contextmanager
def private_workbook(target: Path) -> Iterator[Workbook]:
    """A constant-memory workbook writing ``target``, closed (written) on success; its scratch directory removed
    whatever happens. Rows of each sheet must be written in order (constant memory flushes the previous row)."""
    scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.stem}-rows-"))
    try:
        workbook = Workbook(str(target), {"constant_memory": True, "tmpdir": str(scratch)})
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
