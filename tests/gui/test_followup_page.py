"""The follow-up page verifies ticked items through record_follow_up; the database and the grade show it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit.risk import grade_enterprise
from app.models import Attachment, Coordinator, Enterprise, FollowUp, ItemStatus, RectificationItem
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.followup_page import FollowUpPage
from tests.conftest import add_enterprise
from tests.gui._gui_b import TODAY, finished_audit


def _page(qtbot: QtBot, ui_ctx: UiContext) -> FollowUpPage:
    page = FollowUpPage(ui_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return page


def _two_enterprises(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> None:
    """One enterprise visited long ago (its items overdue), one visited two days ago (its items not yet due)."""
    finished_audit(ws, coordinator, enterprise, non_compliant=2, visit_date=dt.date(2026, 9, 1))
    recent = add_enterprise(ws, name="达州新科电子科技有限公司", body="91511703MA62YYYY0")
    finished_audit(ws, coordinator, recent, non_compliant=2, visit_date=TODAY - dt.timedelta(days=2))


def test_open_items_are_listed_overdue_first_with_their_progress(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    _two_enterprises(ws, coordinator, enterprise)
    page = _page(qtbot, ui_ctx)
    rows = page.model.rows
    assert len(rows) == 4
    assert [row.overdue_days > 0 for row in rows] == [True, True, False, False]
    assert rows[0].enterprise_name == enterprise.name
    assert "已逾期" in page.model.data(page.model.index(0, 5))
    assert "天后到期" in page.model.data(page.model.index(3, 5)) or rows[3].due_in_days > 7
    assert "未销号 4 项，其中已逾期 2 项" in page.summary.text()


def test_verifying_checked_items_marks_them_verified_and_updates_the_grade(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise, tmp_path: Path
) -> None:
    finished_audit(ws, coordinator, enterprise, non_compliant=2)
    with ws.db.session() as session:
        assert grade_enterprise(session, enterprise.id, TODAY).grade != "低"
    page = _page(qtbot, ui_ctx)
    assert not page.verify_button.isEnabled()
    for row in range(page.model.rowCount()):
        page.model.setData(page.model.index(row, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert page.verify_button.isEnabled()
    photo = tmp_path / "复查.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (20, 120, 40)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    page.set_photo(photo)
    page.note.setText("已补签劳动合同，现场核实")

    with qtbot.waitSignal(page.ctx.events.changed, timeout=10_000, check_params_cb=lambda changes, _by: changes.items):
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已保存" in page.status.text())

    with ws.db.session() as session:
        items = session.scalars(select(RectificationItem).where(RectificationItem.enterprise_id == enterprise.id)).all()
        assert {item.status for item in items} == {ItemStatus.VERIFIED}
        assert {item.verification_note for item in items} == {"已补签劳动合同，现场核实"}
        assert {item.verified_by for item in items} == {"李明"}
        follow_up = session.scalars(select(FollowUp)).one()
        assert follow_up.method == "on_site"
        assert session.get_one(Enterprise, enterprise.id).risk_grade == "低"
        photos = session.scalars(select(Attachment).where(Attachment.kind == "photo")).all()
        assert len(photos) == 2
        assert all(p.caption == "复查证据" for p in photos)
    assert "低" in page.status.text()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)


def test_scope_filter_shows_only_overdue_items(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    _two_enterprises(ws, coordinator, enterprise)
    page = _page(qtbot, ui_ctx)
    total = page.model.rowCount()
    page.scope.setCurrentIndex(1)
    assert page.model.rowCount() == 2
    assert all(row.overdue_days > 0 for row in page.model.rows)
    page.scope.setCurrentIndex(0)
    page.search.setText("不存在的企业")
    assert page.model.rowCount() == 0
    page.search.clear()
    assert page.model.rowCount() == total
