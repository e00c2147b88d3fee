"""Campaign statistics (总结报送): the figures a district reports at the end of a campaign, with charts.

Every number here comes from :func:`core.statistics.compute_statistics` (through ``app.reports.statistics``), the
one definition the summary PDF, the ledger totals, the command line and the office's console use too; each tile
says what it counts in the words of :mod:`core.statistics`. The page exports and prints the summary report
(专项行动工作情况报告) of the chosen campaign, printed at true scale like the notice.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QChart
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.audit.profile import active_coordinator
from app.audit.risk import RiskFactor
from app.models import load_settings
from app.reports.statistics import campaign_statistics
from app.reports.summary_pdf import render_summary
from app.services import lookups
from app.services.changes import OpChanges
from app.services.workspace import Workspace
from app.ui import labels
from app.ui.charts import MODULE_COLOUR, SEVERITY_COLOURS, STATUS_COLOURS, chart_view, pie, stacked_bars
from app.ui.context import UiContext
from app.ui.printing import PrintJob, a4_printer
from app.ui.tasks import ProgressFn
from core.fonts import load_notice_fonts
from core.statistics import CampaignStatistics

TILE_FIGURES = (
    "enterprises_checked",
    "findings",
    "items_verified",
    "items_awaiting_verification",
    "items_overdue",
    "high_risk_checked",
    "high_risk_registry",
)
"""The headline figures shown as tiles (keys of :data:`core.statistics.HEADLINE_KEYS`)."""

Names = dict[str, lookups.ModuleName]
Factors = dict[str, list[RiskFactor]]


def load_campaigns(ws: Workspace) -> list[tuple[str, str]]:
    with ws.db.session() as session:
        return [(c.id, c.name) for c in lookups.campaigns(session)]


def summary_pdf(ws: Workspace, campaign_id: str | None, today: dt.date) -> bytes:
    """The campaign's summary report as the CLI's ``summary`` makes it, dated and counted for ``today``."""
    with ws.db.session() as session:
        stats = campaign_statistics(session, today=today, campaign_id=campaign_id)
        coordinator = active_coordinator(session)
        issuing_body = (coordinator.issuing_body or coordinator.organisation) if coordinator else ""
        fonts = load_notice_fonts(load_settings(session).notice_font)
    return render_summary(stats, fonts=fonts, issuing_body=issuing_body, issued_on=today)


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
        self._module_names: Names = {}
        self._factors: Factors = {}
        self._campaigns: list[tuple[str, str]] = []
        self._first_fill = True

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.campaign_label = QLabel()
        self.campaign = QComboBox()
        self.campaign.setMinimumContentsLength(30)
        self.campaign.currentIndexChanged.connect(self._campaign_changed)
        self.tiles = {key: Tile() for key in TILE_FIGURES}
        self.printer = a4_printer()
        self.print_job: PrintJob | None = None
        self.last_message = ""
        self.export_button = QPushButton()
        self.print_button = QPushButton()
        self.export_button.clicked.connect(self._ask_export)
        self.print_button.clicked.connect(self.print_summary)
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
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)
        charts = QGridLayout()
        charts.addWidget(self.module_chart, 0, 0)
        charts.addWidget(self.severity_chart, 0, 1)
        charts.addWidget(self.status_chart, 0, 2)
        charts.setColumnStretch(0, 6)
        charts.setColumnStretch(1, 3)
        charts.setColumnStretch(2, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addLayout(charts, 7)
        layout.addWidget(self.high_label)
        layout.addWidget(self.high_table, 2)

        self._retranslate()
        ctx.events.changed.connect(self._on_changes)

    # --- texts --------------------------------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.title.setText(self.tr("专项行动统计"))
        self.campaign_label.setText(self.tr("专项行动"))
        self.export_button.setText(self.tr("导出工作报告…"))
        self.print_button.setText(self.tr("打印工作报告…"))
        captions = self.captions()
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

    def captions(self) -> dict[str, str]:
        """What each tile counts, in the words of :mod:`core.statistics` (a test holds the Chinese to them)."""
        return {
            "enterprises_checked": self.tr("完成体检的企业（家）"),
            "findings": self.tr("发现的问题（个）"),
            "items_verified": self.tr("已复查销号的整改事项（项）"),
            "items_awaiting_verification": self.tr("企业已报送整改材料、待复查的整改事项（项）"),
            "items_overdue": self.tr("超过整改期限仍未销号的整改事项（项）"),
            "high_risk_checked": self.tr("体检企业中风险等级为高的企业（家）"),
            "high_risk_registry": self.tr("企业名录中风险等级为高的企业（家）"),
        }

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

        def work(cancel: threading.Event, progress: ProgressFn) -> tuple[CampaignStatistics, Names, Factors]:
            with ws.db.session() as session:
                figures = campaign_statistics(session, campaign_id=campaign_id, today=today)
                names = lookups.module_names_by_code(session)
                factors = lookups.risk_factors_by_uscc(session, (e.uscc for e in figures.high_risk), today)
                return figures, names, factors

        self.ctx.tasks.run(work, name="statistics: figures", on_finished=self._loaded, owner=self)

    def _loaded(self, loaded: tuple[CampaignStatistics, Names, Factors]) -> None:
        self.figures, self._module_names, self._factors = loaded
        self._show()

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def _on_changes(self, changes: OpChanges, _initiator: object) -> None:
        if changes.items or changes.audits or changes.enterprises or changes.campaigns or changes.sync:
            self._dirty = True
            if self.isVisible():
                self.refresh()

    # --- showing ------------------------------------------------------------------------------------------------

    def _show(self) -> None:
        figures = self.figures
        if figures is None:
            return
        items = figures.items
        for key, tile in self.tiles.items():
            tile.value.setText(str(figures.figure(key).value))
        self.tiles["enterprises_checked"].setToolTip(self.tr("体检 {audits} 次").format(audits=figures.audits))
        self.tiles["items_verified"].setToolTip(
            self.tr("整改销号率 {rate}（共 {total} 项）").format(
                rate=f"{items.verified_rate:.0%}" if items.total else "—", total=items.total
            )
        )
        self.tiles["high_risk_registry"].setToolTip(
            self.tr("企业名录共 {count} 家，含尚未体检的企业").format(count=figures.registry_enterprises)
        )

        modules = list(reversed(figures.by_module))
        self.module_chart.setChart(
            stacked_bars(
                self.tr("问题分布（按检查模块）"),
                [
                    labels.module_title(self._module_names[m.key]) if m.key in self._module_names else m.title
                    for m in modules
                ],
                [(self.tr("问题数"), [m.count for m in modules], MODULE_COLOUR)],
            )
        )
        severity_names = {"高": self.tr("严重"), "中": self.tr("一般"), "低": self.tr("轻微")}
        self.severity_chart.setChart(
            pie(
                self.tr("问题严重程度"),
                [
                    (severity_names.get(level.key, level.title), level.count, SEVERITY_COLOURS.get(level.key))
                    for level in figures.by_severity
                ],
            )
        )
        self.status_chart.setChart(
            pie(
                self.tr("整改事项状态"),
                [
                    (self.tr("已复查销号"), items.verified, STATUS_COLOURS[0]),
                    (self.tr("已提交整改材料（未到期）"), items.submitted, STATUS_COLOURS[1]),
                    (self.tr("整改中（未到期）"), items.open, STATUS_COLOURS[2]),
                    (self.tr("已逾期"), items.overdue, STATUS_COLOURS[3]),
                ],
            )
        )
        self.high_table.setRowCount(len(figures.high_risk))
        for row, enterprise in enumerate(figures.high_risk):
            pending = enterprise.open_items
            counts = (
                self.tr("未整改 {open} 项，其中逾期 {overdue} 项").format(
                    open=pending, overdue=enterprise.overdue_items
                )
                if pending
                else self.tr("无未整改事项")
            )
            factors = self._factors.get(enterprise.uscc)
            reasons = (
                labels.joined([labels.risk_factor(f) for f in factors]) if factors is not None else enterprise.reasons
            )
            for column, text in enumerate((enterprise.name, enterprise.uscc, counts, reasons)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.high_table.setItem(row, column, cell)
        self.high_table.resizeRowsToContents()

    # --- the summary report -------------------------------------------------------------------------------------

    def _with_summary(self, then: Callable[[bytes], None]) -> None:
        campaign_id = self.campaign.currentData()
        today = self.ctx.today()
        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> bytes:
            return summary_pdf(ws, campaign_id, today)

        self.ctx.tasks.run(work, name="statistics: summary", on_finished=then, on_failed=self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self._warn(str(error))

    def _warn(self, text: str) -> None:
        self.last_message = text
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("工作报告"), text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _ask_export(self) -> None:
        default = self.ctx.workspace.paths.exports / f"工作情况报告-{self.ctx.today().isoformat()}.pdf"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("导出工作报告"), str(default), self.tr("PDF 文件 (*.pdf)"))
        if name:
            self.export_summary(Path(name))

    def export_summary(self, path: Path) -> None:
        """Write the summary report of the chosen campaign to ``path`` (on a worker)."""

        def write(pdf: bytes) -> None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(pdf)
            except OSError as error:
                self._warn(self.tr("无法保存文件：{error}").format(error=error.strerror or str(error)))
                return
            self.last_message = self.tr("已导出：{path}").format(path=str(path))

        self._with_summary(write)

    def print_summary(self) -> None:
        """打印工作报告: the system print dialog, then every page at true A4 scale."""

        def ask(pdf: bytes) -> None:
            self.print_job = PrintJob(pdf, self.printer, self, self.tr("打印工作报告"))
            self.print_job.failed.connect(self._warn)
            self.print_job.printed.connect(
                lambda pages: setattr(
                    self, "last_message", self.tr("已发送到打印机：共 {pages} 页。").format(pages=pages)
                )
            )
            self.print_job.start()

        self._with_summary(ask)
