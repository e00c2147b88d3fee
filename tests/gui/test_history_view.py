"""The change history timeline, per audit (findings page) and per item (enterprise page), as a reviewer reads it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit.rectification import (
    ItemEdit,
    Verification,
    record_follow_up,
    revoke_verification,
    submit_item,
    update_item,
)
from app.audit.visits import PersonMet, set_visit_record
from app.models import ChangeHistory, Coordinator, Enterprise, Finding, RectificationItem
from app.services import rectification
from app.services.workspace import Workspace
from app.ui.app import STYLE_SHEET
from app.ui.context import UiContext
from app.ui.enterprise_detail import EnterpriseDetail
from app.ui.findings_page import FindingsPage
from app.ui.history_view import HistoryDialog
from app.ui.visit_record_dialog import VisitRecordDialog
from tests.gui._gui_b import TODAY, finished_audit
from tests.gui.conftest import type_text

CHINA = dt.timezone(dt.timedelta(hours=8))


def _story(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> tuple[str, list[str]]:
    """A finished visit, then the corrections a real one sees: an extension, a submission, a verification and
    its revocation, and the visit record filled in afterwards."""
    audit_id = finished_audit(ws, coordinator, enterprise, non_compliant=2, visit_date=dt.date(2026, 10, 10))
    with ws.db.session() as session:
        items = session.scalars(
            select(RectificationItem)
            .join(Finding, Finding.id == RectificationItem.finding_id)
            .where(RectificationItem.audit_id == audit_id)
            .order_by(Finding.position)
        ).all()
        ids = [item.id for item in items]
        update_item(
            session,
            ids[0],
            deadline=dt.date(2026, 12, 15),
            responsible_person="钱七",
            reason="企业书面申请延期十五日，经科室负责人同意",
        )
        submit_item(session, ids[1], note="企业报送补签的劳动合同32份")
        record_follow_up(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=TODAY - dt.timedelta(days=2),
            method="documents",
            note="核对补签的劳动合同",
            verifications=[Verification(ids[1])],
            document_reference="补签劳动合同32份（企业盖章）",
            today=TODAY,
        )
        revoke_verification(session, ids[1], reason="抽查发现3份合同未由职工本人签字", today=TODAY)
        set_visit_record(
            session,
            audit_id,
            arrived_at=dt.datetime(2026, 10, 10, 9, 5, tzinfo=CHINA),
            departed_at=dt.datetime(2026, 10, 10, 11, 40, tzinfo=CHINA),
            people_met=[PersonMet("王芳", "人事主管"), PersonMet("赵强", "财务负责人")],
            documents_inspected=["职工花名册", "劳动合同", "2026年9月工资表"],
            reason="补记走访记录",
        )
    return audit_id, ids


def test_the_audit_timeline_shows_every_correction_newest_first_with_who_and_why(
    qtbot: QtBot,
    ui_ctx: UiContext,
    ws: Workspace,
    coordinator: Coordinator,
    enterprise: Enterprise,
    tmp_path: Path,
) -> None:
    audit_id, _ids = _story(ws, coordinator, enterprise)
    page = FindingsPage(ui_ctx)
    qtbot.addWidget(page)
    page.set_audit(audit_id)
    dialog = page.show_history()
    assert dialog is not None
    qtbot.addWidget(dialog)
    view = dialog.view
    lines = view.lines()
    events = [line for line in lines if not line.startswith("    ")]
    assert len(events) == len(view.events) == 5  # extension, submission, verification, revocation, visit record
    assert "补记走访记录" in events[0]
    assert "李明（A3）" in events[0]
    assert "    接待人员：（空） → 王芳（人事主管）、赵强（财务负责人）" in lines
    assert any("状态：已复查销号 → 已提交整改材料" in line for line in lines)
    assert any("抽查发现3份合同未由职工本人签字" in line for line in events)
    assert any("整改负责人：王芳 → 钱七" in line for line in lines)
    assert "记录只能追加" in view.summary.text()

    dialog.resize(1366, 768)
    dialog.setStyleSheet(STYLE_SHEET)
    dialog.show()
    QApplication.processEvents()
    assert dialog.grab().save(str(tmp_path / "gui-history-zh.png"))


def test_an_items_timeline_opens_from_the_enterprise_page(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    _audit_id, ids = _story(ws, coordinator, enterprise)
    page = EnterpriseDetail(ui_ctx)
    qtbot.addWidget(page)
    page.set_enterprise(enterprise.id)
    rows = {
        page.items.item(row, 0).data(0x0100): row  # Qt.UserRole
        for row in range(page.items.rowCount())
    }
    dialog = page.show_item_history(rows[ids[1]])
    assert isinstance(dialog, HistoryDialog)
    qtbot.addWidget(dialog)
    fields = [line.strip().split("：")[0] for line in dialog.view.lines() if line.startswith("    ")]
    assert "状态" in fields
    assert "整改负责人" not in fields  # that was the other item
    assert len(dialog.view.events) == 3  # submitted, verified, revoked


def test_the_findings_page_keeps_a_correction_as_a_draft_until_its_reason_is_given(
    qtbot: QtBot,
    ui_ctx: UiContext,
    ws: Workspace,
    coordinator: Coordinator,
    enterprise: Enterprise,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    audit_id = finished_audit(ws, coordinator, enterprise, non_compliant=1)
    page = FindingsPage(ui_ctx)
    qtbot.addWidget(page)
    page.set_audit(audit_id)
    page.person.setFocus()
    page.person.selectAll()
    type_text(page.person, "钱七")  # 王芳 → 钱七: a correction of the finished visit
    assert page.autosave.flush()
    assert "理由" in page.status.text()
    assert page.reason_button.isVisible() is page.isVisible()
    with ws.db.session() as session:
        item = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == audit_id)).one()
        assert item.responsible_person == "王芳"  # not changed without a reason ...
    draft = rectification.item_draft(ws, item.id)
    assert draft is not None
    assert draft.edit == ItemEdit(
        requirement=item.requirement, deadline=item.deadline, responsible_person="钱七", responsible_phone=""
    )  # ... but kept
    monkeypatch.setattr(page, "ask_change_reason", lambda: "  ")
    assert not page.flush_edits()
    assert "理由" in page.status.text()
    monkeypatch.setattr(page, "ask_change_reason", lambda: "企业更换了整改负责人")
    assert page.flush_edits()
    with ws.db.session() as session:
        item = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == audit_id)).one()
        assert item.responsible_person == "钱七"
    assert rectification.item_draft(ws, item.id) is None
    assert page.status.text().startswith("已保存")


def test_the_visit_record_dialog_saves_times_people_and_documents(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = finished_audit(ws, coordinator, enterprise, non_compliant=1)
    dialog = VisitRecordDialog(ui_ctx, audit_id)
    qtbot.addWidget(dialog)
    dialog.set_times(dt.datetime(2026, 11, 10, 9, 0, tzinfo=CHINA), dt.datetime(2026, 11, 10, 8, 0, tzinfo=CHINA))
    dialog.add_person("王芳", "人事主管")
    dialog.documents.setPlainText("职工花名册\n劳动合同")
    assert not dialog.save()  # a finished visit: without the reason the change is only a draft
    assert "理由" in dialog.status.text()
    dialog.reason.setText("补记走访记录")
    assert not dialog.save()
    assert "早于" in dialog.status.text()
    dialog.set_times(dt.datetime(2026, 11, 10, 9, 0, tzinfo=CHINA), dt.datetime(2026, 11, 10, 11, 30, tzinfo=CHINA))
    assert dialog.save()
    from app.models import Audit

    with ws.db.session() as session:
        audit = session.get_one(Audit, audit_id)
        assert audit.people_met == [{"name": "王芳", "role": "人事主管"}]
        assert audit.documents_inspected == ["职工花名册", "劳动合同"]
        assert audit.departed_at == dt.datetime(2026, 11, 10, 3, 30, tzinfo=dt.UTC)


def test_the_visit_record_opens_from_the_findings_page_of_a_finished_visit(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = finished_audit(ws, coordinator, enterprise, non_compliant=1)
    page = FindingsPage(ui_ctx)
    qtbot.addWidget(page)
    page.set_audit(audit_id)
    dialog = page.edit_visit_record()
    assert dialog is not None
    assert dialog.audit_finished  # a finished visit: the dialog asks for the reason of the change
    dialog.add_person("赵强", "财务负责人")
    dialog.reason.setText("补记接待人员")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "走访记录已保存" in page.status.text())
    from app.models import Audit

    with ws.db.session() as session:
        assert session.get_one(Audit, audit_id).people_met == [{"name": "赵强", "role": "财务负责人"}]


def test_the_findings_page_rewords_a_statement_and_marks_the_note_for_the_notice(
    qtbot: QtBot,
    ui_ctx: UiContext,
    ws: Workspace,
    coordinator: Coordinator,
    enterprise: Enterprise,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    audit_id = finished_audit(ws, coordinator, enterprise, non_compliant=1)  # with the note 现场查阅资料
    page = FindingsPage(ui_ctx)
    qtbot.addWidget(page)
    page.set_audit(audit_id)
    assert page.description.toPlainText().startswith("经查，你单位")
    assert page.note.text() == "现场查阅资料"
    assert not page.note_on_notice.isChecked()
    page.description.setPlainText("经查，你单位有4名劳动者未订立书面劳动合同")  # typed: saved as a draft ...
    page.note_on_notice.setChecked(True)
    monkeypatch.setattr(page, "ask_change_reason", lambda: "现场核实人数")
    assert page.flush_edits()  # ... and with the reason asked when the coordinator moves on
    with ws.db.session() as session:
        finding = session.scalars(select(Finding).where(Finding.audit_id == audit_id)).one()
        assert finding.description == "经查，你单位有4名劳动者未订立书面劳动合同。"
        assert finding.note_on_notice
        changes = session.scalars(select(ChangeHistory).where(ChangeHistory.entity_id == finding.id)).all()
        assert {change.field for change in changes} == {"description", "note_on_notice"}
        assert {change.reason for change in changes} == {"现场核实人数"}
    page.refresh()
    assert page.description.toPlainText() == "经查，你单位有4名劳动者未订立书面劳动合同。"
