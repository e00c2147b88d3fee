"""Printing a notice (or any of our PDFs) through Qt at true scale.

An A4 official document must come out of the printer at A4 size: a "fit to page" shrink moves the text off the
22-line grid and makes the seal area and the signature images smaller than signed. So the page is not handed to a
driver's scaling: each PDF page is rendered with QtPdf (pdfium) at the printer's resolution (capped, see below)
and drawn onto the printer's painter into a rectangle of exactly the page's physical size, measured from the
paper's corner (``fullPage``), with margins zero — the PDF carries its own GB/T 9704 margins.

The cap: a PDF "printer" reports 1200 dpi, and an A4 page at 1200 dpi is a 557 MB image. Pages are rendered at
``min(printer resolution, max_dpi)`` (600 by default, more than any office laser needs for 16 pt text) and
drawn scaled into the same physical rectangle, so the scale stays true whatever the raster's density.

What goes to the printer is raster: printing to a PDF printer gives a PDF of page images without a text layer.
That is what a printer receives anyway; to give someone a PDF, export the PDF itself.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QObject, QRectF, QSize, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from core.errors import LaborCheckError

POINTS_PER_INCH = 72.0


class PrintError(LaborCheckError):
    """Printing failed in a way the coordinator can act on (printer unavailable, unreadable PDF)."""


def _open(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise PrintError("无法读取要打印的文件（PDF 已损坏或为空），请重新生成后再打印。")
    return document, buffer


def _page_layout(width_pt: float, height_pt: float) -> QPageLayout:
    size = QPageSize(QPageSize.PageSizeId.A4)
    portrait = height_pt >= width_pt
    a4 = size.size(QPageSize.Unit.Point)
    if abs(min(width_pt, height_pt) - a4.width()) > 1 or abs(max(width_pt, height_pt) - a4.height()) > 1:
        size = QPageSize(QSize(round(width_pt), round(height_pt)), "", QPageSize.SizeMatchPolicy.ExactMatch)
    orientation = QPageLayout.Orientation.Portrait if portrait else QPageLayout.Orientation.Landscape
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))


def print_pdf(pdf: bytes, printer: QPrinter, *, max_dpi: int = 600) -> int:
    """Print every page of ``pdf`` on ``printer`` at true scale; returns the number of pages printed.

    Works with a printer configured by :class:`QPrintDialog` and with a ``QPrinter`` set to PDF output. The
    printer's page layout is set to the document's first page size (A4 for our documents) with zero margins.
    """
    document, _buffer = _open(pdf)
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    if not printer.setPageLayout(_page_layout(first.width(), first.height())):
        raise PrintError("打印机不支持 A4 纸张，请在打印设置中选择 A4 纸。")
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("无法连接打印机，请检查打印机是否开启并已连接。")
    try:
        dpi_x, dpi_y = printer.logicalDpiX(), printer.logicalDpiY()
        render_dpi = max(72, min(printer.resolution(), max_dpi))
        for page in range(document.pageCount()):
            if page and not printer.newPage():
                raise PrintError("打印机在换页时出错，请检查打印机后重试。")
            size = document.pagePointSize(page)
            target = QRectF(
                0,
                0,
                size.width() / POINTS_PER_INCH * dpi_x,
                size.height() / POINTS_PER_INCH * dpi_y,
            )
            pixels = QSize(
                round(size.width() / POINTS_PER_INCH * render_dpi),
                round(size.height() / POINTS_PER_INCH * render_dpi),
            )
            image = document.render(page, pixels)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return document.pageCount()


class PrintJob(QObject):
    """One press of 打印: the system print dialog (window-modal, not blocking), then true-scale printing.

    The printer is the caller's, so a dialog or page keeps its coordinator's printer choice between prints (and a
    test can point it at a PDF file before pressing the button). ``printed`` carries the number of pages sent,
    ``failed`` the coordinator's message.
    """

    printed = Signal(int)
    failed = Signal(str)

    def __init__(self, pdf: bytes, printer: QPrinter, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.printer = printer
        self.dialog = QPrintDialog(printer, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.accepted.connect(self._print)

    def start(self) -> None:
        QDialog.open(self.dialog)  # QPrintDialog overloads open(receiver, member); the plain one is QDialog's

    def _print(self) -> None:
        try:
            pages = print_pdf(self.pdf, self.printer)
        except PrintError as error:
            self.failed.emit(str(error))
            return
        self.printed.emit(pages)


def a4_printer() -> QPrinter:
    """A high-resolution printer preset to A4 (the dialog lets the coordinator choose the device)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    return printer


__all__ = ["PrintError", "PrintJob", "a4_printer", "print_pdf"]
