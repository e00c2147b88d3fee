"""The masking tool: a rectangle dragged with the mouse is black in the stored photo; the original never is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit.attachments import prepare_photo
from app.audit.visits import start_audit
from app.models import Attachment, Coordinator, Enterprise
from app.services.workspace import Workspace
from app.ui.app import STYLE_SHEET
from app.ui.context import UiContext
from app.ui.photo_mask_dialog import PhotoMaskDialog
from app.ui.photos import AddResult, PhotoStrip

ID_BAND = (180, 260, 620, 300)
"""Where the "ID number" is printed on the synthetic document (left, top, right, bottom)."""


def document_photo(path: Path) -> Path:
    """A white 800×600 form with a red band where a worker's ID number would be, and grey lines of text."""
    image = Image.new("RGB", (800, 600), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for y in range(60, 560, 40):
        draw.rectangle((60, y, 740, y + 10), fill=(150, 150, 150))
    draw.rectangle(ID_BAND, fill=(220, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    path.write_bytes(buffer.getvalue())
    return path


def drag(qtbot: QtBot, dialog: PhotoMaskDialog, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Press, move and release the left button over image pixels ``start`` → ``end`` (synthetic mouse events)."""
    canvas = dialog.canvas
    a = canvas.image_point_to_widget(*start)
    b = canvas.image_point_to_widget(*end)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=a)
    for step in range(1, 6):
        point = QPoint(a.x() + (b.x() - a.x()) * step // 5, a.y() + (b.y() - a.y()) * step // 5)
        qtbot.mouseMove(canvas, point)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=b)


@pytest.fixture
def audit_id(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> str:
    with ws.db.session() as session:
        return start_audit(
            session, enterprise_id=enterprise.id, coordinator_id=coordinator.id, visit_date=dt.date(2026, 11, 10)
        ).id


def test_a_dragged_rectangle_is_black_in_the_stored_blob_and_the_original_is_never_stored(
    qtbot: QtBot,
    ui_ctx: UiContext,
    ws: Workspace,
    audit_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    photo = document_photo(tmp_path / "身份证复印件.jpg")
    dialog = PhotoMaskDialog(photo)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.setStyleSheet(STYLE_SHEET)
    dialog.show()
    qtbot.waitExposed(dialog)
    drag(qtbot, dialog, (170, 250), (630, 310))
    drag(qtbot, dialog, (60, 60), (62, 61))  # a click-sized drag is not a rectangle
    (left, top, width, height) = dialog.rectangles()[0]
    assert len(dialog.rectangles()) == 1
    assert left <= ID_BAND[0]
    assert top <= ID_BAND[1]
    assert left + width >= ID_BAND[2]
    assert top + height >= ID_BAND[3]
    assert width < 520
    assert height < 90
    assert "1" in dialog.status.text()
    QApplication.processEvents()
    assert dialog.grab().save(str(tmp_path / "gui-masking-zh.png"))

    strip = PhotoStrip(ui_ctx)
    qtbot.addWidget(strip)
    strip.set_target(audit_id, "CONTRACT-01")
    rectangles = dialog.rectangles()
    monkeypatch.setattr(strip, "ask_mask", lambda path: rectangles)  # the dialog above, already drawn on
    with qtbot.waitSignal(strip.files_processed, timeout=15_000) as signal:
        strip.mask_and_add([photo])
    result: AddResult = signal.args[0]
    assert (result.added, result.refused) == (1, [])

    with ws.db.session() as session:
        stored = session.scalars(select(Attachment).where(Attachment.audit_id == audit_id)).one()
    image = Image.open(io.BytesIO(ws.blobs.get(stored.sha256))).convert("RGB")
    for x in range(ID_BAND[0] + 5, ID_BAND[2] - 5, 40):
        for y in (ID_BAND[1] + 5, ID_BAND[3] - 5):
            assert max(image.getpixel((x, y))) < 40, (x, y)  # type: ignore[arg-type]
    assert min(image.getpixel((400, 20))) > 220  # type: ignore[arg-type]
    unmasked = hashlib.sha256(prepare_photo(photo.read_bytes()).data).hexdigest()
    assert not ws.blobs.has(unmasked)
    raw = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert not ws.blobs.has(raw)


def test_undo_and_cancel_leave_nothing_stored(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, audit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = document_photo(tmp_path / "工资卡.jpg")
    dialog = PhotoMaskDialog(photo)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    drag(qtbot, dialog, (100, 100), (300, 200))
    assert dialog.undo_button.isEnabled()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert dialog.rectangles() == []

    strip = PhotoStrip(ui_ctx)
    qtbot.addWidget(strip)
    strip.set_target(audit_id, None)
    monkeypatch.setattr(strip, "ask_mask", lambda path: None)  # "不添加此照片"
    strip.mask_and_add([photo])
    with ws.db.session() as session:
        assert session.scalars(select(Attachment)).all() == []
