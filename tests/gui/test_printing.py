"""Printing through Qt at true scale: print a notice to a PDF-file printer and compare it with the original."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from app.reports.notice_pdf import render_notice
from app.ui.printing import PrintError, print_pdf
from bench.notice_samples import sample_notice, signature_blobs
from core.fonts import load_notice_fonts

A4 = (595.28, 841.89)


def _extent(path: Path, page: int, out: Path) -> tuple[int, int, int, int]:
    """The inked box of a page rendered at 72 dpi (1 px = 1 pt): first and last inked row and column."""
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-singlefile", "-f", str(page), "-l", str(page), str(path), str(out)],
        check=True,
    )
    with Image.open(out.with_suffix(".pgm")) as image:
        ink = ImageOps.invert(image.convert("L")).point(lambda value: 255 if value > 96 else 0)
        box = ink.getbbox()
    assert box is not None, "blank page"
    return box


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)
    return printer


def test_a_notice_prints_on_a4_at_true_scale(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "notice.pdf"
    source.write_bytes(render_notice(sample_notice(3), signature_blobs().__getitem__, fonts=load_notice_fonts()))
    printed = tmp_path / "printed.pdf"
    pages = print_pdf(source.read_bytes(), _pdf_printer(printed))

    reader = PdfReader(printed)
    assert pages == len(reader.pages) == len(PdfReader(source).pages)
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A4[0]) <= 1
        assert abs(float(page.mediabox.height) - A4[1]) <= 1
    # The inked area lines up with the original's to within 2 pt on every side: a "fit to page" shrink of even
    # 3 % would move the bottom line by 20 pt, and a shift moves the top and left edges.
    for number in (1, pages):
        original = _extent(source, number, tmp_path / f"a{number}")
        copy = _extent(printed, number, tmp_path / f"b{number}")
        assert all(abs(x - y) <= 2 for x, y in zip(original, copy, strict=True)), (original, copy)


def test_an_unreadable_pdf_is_a_clear_error(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PrintError, match="无法读取"):
        print_pdf(b"not a pdf", _pdf_printer(tmp_path / "x.pdf"))
