"""Reading back what a print job sent to a PDF-file printer: pages, paper size, and where a text line landed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
from PIL import Image, ImageOps
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

A4_POINTS = (595.28, 841.89)


def pdf_file_printer(printer: QPrinter, path: Path) -> None:
    """Point a dialog's printer at a PDF file (what a test does before pressing 打印); 150 dpi keeps it quick."""
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)


def a4_pages(path: Path) -> int:
    """The page count, after checking every page is A4 portrait to within a point."""
    reader = PdfReader(path)
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A4_POINTS[0]) <= 1, page.mediabox
        assert abs(float(page.mediabox.height) - A4_POINTS[1]) <= 1, page.mediabox
    return len(reader.pages)


def text_position(source: Path, text: str) -> tuple[int, float, float]:
    """Where ``text`` first stands in the original PDF: (page number from 1, left, top) of its first character."""
    with pdfplumber.open(source) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            chars = page.chars
            joined = "".join(char["text"] for char in chars)
            start = joined.find(text)
            if start >= 0:
                return number, float(chars[start]["x0"]), float(chars[start]["top"])
    raise AssertionError(f"{text!r} is not in {source}")


def inked_rows(path: Path, page: int, band: tuple[float, float], work: Path) -> tuple[int, int]:
    """First and last inked row (1 px = 1 pt) of ``page`` within the horizontal band ``band`` (top, bottom)."""
    stem = work / f"ink-{path.stem}-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-singlefile", "-f", str(page), "-l", str(page), str(path), str(stem)],
        check=True,
    )
    with Image.open(stem.with_suffix(".pgm")) as image:
        top, bottom = int(band[0]), int(band[1])
        strip = ImageOps.invert(image.convert("L")).crop((0, top, image.width, bottom))
        box = strip.point(lambda value: 255 if value > 96 else 0).getbbox()
    assert box is not None, f"nothing printed between {band} on page {page}"
    return top + box[1], top + box[3]
