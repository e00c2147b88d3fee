"""The one xlsx writer's sheets write exactly the XML XlsxWriter writes, with its cell shortcut or without."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from core.xlsx_files import private_workbook

TEXTS = (
    "",
    "达州恒达机械制造有限公司",
    "plain text",
    '"quoted"',
    "=HYPERLINK(1)",
    "emoji 😀",
    " leading space",
    "trailing space ",
    "\u3000全角空格",
    "A&B 商贸",
    "<r>rich?</r>",
    "x < y",
    "a > b",
    "_x0041_ looks like an escape",
    "tab\there",
    "line\nbreak",
    "bell\x07",
    "\ufffe",
)
NUMBERS = (0, 7, -3, 2.5, 1e20, 12345678901234567, 0.1 + 0.2)
PLAIN_TEXTS = 6
"""The leading texts above XlsxWriter writes as they are (the cell shortcut's); the rest need its escapes."""


def write_sample(book: Any) -> None:
    sheet = book.add_worksheet("明细")
    wrapped = book.add_format({"text_wrap": True, "border": 1})
    plain = book.add_format({"border": 1})
    sheet.merge_range(0, 0, 0, 3, "标题", book.add_format({"bold": True}))
    row = 1
    for text in TEXTS:
        sheet.write_string(row, 0, text, wrapped)
        sheet.write_string(row, 1, text)
        sheet.write_blank(row, 2, None, plain)
        row += 1
    for number in NUMBERS:
        sheet.write_number(row, 0, number, plain)
        sheet.write_number(row, 1, number)
        row += 1
    sheet.write_boolean(row, 0, True, plain)
    sheet.autofilter(1, 0, row, 3)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in ("xl/worksheets/sheet1.xml", "xl/styles.xml")}


def test_the_sheet_is_byte_for_byte_xlsxwriters_and_the_shortcut_takes_only_plain_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = tmp_path / "reference.xlsx"
    book = Workbook(str(reference), {"constant_memory": True, "tmpdir": str(tmp_path)})
    write_sample(book)
    book.close()

    calls: list[str] = []
    general = Worksheet._write_cell

    def counted(self: Worksheet, row: int, col: int, cell: Any) -> None:
        calls.append(cell.__class__.__name__)
        general(self, row, col, cell)

    monkeypatch.setattr(Worksheet, "_write_cell", counted)
    ours = tmp_path / "ours.xlsx"
    with private_workbook(ours) as workbook:
        write_sample(workbook)

    assert parts(ours) == parts(reference)
    unformatted = len(TEXTS) + len(NUMBERS)  # the second column
    escaped = len(TEXTS) - PLAIN_TEXTS
    assert len(calls) == unformatted + escaped + 1, "formatted plain texts, numbers and blanks take the shortcut"
    assert calls.count("Blank") == 0
    assert calls.count("Boolean") == 1

    read_back = load_workbook(ours, read_only=True)
    values = list(read_back.worksheets[0].iter_rows(values_only=True))
    read_back.close()
    assert [row[0] for row in values[1 : 1 + PLAIN_TEXTS]] == list(TEXTS[:PLAIN_TEXTS])
