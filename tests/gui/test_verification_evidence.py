"""The follow-up page verifies only with evidence: a photo or a document reference, and a note."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit.workspace import Workspace
from app.models import Coordinator, Enterprise, FollowUp, ItemStatus, RectificationItem
from app.ui.context import UiContext
from app.ui.followup_page import FollowUpPage
from tests.gui._gui_b import finished_audit


def _checked_page(qtbot: QtBot, ui_ctx: UiContext) -> FollowUpPage:
    page = FollowUpPage(ui_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    page.model.set_checked(0, True)
    return page


def _statuses(ws: Workspace, enterprise: Enterprise) -> set[ItemStatus]:
    with ws.db.session() as session:
        query = select(RectificationItem.status).where(RectificationItem.enterprise_id == enterprise.id)
        return set(session.scalars(query))


def test_without_evidence_or_note_nothing_is_verified_and_the_page_says_why(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    finished_audit(ws, coordinator, enterprise, non_compliant=1)
    page = _checked_page(qtbot, ui_ctx)
    page.verify_checked()
    assert "核验说明" in page.last_error
    page.note.setText("现场核实已补签")
    page.verify_checked()
    assert "必须有证据" in page.last_error
    assert _statuses(ws, enterprise) == {ItemStatus.OPEN}


def test_a_document_reference_is_enough_evidence_and_is_kept_on_the_follow_up(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    finished_audit(ws, coordinator, enterprise, non_compliant=1)
    page = _checked_page(qtbot, ui_ctx)
    page.method.setCurrentIndex(page.method.findData("documents"))
    page.note.setText("企业寄来补签的劳动合同")
    page.document_ref.setText("补签劳动合同32份（企业盖章）")
    with qtbot.waitSignal(page.ctx.events.data_changed, timeout=10_000):
        page.verify_checked()
    qtbot.waitUntil(lambda: "已保存" in page.status.text())
    assert _statuses(ws, enterprise) == {ItemStatus.VERIFIED}
    with ws.db.session() as session:
        follow_up = session.scalars(select(FollowUp)).one()
        assert (follow_up.method, follow_up.evidence_reference) == ("documents", "补签劳动合同32份（企业盖章）")
        assert follow_up.evidence_attachment_ids == []
