"""The notice dialog drafts, previews, signs with two captured signatures (locking it), saves, voids and re-issues."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Blob, Coordinator, Enterprise, Notice, NoticeStatus
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.notice_dialog import NoticeDialog
from tests.gui._gui_b import finished_audit
from tests.gui._printed import a4_pages, inked_rows, pdf_file_printer, text_position
from tests.gui.test_signature_pad import draw_stroke, zigzag


def _dialog(qtbot: QtBot, ui_ctx: UiContext, audit_id: str) -> NoticeDialog:
    dialog = NoticeDialog(ui_ctx, audit_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=20_000)
    return dialog


def _sign(qtbot: QtBot, dialog: NoticeDialog) -> None:
    draw_stroke(dialog.coordinator_box.pad, zigzag())
    draw_stroke(dialog.enterprise_box.pad, zigzag(60, 70))
    draw_stroke(dialog.enterprise_box.pad, [(300, 40), (320, 90), (340, 50)])
    assert dialog.sign_button.isEnabled()
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.is_locked, timeout=20_000)


def test_the_draft_is_previewed_and_can_only_be_signed_with_both_signatures_and_a_name(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    dialog = _dialog(qtbot, ui_ctx, finished_audit(ws, coordinator, enterprise))
    assert dialog.state is not None
    assert dialog.state.status is NoticeStatus.DRAFT
    assert dialog.state.pdf is not None
    assert dialog.state.pdf.startswith(b"%PDF")
    assert dialog.document.pageCount() >= 1
    assert dialog.signer.text() == "王芳"
    assert not dialog.sign_button.isEnabled()
    draw_stroke(dialog.coordinator_box.pad, zigzag())
    assert not dialog.sign_button.isEnabled()
    draw_stroke(dialog.enterprise_box.pad, zigzag())
    assert dialog.sign_button.isEnabled()
    dialog.signer.clear()
    assert not dialog.sign_button.isEnabled()


def test_signing_stores_both_signatures_and_locks_the_notice(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise, tmp_path: Path
) -> None:
    audit_id = finished_audit(ws, coordinator, enterprise)
    dialog = _dialog(qtbot, ui_ctx, audit_id)
    dialog.signer.setText("张经理")
    with qtbot.waitSignal(ui_ctx.events.changed, timeout=20_000) as changed:
        _sign(qtbot, dialog)
    assert changed.args is not None
    assert changed.args[0].kinds() == ["notices"]
    assert audit_id in changed.args[0].audit_ids

    with ws.db.session() as session:
        notice = session.scalars(select(Notice).where(Notice.audit_id == audit_id)).one()
        assert notice.status is NoticeStatus.SIGNED
        assert notice.enterprise_signer == "张经理"
        assert notice.coordinator_signer == "李明"
        assert notice.content_hash
        for sha in (notice.coordinator_signature_sha256, notice.enterprise_signature_sha256):
            assert sha is not None
            assert session.get_one(Blob, sha).mime == "image/png"
            assert ws.blobs.get(sha).startswith(b"\x89PNG")
        assert notice.coordinator_signature_sha256 != notice.enterprise_signature_sha256

    assert dialog.coordinator_box.pad.is_read_only()
    assert dialog.enterprise_box.pad.is_read_only()
    assert dialog.signer.isReadOnly()
    assert not dialog.sign_button.isVisibleTo(dialog)
    assert dialog.void_box.isVisibleTo(dialog)
    assert "已签署" in dialog.status_label.text()
    draw_stroke(dialog.enterprise_box.pad, zigzag())
    assert dialog.enterprise_box.pad.stroke_count() == 0

    target = tmp_path / "notice.pdf"
    dialog.save_pdf(target)
    assert target.read_bytes() == dialog.state.pdf  # type: ignore[union-attr]
    assert target.read_bytes().startswith(b"%PDF")


def test_voiding_needs_a_reason_and_reissues_a_new_draft(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = finished_audit(ws, coordinator, enterprise)
    dialog = _dialog(qtbot, ui_ctx, audit_id)
    _sign(qtbot, dialog)
    signed_id = dialog.state.notice_id  # type: ignore[union-attr]

    dialog.void_and_reissue("   ")
    qtbot.waitUntil(lambda: "理由" in dialog.last_error, timeout=20_000)
    with ws.db.session() as session:
        assert session.get_one(Notice, signed_id).status is NoticeStatus.SIGNED

    dialog.void_reason.setText("整改时限填写有误")
    qtbot.mouseClick(dialog.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state is not None and dialog.state.notice_id != signed_id, timeout=20_000)
    with ws.db.session() as session:
        old = session.get_one(Notice, signed_id)
        assert old.status is NoticeStatus.VOIDED
        assert old.void_reason == "整改时限填写有误"
        new = session.get_one(Notice, dialog.state.notice_id)  # type: ignore[union-attr]
        assert new.status is NoticeStatus.DRAFT
        assert new.supersedes_id == signed_id
        assert new.number != old.number
    assert not dialog.is_locked()
    assert not dialog.coordinator_box.pad.is_read_only()
    assert dialog.coordinator_box.pad.is_empty()


def test_reopening_an_audit_shows_its_signed_notice_read_only(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = finished_audit(ws, coordinator, enterprise)
    _sign(qtbot, _dialog(qtbot, ui_ctx, audit_id))
    again = _dialog(qtbot, ui_ctx, audit_id)
    assert again.is_locked()
    assert not again.coordinator_box.pad.is_empty()  # the stored image is shown
    with ws.db.session() as session:
        assert len(session.scalars(select(Notice).where(Notice.audit_id == audit_id)).all()) == 1


def test_pressing_print_sends_every_page_on_a4_at_true_scale(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, ui_ctx, finished_audit(ws, coordinator, enterprise))
    source = tmp_path / "notice.pdf"
    dialog.save_pdf(source)
    printed = tmp_path / "printed.pdf"
    pdf_file_printer(dialog.printer, printed)

    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    job = dialog.print_job
    assert job is not None
    assert job.dialog.isVisible()
    with qtbot.waitSignal(job.printed, timeout=60_000) as done:
        job.dialog.accept()  # the coordinator presses 打印 in the system dialog

    assert done.args == [a4_pages(printed)] == [a4_pages(source)]
    assert "已发送到打印机" in dialog.status_label.text()
    # The 文号 line prints where the PDF puts it: a "fit to page" shrink or a shifted origin would move it.
    number, _left, top = text_position(source, dialog.state.number)  # type: ignore[union-attr]
    band = (top - 12, top + 30)
    assert inked_rows(printed, number, band, tmp_path) == pytest.approx(
        inked_rows(source, number, band, tmp_path), abs=2
    )


def test_the_preview_says_which_fonts_stand_in_and_how_to_install_the_real_ones(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    dialog = _dialog(qtbot, ui_ctx, finished_audit(ws, coordinator, enterprise))
    assert dialog.state is not None
    if dialog.state.font_report:  # a machine without the faces GB/T 9704 asks for (every Debian one)
        assert dialog.font_warning.isVisibleTo(dialog)
        assert "安装方法" in dialog.font_warning.text()
        assert "缺少" in dialog.font_warning.text()
    else:
        assert not dialog.font_warning.isVisibleTo(dialog)
