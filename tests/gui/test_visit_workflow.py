"""A complete visit driven through the real widgets, with the keyboard, checked against the database."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit.uscc import make_uscc
from app.models import (
    Answer,
    AnswerStatus,
    Attachment,
    Audit,
    AuditStatus,
    Coordinator,
    Enterprise,
    Finding,
    ItemStatus,
    Notice,
    NoticeStatus,
    RectificationItem,
)
from app.ui.answer_page import AnswerPage
from app.ui.context import UiContext
from app.ui.enterprise_form import EnterpriseForm
from app.ui.main_window import MainWindow
from app.ui.new_visit_dialog import NewVisitDialog
from app.ui.notice_dialog import NoticeDialog
from tests.gui.test_signature_pad import draw_stroke, zigzag

MODULES = ["INSURANCE", "DEMOCRACY"]


def fill_next_input_dialog(text: str) -> None:
    """Answer the next modal QInputDialog (the skip or removal reason) as a user would."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(text)
        dialog.accept()

    QTimer.singleShot(0, fill)


def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "工资表.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 40, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def drop_files(widget: object, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    # PySide6 flags the only QDragEnterEvent constructor Qt 6 has (QPoint) as deprecated; there is no other.
    with warnings.catch_warnings(action="ignore", category=DeprecationWarning):
        enter = QDragEnterEvent(
            QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
    QApplication.sendEvent(widget, enter)  # type: ignore[arg-type]
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, drop)  # type: ignore[arg-type]


def answer_all_with_keys(qtbot: QtBot, page: AnswerPage, keys: dict[str, str]) -> None:
    """Walk every item with the keyboard: the key given for an item id, else 1 (符合); Enter skips the rest."""
    for _ in range(200):
        if all(s.answer is not None for s in page.states if s.needs_answer):
            return
        state = page.state(page.item_id)
        assert state is not None
        if not state.needs_answer or state.answer is not None:
            qtbot.keyClick(page.items, Qt.Key.Key_Return)
            continue
        key = keys.get(state.item.id, "1")
        if key == "4":
            fill_next_input_dialog("企业未能提供材料")
        qtbot.keyClick(page.items, key)
        if key == "2":
            qtbot.keyClick(page.items, Qt.Key.Key_Return)
    raise AssertionError("items left unanswered")


def test_a_complete_visit_from_new_enterprise_to_signed_notice_and_verified_follow_up(
    qtbot: QtBot, ui_ctx: UiContext, coordinator: Coordinator, tmp_path: Path
) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    window.show()

    # 1. a new enterprise, with the credit code checked as it is typed
    form = EnterpriseForm(ui_ctx, None, window)
    qtbot.addWidget(form)
    qtbot.keyClicks(form.uscc, "91511703MA62XXXX01")
    assert "校验位" in form.uscc_status.text()
    form.uscc.clear()
    qtbot.keyClicks(form.uscc, make_uscc("91511703MA62XXXX0"))
    assert "代码有效" in form.uscc_status.text()
    form.name.setText("达州恒达机械制造有限公司")  # QTest types Latin-1 only; Chinese text is set as an IME would
    form.industry.setText("制造业")
    form.headcount.setValue(120)
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert form.enterprise_id is not None
    with ui_ctx.session() as session:
        enterprise = session.get_one(Enterprise, form.enterprise_id)
        assert (enterprise.name, enterprise.headcount) == ("达州恒达机械制造有限公司", 120)

    # 2. a new visit of two modules
    dialog = NewVisitDialog(ui_ctx, form.enterprise_id, window)
    qtbot.addWidget(dialog)
    assert "CONTRACT" in dialog.chosen_modules()  # suggested for every enterprise
    dialog.set_modules(MODULES)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.audit_id is not None
    window.open_audit(dialog.audit_id)
    page = window.answers
    assert window.stack.currentWidget() is page
    assert page.module_codes() == MODULES

    # 3. the first item non-compliant, with a photo dropped onto it; one skipped with a reason; the rest compliant
    first = page.item_id
    assert first is not None
    qtbot.keyClick(page.items, "2")
    assert page.saved_label.isVisible()
    page.photos.ask_mask = lambda path: []  # type: ignore[method-assign]  # masking tool: test_photo_masking.py
    with qtbot.waitSignal(page.photos.files_processed, timeout=15_000):
        drop_files(page.photos, [photo_file(tmp_path)])
    assert page.photos.count() == 1
    asked = [s.item.id for s in page.states if s.needs_answer]
    answer_all_with_keys(qtbot, page, {asked[1]: "2", asked[2]: "4"})
    assert all(bar.value() == bar.maximum() for bar in page.module_bars.values())

    with ui_ctx.session() as session:
        answers = {a.item_id: a for a in session.scalars(select(Answer).where(Answer.audit_id == dialog.audit_id))}
        photos = session.scalars(select(Attachment).where(Attachment.audit_id == dialog.audit_id)).all()
    assert set(answers) == set(asked)
    assert answers[first].status is AnswerStatus.NON_COMPLIANT
    assert answers[asked[2]].status is AnswerStatus.NOT_CHECKED
    assert answers[asked[2]].skip_reason == "企业未能提供材料"
    assert [(p.item_id, p.original_name) for p in photos] == [(first, "工资表.jpg")]

    # 4. finish → the findings page
    qtbot.mouseClick(page.finish_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.findings
    findings = window.findings
    assert len(findings.rows) == 2

    # 5. edit the first finding's requirement, deadline and responsible person
    findings.table.setCurrentCell(0, 1)
    findings.requirement.clear()
    findings.requirement.insertPlainText("十五日内补缴全部职工社会保险费")
    visit = findings.visit_date
    findings.deadline.setDate(findings.deadline.date().addDays(5))
    assert "个工作日" in findings.deadline_info.text()
    findings.person.setText("王芳")  # filling the blank responsible person needs no reason ...
    findings.autosave.touch()
    assert findings.autosave.flush()
    assert findings.reason_button.isVisibleTo(findings)  # ... the requirement and deadline corrections do
    # 6. moving to the second finding asks the reason once; then remove the second finding, with a reason
    fill_next_input_dialog("企业申请调整整改时限")
    findings.table.setCurrentCell(1, 1)
    assert not findings.reason_button.isVisibleTo(findings)
    fill_next_input_dialog("企业当场出示了公示材料")
    qtbot.mouseClick(findings.remove_button, Qt.MouseButton.LeftButton)

    with ui_ctx.session() as session:
        audit = session.get_one(Audit, dialog.audit_id)
        rows = session.execute(
            select(Finding, RectificationItem)
            .join(RectificationItem, RectificationItem.finding_id == Finding.id)
            .where(Finding.audit_id == audit.id)
            .order_by(Finding.position)
        ).all()
    assert audit.status is AuditStatus.FINISHED
    (first_finding, first_item), (second_finding, _second_item) = rows
    assert first_finding.item_id == first
    assert first_item.requirement == "十五日内补缴全部职工社会保险费"
    assert first_item.responsible_person == "王芳"
    assert first_item.deadline > visit + dt.timedelta(days=5)
    assert second_finding.removed_reason == "企业当场出示了公示材料"

    # 7. the notice: previewed, signed by the coordinator and the enterprise with synthetic strokes, locked, saved
    notice_dialog = NoticeDialog(ui_ctx, dialog.audit_id, window)
    qtbot.addWidget(notice_dialog)
    notice_dialog.show()
    qtbot.waitUntil(lambda: notice_dialog.state is not None, timeout=20_000)
    notice_dialog.signer.setText("王芳")
    draw_stroke(notice_dialog.coordinator_box.pad, zigzag())
    draw_stroke(notice_dialog.enterprise_box.pad, zigzag(60, 70))
    qtbot.mouseClick(notice_dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(notice_dialog.is_locked, timeout=20_000)
    saved = tmp_path / "整改通知书.pdf"
    notice_dialog.save_pdf(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    with ui_ctx.session() as session:
        notice = session.scalars(select(Notice).where(Notice.audit_id == dialog.audit_id)).one()
        assert notice.status is NoticeStatus.SIGNED
        assert notice.enterprise_signer == "王芳"
        assert [p["item_id"] for p in notice.content["problems"]] == [first]
        assert notice.content["problems"][0]["requirement"] == "十五日内补缴全部职工社会保险费"

    # 8. the follow-up visit verifies the item; the enterprise's grade drops back
    followup = window.followup
    window.show_nav(1)
    followup.refresh()
    qtbot.waitUntil(lambda: followup.model.rowCount() == 1, timeout=10_000)
    followup.model.setData(followup.model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    followup.note.setText("已补缴社会保险费，核对缴费凭证")
    followup.document_ref.setText("社会保险费缴费凭证（2026年11月）")  # the evidence a verification requires
    with qtbot.waitSignal(ui_ctx.events.changed, timeout=10_000, check_params_cb=lambda changes, _by: changes.items):
        qtbot.mouseClick(followup.verify_button, Qt.MouseButton.LeftButton)
    with ui_ctx.session() as session:
        item = session.get_one(RectificationItem, first_item.id)
        assert item.status is ItemStatus.VERIFIED
        assert item.verification_note == "已补缴社会保险费，核对缴费凭证"
        assert session.get_one(Enterprise, form.enterprise_id).risk_grade == "低"
