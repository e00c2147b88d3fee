"""Campaign statistics (总结报送): the figures a district reports at the end of a campaign, with charts.

Enterprises checked, findings by module and severity, items rectified and verified (and the rates), overdue items
and the high-risk enterprises. The figures come from ``app.reports.statistics`` — the same computation the
campaign summary PDF prints — so the screen and the report can never disagree.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCharts import QChart
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.models import Campaign
from app.reports.statistics import CampaignStatistics, campaign_statistics
from app.services.workspace import Workspace
from app.ui.charts import MODULE_COLOUR, SEVERITY_COLOURS, STATUS_COLOURS, chart_view, pie, stacked_bars
from app.ui.context import UiContext
from app.ui.tasks import ProgressFn


def load_campaigns(ws: Workspace) -> list[tuple[str, str]]:
    with ws.db.session() as session:
        return [(c.id, c.name) for c in session.scalars(select(Campaign).order_by(Campaign.created_at.desc()))]


class Tile(QFrame):
    """One headline figure with its caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("—")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class StatisticsPage(QWidget):
    """统计: choose a campaign; headline figures, findings by module and severity, item status, high-risk list."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._dirty = True
        self._loading = False
        self.figures: CampaignStatistics | None = None
        self._campaigns: list[tuple[str, str]] = []
        self._first_fill = True

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.campaign_label = QLabel()
        self.campaign = QComboBox()
        self.campaign.setMinimumContentsLength(30)
        self.campaign.currentIndexChanged.connect(self._campaign_changed)
        self.tiles = {key: Tile() for key in ("enterprises", "findings", "rectified", "verified", "overdue", "high")}
        self.module_chart = chart_view(QChart())
        self.severity_chart = chart_view(QChart())
        self.status_chart = chart_view(QChart())
        self.high_label = QLabel()
        self.high_table = QTableWidget(0, 4)
        self.high_table.verticalHeader().setVisible(False)
        self.high_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.high_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.high_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.high_table.setColumnWidth(0, 260)
        self.high_table.setColumnWidth(1, 180)
        self.high_table.setColumnWidth(2, 180)
        self.high_table.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.campaign_label)
        top.addWidget(self.campaign, 2)
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)
        charts = QGridLayout()
        charts.addWidget(self.module_chart, 0, 0)
        charts.addWidget(self.severity_chart, 0, 1)
        charts.addWidget(self.status_chart, 0, 2)
        charts.setColumnStretch(0, 5)
        charts.setColumnStretch(1, 3)
        charts.setColumnStretch(2, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addLayout(charts, 3)
        layout.addWidget(self.high_label)
        layout.addWidget(self.high_table, 2)

        self._retranslate()
        ctx.events.data_changed.connect(self._on_data_changed)

    # --- texts --------------------------------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.title.setText(self.tr("专项行动统计"))
        self.campaign_label.setText(self.tr("专项行动"))
        captions = {
            "enterprises": self.tr("体检企业（家）"),
            "findings": self.tr("发现问题（个）"),
            "rectified": self.tr("整改率（含已提交材料）"),
            "verified": self.tr("复查销号率"),
            "overdue": self.tr("逾期未整改（项）"),
            "high": self.tr("高风险企业（家）"),
        }
        for key, tile in self.tiles.items():
            tile.caption.setText(captions[key])
        self.high_label.setText(self.tr("高风险企业"))
        self.high_table.setHorizontalHeaderLabels(
            [self.tr("企业"), self.tr("统一社会信用代码"), self.tr("整改事项"), self.tr("风险因素")]
        )
        self._fill_campaigns()
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _fill_campaigns(self) -> None:
        self._loading = True
        current = self.campaign.currentData()
        self.campaign.clear()
        self.campaign.addItem(self.tr("全部专项行动"), None)
        for key, name in self._campaigns:
            self.campaign.addItem(name, key)
        index = self.campaign.findData(current)
        if self._first_fill and self._campaigns:
            index, self._first_fill = 1, False
        self.campaign.setCurrentIndex(max(index, 0))
        self._loading = False

    # --- loading ------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._dirty = False

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> list[tuple[str, str]]:
            return load_campaigns(ws)

        self.ctx.tasks.run(work, name="statistics: campaigns", on_finished=self._campaigns_loaded, owner=self)

    def _campaigns_loaded(self, campaigns: list[tuple[str, str]]) -> None:
        self._campaigns = campaigns
        self._fill_campaigns()
        self._load()

    def _campaign_changed(self) -> None:
        if not self._loading:
            self._load()

    def _load(self) -> None:
        campaign_id = self.campaign.currentData()
        today = self.ctx.today()

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> CampaignStatistics:
            with ws.db.session() as session:
                return campaign_statistics(session, campaign_id=campaign_id, today=today)

        self.ctx.tasks.run(work, name="statistics: figures", on_finished=self._loaded, owner=self)

    def _loaded(self, figures: CampaignStatistics) -> None:
        self.figures = figures
        self._show()

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def _on_data_changed(self, kind: str) -> None:
        if kind in ("items", "audit", "enterprise", "sync"):
            self._dirty = True
            if self.isVisible():
                self.refresh()

    # --- showing ------------------------------------------------------------------------------------------------

    def _show(self) -> None:
        figures = self.figures
        if figures is None:
            return
        items = figures.items
        rectified = items.submitted + items.verified
        values = {
            "enterprises": str(figures.enterprises_checked),
            "findings": str(figures.findings),
            "rectified": f"{rectified / items.total:.0%}" if items.total else "—",
            "verified": f"{items.verified_rate:.0%}" if items.total else "—",
            "overdue": str(items.overdue),
            "high": str(len(figures.high_risk)),
        }
        for key, tile in self.tiles.items():
            tile.value.setText(values[key])
        self.tiles["enterprises"].setToolTip(self.tr("体检 {audits} 次").format(audits=figures.audits))
        self.tiles["rectified"].setToolTip(
            self.tr("已整改（含已提交整改材料）{done} 项 / 共 {total} 项").format(done=rectified, total=items.total)
        )
        self.tiles["verified"].setToolTip(
            self.tr("已复查销号 {done} 项 / 共 {total} 项").format(done=items.verified, total=items.total)
        )

        modules = list(reversed(figures.by_module))
        self.module_chart.setChart(
            stacked_bars(
                self.tr("问题分布（按检查模块）"),
                [m.title for m in modules],
                [(self.tr("问题数"), [m.findings for m in modules], MODULE_COLOUR)],
            )
        )
        severity_names = {"高": self.tr("严重"), "中": self.tr("一般"), "低": self.tr("轻微")}
        self.severity_chart.setChart(
            pie(
                self.tr("问题严重程度"),
                [
                    (severity_names.get(level, level), count, SEVERITY_COLOURS.get(level))
                    for level, count in figures.by_severity
                ],
            )
        )
        self.status_chart.setChart(
            pie(
                self.tr("整改事项状态"),
                [
                    (self.tr("已复查销号"), items.verified, STATUS_COLOURS[0]),
                    (self.tr("已提交整改材料"), items.submitted, STATUS_COLOURS[1]),
                    (self.tr("整改中（未到期）"), items.open, STATUS_COLOURS[2]),
                    (self.tr("已逾期"), items.overdue, STATUS_COLOURS[3]),
                ],
            )
        )
        self.high_table.setRowCount(len(figures.high_risk))
        for row, enterprise in enumerate(figures.high_risk):
            pending = enterprise.open_items + enterprise.overdue_items
            counts = (
                self.tr("未整改 {open} 项，其中逾期 {overdue} 项").format(
                    open=pending, overdue=enterprise.overdue_items
                )
                if pending
                else self.tr("无未整改事项")
            )
            for column, text in enumerate((enterprise.name, enterprise.uscc, counts, enterprise.reasons)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.high_table.setItem(row, column, cell)
        self.high_table.resizeRowsToContents()
