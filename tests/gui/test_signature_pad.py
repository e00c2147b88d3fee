"""The signature pad captures strokes from the mouse, undoes, redoes and clears them, and exports a clean PNG."""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.audit.attachments import prepare_signature
from app.ui.signature_pad import SignaturePad


def draw_stroke(pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """A pen-down, moves and pen-up sequence through real Qt mouse events."""
    first = QPoint(*points[0])
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    for x, y in points[1:]:
        QTest.mouseMove(pad, QPoint(x, y))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[-1]))


def zigzag(x0: int = 40, y0: int = 60) -> list[tuple[int, int]]:
    return [(x0 + 12 * i, y0 + (25 if i % 2 else -25)) for i in range(12)]


def _pad(qtbot: QtBot) -> SignaturePad:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(460, 170)
    pad.show()
    qtbot.waitExposed(pad)
    return pad


def test_mouse_strokes_are_captured_with_every_point(qtbot: QtBot) -> None:
    pad = _pad(qtbot)
    assert pad.is_empty()
    with qtbot.waitSignal(pad.changed):
        draw_stroke(pad, zigzag())
    assert pad.stroke_count() == 1
    assert len(pad._strokes[0].points) >= 10
    assert not pad.is_empty()


def test_undo_redo_and_clear_take_strokes_away_and_bring_them_back(qtbot: QtBot) -> None:
    pad = _pad(qtbot)
    draw_stroke(pad, zigzag(40))
    draw_stroke(pad, zigzag(200))
    assert pad.stroke_count() == 2
    pad.undo()
    assert pad.stroke_count() == 1
    pad.redo()
    assert pad.stroke_count() == 2
    pad.clear()
    assert pad.is_empty()
    assert pad.to_png() == b""
    pad.redo()
    assert pad.stroke_count() == 2
    pad.clear()
    draw_stroke(pad, zigzag(80))
    assert pad.stroke_count() == 1
    assert not pad.can_redo()


def test_exported_png_has_a_transparent_background_and_dark_ink(qtbot: QtBot) -> None:
    pad = _pad(qtbot)
    draw_stroke(pad, zigzag())
    png = pad.to_png()
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    rgba = image.convert("RGBA")
    assert rgba.getpixel((0, 0))[3] == 0
    alphas = rgba.getchannel("A").getextrema()
    assert alphas == (0, 255)
    assert rgba.width > 200  # cropped to the ink at twice the screen resolution, not a dot
    assert prepare_signature(png).mime == "image/png"


def test_a_read_only_pad_ignores_the_pen(qtbot: QtBot) -> None:
    pad = _pad(qtbot)
    pad.set_read_only(True)
    draw_stroke(pad, zigzag())
    assert pad.is_empty()
    assert not pad.can_undo()
