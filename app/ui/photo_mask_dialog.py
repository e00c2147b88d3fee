"""Black out regions of a document photo (ID numbers, bank accounts) before it is stored.

The coordinator drags rectangles over the photo with the mouse or a pen (a pen's tablet events reach the canvas
as mouse events, which is Qt's default for a widget that does not take tablet events itself). The rectangles are
kept in pixels of the upright photo at its original size — Qt applies the EXIF orientation when it reads the
file, as the service does — and handed to :func:`app.audit.attachments.add_photo` (``mask=``), which blacks
them out *before* the image is hashed and written. The dialog itself never writes anything: the unmasked photo
never reaches the blob store.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.audit.attachments import Rect

MIN_SIDE = 3
"""A drag shorter than this (in image pixels) is a click, not a rectangle."""


def load_upright(path: Path) -> QImage:
    """The photo as the service will see it: EXIF orientation applied."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    return reader.read()


class MaskCanvas(QWidget):
    """The photo scaled to fit, with the black rectangles drawn so far and the one being dragged."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.rects: list[Rect] = []
        self._start: QPointF | None = None
        self._current: QPointF | None = None
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:
        return QSize(900, 600)

    def target(self) -> QRectF:
        """Where the image is drawn: centred and scaled to fit the canvas, aspect ratio kept."""
        if self.image.isNull():
            return QRectF()
        scale = min(self.width() / self.image.width(), self.height() / self.image.height())
        width, height = self.image.width() * scale, self.image.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def to_image(self, point: QPointF) -> QPointF:
        target = self.target()
        if target.isEmpty():
            return QPointF()
        x = (point.x() - target.x()) * self.image.width() / target.width()
        y = (point.y() - target.y()) * self.image.height() / target.height()
        return QPointF(min(max(x, 0.0), self.image.width()), min(max(y, 0.0), self.image.height()))

    def to_widget(self, rect: Rect) -> QRectF:
        target = self.target()
        sx, sy = target.width() / self.image.width(), target.height() / self.image.height()
        x, y, w, h = rect
        return QRectF(target.x() + x * sx, target.y() + y * sy, w * sx, h * sy)

    def _rect_between(self, start: QPointF, end: QPointF) -> Rect:
        a, b = self.to_image(start), self.to_image(end)
        left, top = int(min(a.x(), b.x())), int(min(a.y(), b.y()))
        right, bottom = int(max(a.x(), b.x()) + 0.999), int(max(a.y(), b.y()) + 0.999)
        return (left, top, right - left, bottom - top)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._start = self._current = event.position()
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is not None:
            self._current = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        rect = self._rect_between(self._start, event.position())
        self._start = self._current = None
        if rect[2] >= MIN_SIDE and rect[3] >= MIN_SIDE:
            self.rects.append(rect)
        self.update()
        parent = self.parentWidget()
        if isinstance(parent, PhotoMaskDialog):
            parent.update_status()

    def undo(self) -> None:
        if self.rects:
            self.rects.pop()
            self.update()

    def clear(self) -> None:
        self.rects.clear()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(60, 60, 60))
        target = self.target()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self.image)
        for rect in self.rects:
            painter.fillRect(self.to_widget(rect), Qt.GlobalColor.black)
        if self._start is not None and self._current is not None:
            dragging = QRectF(self._start, self._current).normalized()
            painter.fillRect(dragging, QColor(0, 0, 0, 160))
            painter.setPen(QPen(QColor(255, 200, 0), 2, Qt.PenStyle.DashLine))
            painter.drawRect(dragging)
        painter.end()

    def image_point_to_widget(self, x: float, y: float) -> QPoint:
        """Where image pixel (x, y) is on screen (for tests and for a pointer guide)."""
        target = self.target()
        return QPoint(
            round(target.x() + x * target.width() / self.image.width()),
            round(target.y() + y * target.height() / self.image.height()),
        )

    def image_rect_on_widget(self) -> QRect:
        return self.target().toRect()


class PhotoMaskDialog(QDialog):
    """Mask one photo; ``rectangles()`` after ``Accepted`` is what to pass to ``add_photo``."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoMaskDialog")
        self.path = path
        self.setWindowTitle(self.tr("遮挡敏感信息 — {name}").format(name=path.name))
        image = load_upright(path)
        self.canvas = MaskCanvas(image, self)
        self.help = QLabel(
            self.tr(
                "用鼠标或手写笔拖出矩形，遮挡身份证号、银行账号等与检查无关的个人信息。"
                "保存时只写入遮挡后的照片，原图不会保存到本机数据中。"
            )
        )
        self.help.setWordWrap(True)
        self.status = QLabel()
        self.undo_button = QPushButton(self.tr("撤销上一块"))
        self.clear_button = QPushButton(self.tr("全部清除"))
        self.save_button = QPushButton(self.tr("保存照片"))
        self.save_button.setObjectName("primaryButton")
        self.cancel_button = QPushButton(self.tr("不添加此照片"))
        for button in (self.undo_button, self.clear_button, self.save_button, self.cancel_button):
            button.setMinimumHeight(36)
        self.undo_button.clicked.connect(self._undo)
        self.clear_button.clicked.connect(self._clear)
        self.save_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.setEnabled(not image.isNull())
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(buttons)
        self.resize(1000, 700)
        if image.isNull():
            self.status.setText(self.tr("无法预览该文件，将由系统检查后给出原因"))
            self.save_button.setEnabled(True)
        self.update_status()

    def update_status(self) -> None:
        count = len(self.canvas.rects)
        if not self.canvas.image.isNull():
            self.status.setText(
                self.tr("已遮挡 {n} 处").format(n=count) if count else self.tr("尚未遮挡（不需要遮挡可直接保存）")
            )
        self.undo_button.setEnabled(count > 0)
        self.clear_button.setEnabled(count > 0)

    def _undo(self) -> None:
        self.canvas.undo()
        self.update_status()

    def _clear(self) -> None:
        self.canvas.clear()
        self.update_status()

    def rectangles(self) -> list[Rect]:
        return list(self.canvas.rects)
