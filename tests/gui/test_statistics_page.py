"""The statistics page shows the campaign's figures as the database has them, in tiles, charts and a list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.audit.rectification import Verification, record_follow_up
from app.models import Audit, Coordinator, Enterprise, Finding, ItemStatus, RectificationItem
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.statistics_page import StatisticsPage
from tests.conftest import add_enterprise
from tests.gui._gui_b import TODAY, add_campaign, finished_audit
from tests.gui._printed import a4_pages, inked_rows, pdf_file_printer, text_position


def test_figures_match_the_database(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    campaign_id = add_campaign(ws)
    finished_audit(
        ws, coordinator, enterprise, non_compliant=4, visit_date=dt.date(2026, 9, 1), campaign_id=campaign_id
    )
    other = add_enterprise(ws, name="达州新科电子科技有限公司", body="91511703MA62YYYY0")
    finished_audit(
        ws, coordinator, other, non_compliant=2, visit_date=TODAY - dt.timedelta(days=2), campaign_id=campaign_id
    )
    outside = add_enterprise(ws, name="达州宏图物流有限公司", body="91511703MA62WWWW0")
    finished_audit(ws, coordinator, outside, non_compliant=3)  # no campaign: left out of the campaign's figures
    with ws.db.session() as session:
        first = session.scalars(select(RectificationItem).where(RectificationItem.enterprise_id == other.id)).first()
        assert first is not None
        record_follow_up(
            session,
            enterprise_id=other.id,
            coordinator_id=coordinator.id,
            visit_date=TODAY,
            method="documents",
            note="材料已核",
            verifications=[Verification(first.id)],
            document_reference="企业寄来的劳动合同签收表",
            today=TODAY,
        )

    page = StatisticsPage(ui_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.figures is not None and page.figures.campaign_id == campaign_id, timeout=20_000)
    figures = page.figures
    assert figures is not None

    with ws.db.session() as session:
        in_campaign = select(Audit.id).where(Audit.campaign_id == campaign_id)
        findings = session.scalar(select(func.count()).select_from(Finding).where(Finding.audit_id.in_(in_campaign)))
        items = session.scalars(select(RectificationItem).where(RectificationItem.audit_id.in_(in_campaign))).all()
        verified = sum(1 for item in items if item.status is ItemStatus.VERIFIED)
        overdue = sum(1 for item in items if item.is_overdue(TODAY))
        high = session.scalars(
            select(Enterprise.name).where(Enterprise.id.in_([enterprise.id, other.id]), Enterprise.risk_grade == "高")
        ).all()

    assert page.tiles["enterprises_checked"].value.text() == "2"
    assert page.tiles["findings"].value.text() == str(findings) == "6"
    assert page.tiles["items_overdue"].value.text() == str(overdue)
    assert page.tiles["items_verified"].value.text() == str(verified)
    assert page.tiles["high_risk_checked"].value.text() == str(len(high))
    assert page.high_table.rowCount() == len(high)
    assert sum(module.count for module in figures.by_module) == findings
    bar_sets = page.module_chart.chart().series()[0].barSets()
    assert sum(bar_sets[0].at(i) for i in range(bar_sets[0].count())) == findings
    status_slices = {s.label().split(" ")[0]: int(s.value()) for s in page.status_chart.chart().series()[0].slices()}
    assert status_slices.get("已复查销号") == verified == 1
    assert status_slices.get("已逾期", 0) == overdue

    page.campaign.setCurrentIndex(0)  # all campaigns: the third enterprise's findings join in
    qtbot.waitUntil(lambda: page.figures is not None and page.figures.campaign_id is None, timeout=20_000)
    assert page.tiles["findings"].value.text() == "9"


def test_each_tile_says_what_it_counts_in_the_words_of_the_shared_definition(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    finished_audit(ws, coordinator, enterprise, campaign_id=add_campaign(ws))
    page = StatisticsPage(ui_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.figures is not None, timeout=20_000)
    assert page.figures is not None
    for key, caption in page.captions().items():
        figure = page.figures.figure(key)
        assert caption.split("（")[0] in figure.label, (caption, figure.label)
        assert caption.endswith(f"（{figure.unit}）")
        assert page.tiles[key].value.text() == str(figure.value)


def test_the_summary_report_is_exported_and_printed_at_true_scale(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise, tmp_path: Path
) -> None:
    campaign_id = add_campaign(ws)
    finished_audit(ws, coordinator, enterprise, non_compliant=3, campaign_id=campaign_id)
    page = StatisticsPage(ui_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.figures is not None and page.figures.campaign_id == campaign_id, timeout=20_000)

    source = tmp_path / "summary.pdf"
    page.export_summary(source)
    qtbot.waitUntil(lambda: source.exists(), timeout=30_000)
    with pdfplumber.open(source) as pdf:
        text = "".join((p.extract_text() or "").replace("\n", "") for p in pdf.pages)
    assert "共对1家企业" in text
    assert "发现问题3个" in text

    printed = tmp_path / "printed.pdf"
    pdf_file_printer(page.printer, printed)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.print_job is not None and page.print_job.dialog.isVisible(), timeout=30_000)
    assert page.print_job is not None
    with qtbot.waitSignal(page.print_job.printed, timeout=60_000) as done:
        page.print_job.dialog.accept()
    assert done.args == [a4_pages(printed)] == [a4_pages(source)]
    assert "已发送到打印机" in page.last_message
    number, _left, top = text_position(source, "特此报告")
    band = (top - 12, top + 30)
    assert inked_rows(printed, number, band, tmp_path) == pytest.approx(
        inked_rows(source, number, band, tmp_path), abs=2
    )
