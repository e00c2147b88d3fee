"""Colleagues' items at an enterprise (pulled from the server as a status summary) show on its page, read-only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models import Enterprise
from app.models.sync import SUPPRESS_OUTBOX
from app.services.workspace import Workspace
from app.sync.protocol import ChangeRow
from app.sync.shared_items import apply_shared_item
from app.ui.app import STYLE_SHEET
from app.ui.context import UiContext
from app.ui.enterprise_detail import EnterpriseDetail
from app.ui.enterprise_model import GRADE_COLOURS


def _pull(ws: Workspace, enterprise: Enterprise, seq: int, item_id: str, **data: object) -> None:
    with ws.db.session() as session:
        session.info[SUPPRESS_OUTBOX] = True
        apply_shared_item(
            session,
            ChangeRow(
                seq=seq,
                entity="rectification_item",
                entity_id=item_id,
                op="upsert",
                data={"enterprise_id": enterprise.id, "audit_id": "a-colleague", **data},
            ),
        )


def test_colleagues_items_are_listed_with_their_status_and_overdue_marked(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, enterprise: Enterprise, tmp_path: Path
) -> None:
    page = EnterpriseDetail(ui_ctx)
    qtbot.addWidget(page)
    page.set_enterprise(enterprise.id)
    assert not page.shared_box.isVisibleTo(page)  # nobody else has items here

    _pull(
        ws,
        enterprise,
        7,
        "i-1",
        coordinator="陈静",
        requirement="为未签订书面劳动合同的12名职工补签劳动合同",
        deadline="2026-11-01",
        status="open",
    )
    _pull(
        ws,
        enterprise,
        8,
        "i-2",
        coordinator="陈静",
        requirement="足额支付2026年9月加班工资",
        deadline="2026-10-15",
        status="verified",
        verified_on="2026-10-12",
    )
    page.setStyleSheet(STYLE_SHEET)
    page.resize(1366, 900)
    page.show()
    page.refresh()

    assert page.shared_box.isVisible()
    assert page.shared.rowCount() == 2
    texts = {page.shared.item(row, 0).text(): row for row in range(2)}
    overdue = texts["为未签订书面劳动合同的12名职工补签劳动合同"]
    assert "逾期" in page.shared.item(overdue, 2).text()
    assert page.shared.item(overdue, 2).foreground().color() == GRADE_COLOURS["高"]
    assert page.shared.item(overdue, 3).text() == "陈静"
    verified = texts["足额支付2026年9月加班工资"]
    assert page.shared.item(verified, 2).text().startswith("已复查销号（2026-10-12")
    assert page.items.rowCount() == 1  # the laptop's own items are a separate list (none here)
    QApplication.processEvents()
    assert page.grab().save(str(tmp_path / "gui-enterprise-shared-zh.png"))
