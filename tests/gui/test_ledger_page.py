"""The ledger page shows ledger_rows with the export's filters and writes exactly those rows to xlsx or csv."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import Coordinator, Enterprise
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.ledger_page import LedgerFilter, LedgerPage
from tests.conftest import add_enterprise
from tests.gui._gui_b import TODAY, add_campaign, finished_audit


def _ledger(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> tuple[LedgerPage, str]:
    campaign_id = add_campaign(ws)
    finished_audit(
        ws, coordinator, enterprise, non_compliant=2, visit_date=dt.date(2026, 9, 1), campaign_id=campaign_id
    )
    other = add_enterprise(ws, name="达州新科电子科技有限公司", body="91511703MA62YYYY0", district="通川区")
    finished_audit(ws, coordinator, other, non_compliant=3, visit_date=TODAY - dt.timedelta(days=2))
    page = LedgerPage(ui_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5 and page.campaign.count() == 2)
    return page, campaign_id


def test_filters_by_campaign_district_and_overdue_like_the_export(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    page, campaign_id = _ledger(qtbot, ui_ctx, ws, coordinator, enterprise)
    assert page.model.headerData(1, Qt.Orientation.Horizontal) == "单位名称"

    page.set_filter(LedgerFilter(campaign_id=campaign_id))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert {row.enterprise_name for row in page.model.rows} == {enterprise.name}

    page.set_filter(LedgerFilter(district="通川区"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert {row.enterprise_name for row in page.model.rows} == {"达州新科电子科技有限公司"}

    page.set_filter(LedgerFilter(status="overdue"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert {row.state for row in page.model.rows} == {"overdue"}
    assert "超过整改期限仍未销号 2 条" in page.count_label.text()


def test_export_writes_the_filtered_rows_to_xlsx_and_csv(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise, tmp_path: Path
) -> None:
    page, _ = _ledger(qtbot, ui_ctx, ws, coordinator, enterprise)
    page.set_filter(LedgerFilter(district="通川区"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    shown = [row.problem for row in page.model.rows]

    target = tmp_path / "out" / "台账.xlsx"
    # Tasks delete themselves once done, so the tests wait on the page's state rather than on a task's signal.
    page.export_to(target)
    assert page.progress.isVisibleTo(page)
    assert not page.export_button.isEnabled()
    qtbot.waitUntil(lambda: page.last_export == target, timeout=20_000)
    assert not page.progress.isVisibleTo(page)
    assert page.export_button.isEnabled()
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1] == "单位名称"
    assert [row[10] for row in values[2:]] == shown

    csv_target = tmp_path / "台账.csv"
    page.export_to(csv_target)
    qtbot.waitUntil(lambda: page.last_export == csv_target, timeout=20_000)
    with csv_target.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][1] == "单位名称"
    assert [row[10] for row in rows[1:]] == shown


def test_cancelled_export_leaves_no_file(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise, tmp_path: Path
) -> None:
    page, _ = _ledger(qtbot, ui_ctx, ws, coordinator, enterprise)
    runner = page.ctx.tasks
    runner.pool.setMaxThreadCount(1)
    release = threading.Event()
    runner.run(lambda cancel, progress: release.wait(10), name="blocker")
    target = tmp_path / "exports" / "台账.xlsx"
    page.export_to(target)
    assert page.cancel_button.isVisibleTo(page)
    page.cancel_export()
    release.set()
    qtbot.waitUntil(lambda: page.count_label.text() == "已取消导出", timeout=20_000)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []
    assert not page.cancel_button.isVisibleTo(page)
