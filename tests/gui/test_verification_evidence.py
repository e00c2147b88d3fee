"""The follow-up page verifies only with evidence: a photo or a document reference, and a note."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Coordinator, Enterprise, FollowUp, ItemStatus, RectificationItem
from app.services.workspace import Workspace
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
    with qtbot.waitSignal(page.ctx.events.changed, timeout=10_000, check_params_cb=lambda changes, _by: changes.items):
        page.verify_checked()
    qtbot.waitUntil(lambda: "已保存" in page.status.text())
    assert _statuses(ws, enterprise) == {ItemStatus.VERIFIED}
    with ws.db.session() as session:
        follow_up = session.scalars(select(FollowUp)).one()
        assert (follow_up.method, follow_up.evidence_reference) == ("documents", "补签劳动合同32份（企业盖章）")
        assert follow_up.evidence_attachment_ids == []


def _verified_item(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> str:
    from app.audit.rectification import Verification, record_follow_up

    finished_audit(ws, coordinator, enterprise, non_compliant=1)
    with ws.db.session() as session:
        item = session.scalars(select(RectificationItem)).one()
        record_follow_up(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=item.deadline.replace(day=1),
            method="documents",
            note="企业寄来补签的劳动合同",
            verifications=[Verification(item.id)],
            document_reference="补签劳动合同32份",
        )
        return item.id


def test_a_verification_is_revoked_from_the_enterprise_page_only_with_a_reason(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    from app.models import ChangeHistory
    from app.ui.enterprise_detail import EnterpriseDetail

    item_id = _verified_item(ws, coordinator, enterprise)
    page = EnterpriseDetail(ui_ctx)
    qtbot.addWidget(page)
    page.set_enterprise(enterprise.id)
    assert not page.revoke_button.isEnabled()  # nothing selected yet
    page.items.setCurrentCell(0, 0)
    assert page.revoke_button.isEnabled()

    page.ask_revoke_reason = lambda: "   "  # type: ignore[method-assign]
    assert not page.revoke_selected()
    assert "理由" in page.item_status.text()
    assert _statuses(ws, enterprise) == {ItemStatus.VERIFIED}

    page.ask_revoke_reason = lambda: "复查发现又有新入职职工未签合同"  # type: ignore[method-assign]
    assert page.revoke_selected()
    assert _statuses(ws, enterprise) == {ItemStatus.OPEN}
    assert "已撤销" in page.item_status.text()
    with ws.db.session() as session:
        reasons = set(session.scalars(select(ChangeHistory.reason).where(ChangeHistory.entity_id == item_id)))
    assert any("复查发现又有新入职职工未签合同" in reason for reason in reasons)
    page.items.setCurrentCell(0, 0)
    assert not page.revoke_button.isEnabled()  # open again: nothing to revoke
