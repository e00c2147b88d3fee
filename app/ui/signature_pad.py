"""A signature pad: the coordinator and the enterprise representative sign on the laptop's screen.

Field laptops are used with a mouse, a pen (tablet events carry pressure) or a finger (touch events), so the pad
takes all three. Strokes are kept as point lists and drawn as quadratic curves through the midpoints of
successive points, which smooths the jitter of a finger on glass without lagging behind the pen. The exported
image is a PNG with a transparent background, cropped to the ink with a small margin: the notice prints it over
the signature line. Undo removes the last stroke, redo puts it back, clear starts again (clear can be undone too).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor(16, 24, 64)
BASE_WIDTH = 2.6
EXPORT_SCALE = 2.0
EXPORT_MARGIN = 12.0


@dataclass
class Stroke:
    """One pen-down to pen-up movement; ``pressures`` parallels ``points`` (1.0 for a mouse or finger)."""

    points: list[QPointF] = field(default_factory=list)
    pressures: list[float] = field(default_factory=list)

    def add(self, point: QPointF, pressure: float = 1.0) -> None:
        if self.points and (self.points[-1] - point).manhattanLength() < 0.5:
            return
        self.points.append(QPointF(point))
        self.pressures.append(max(0.2, min(pressure, 1.5)))

    def bounds(self) -> QRectF:
        xs = [p.x() for p in self.points]
        ys = [p.y() for p in self.points]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _smooth_path(points: list[QPointF]) -> QPainterPath:
    """Quadratic curves through the midpoints: each captured point becomes a control point."""
    path = QPainterPath(points[0])
    if len(points) == 1:
        path.lineTo(points[0] + QPointF(0.1, 0.1))
        return path
    if len(points) == 2:
        path.lineTo(points[1])
        return path
    for index in range(1, len(points) - 1):
        middle = (points[index] + points[index + 1]) / 2
        path.quadTo(points[index], middle)
    path.lineTo(points[-1])
    return path


def paint_strokes(painter: QPainter, strokes: list[Stroke], scale: float = 1.0) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for stroke in strokes:
        if not stroke.points:
            continue
        pressure = sum(stroke.pressures) / len(stroke.pressures)
        pen = QPen(INK, BASE_WIDTH * scale * pressure)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(_smooth_path([p * scale for p in stroke.points]))


class SignaturePad(QWidget):
    """Captures a handwritten signature; ``changed`` fires after every stroke, undo, redo or clear."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self._undone: list[list[Stroke]] = []
        self._current: Stroke | None = None
        self._read_only = False
        self._image: QImage | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumSize(320, 150)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("签名板"))

    def sizeHint(self) -> QSize:
        return QSize(460, 170)

    # --- state --------------------------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not any(stroke.points for stroke in self._strokes) and self._image is None

    def stroke_count(self) -> int:
        return len(self._strokes)

    def can_undo(self) -> bool:
        return bool(self._strokes) and not self._read_only

    def can_redo(self) -> bool:
        return bool(self._undone) and not self._read_only

    def undo(self) -> None:
        if self.can_undo():
            self._undone.append([self._strokes.pop()])
            self._after_change()

    def redo(self) -> None:
        if self.can_redo():
            self._strokes.extend(self._undone.pop())
            self._after_change()

    def clear(self) -> None:
        """Start again; the cleared strokes can be brought back with redo."""
        if self._read_only or not self._strokes:
            return
        self._undone.append(self._strokes)
        self._strokes = []
        self._after_change()

    def reset(self) -> None:
        """A blank, writable pad (a new draft after a re-issue): strokes, history and any shown image go."""
        self._strokes, self._undone, self._current, self._image = [], [], None, None
        self.set_read_only(False)
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.CrossCursor)
        self.update()

    def is_read_only(self) -> bool:
        return self._read_only

    def show_image(self, png: bytes) -> None:
        """Show a stored signature (a signed notice's) instead of live strokes; the pad becomes read-only."""
        image = QImage()
        image.loadFromData(QByteArray(png), "PNG")
        self._image = image if not image.isNull() else None
        self._strokes = []
        self._undone = []
        self.set_read_only(True)

    def _after_change(self) -> None:
        self.update()
        self.changed.emit()

    # --- export -------------------------------------------------------------------------------------------------

    def to_image(self) -> QImage:
        """The ink on a transparent background, cropped to the strokes plus a margin, at twice screen resolution."""
        if not self._strokes:
            return QImage()
        bounds = self._strokes[0].bounds()
        for stroke in self._strokes[1:]:
            bounds = bounds.united(stroke.bounds())
        bounds = bounds.adjusted(-EXPORT_MARGIN, -EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN)
        size = QSize(int(bounds.width() * EXPORT_SCALE) + 1, int(bounds.height() * EXPORT_SCALE) + 1)
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        try:
            painter.translate(-bounds.topLeft() * EXPORT_SCALE)
            paint_strokes(painter, self._strokes, EXPORT_SCALE)
        finally:
            painter.end()
        return image

    def to_png(self) -> bytes:
        """PNG bytes of :meth:`to_image`; empty bytes when nothing was drawn."""
        image = self.to_image()
        if image.isNull():
            return b""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; the binding wants str
        buffer.close()
        return bytes(data.data())

    # --- input --------------------------------------------------------------------------------------------------

    def _begin(self, point: QPointF, pressure: float = 1.0) -> None:
        if self._read_only:
            return
        self._current = Stroke()
        self._current.add(point, pressure)
        self._strokes.append(self._current)
        self._undone.clear()
        self.update()

    def _extend(self, point: QPointF, pressure: float = 1.0) -> None:
        if self._current is not None:
            self._current.add(point, pressure)
            self.update()

    def _end(self, point: QPointF | None = None, pressure: float = 1.0) -> None:
        if self._current is None:
            return
        if point is not None:
            self._current.add(point, pressure)
        self._current = None
        self._after_change()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        pressure = 0.4 + event.pressure() if event.pressure() > 0 else 1.0
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove and event.pressure() > 0:
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position(), pressure)
        event.accept()

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                position = points[0].position()
                if event.type() == QEvent.Type.TouchBegin:
                    self._begin(position)
                elif event.type() == QEvent.Type.TouchUpdate:
                    self._extend(position)
                else:
                    self._end(position)
            elif event.type() in (QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
                self._end()
            event.accept()
            return True
        return super().event(event)

    # --- painting -----------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            background = QColor(250, 250, 246) if not self._read_only else QColor(240, 240, 240)
            painter.fillRect(self.rect(), background)
            baseline = self.height() - 34
            painter.setPen(QPen(QColor(170, 170, 170), 1, Qt.PenStyle.DashLine))
            painter.drawLine(16, baseline, self.width() - 16, baseline)
            if self._image is not None:
                target = QRectF(self.rect()).adjusted(8, 8, -8, -8)
                scaled = self._image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(target.topLeft(), scaled.toSizeF()), self._image)
            elif not self._strokes:
                painter.setPen(QColor(150, 150, 150))
                painter.drawText(
                    self.rect().adjusted(0, 0, 0, -40),
                    Qt.AlignmentFlag.AlignCenter,
                    self.tr("请在此处签名（鼠标、手写笔或手指）"),
                )
            paint_strokes(painter, self._strokes)
            painter.setPen(QPen(QColor(190, 190, 190), 1))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        finally:
            painter.end()
