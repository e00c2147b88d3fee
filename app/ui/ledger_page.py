"""The work ledger (工作台账) on screen, with the same filters as its export, and the export itself.

Rows come from ``app.reports.ledger.ledger_rows`` and the file from ``write_ledger``, so what the table shows and
what the exported file holds can never differ. Loading and writing run on workers; the export shows a progress
bar and can be cancelled (the half-written temporary file is removed by ``write_ledger``, the last good ledger
stays untouched).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from app.models import Enterprise, RectificationItem
from app.reports.ledger import LEDGER_STATUSES, LedgerRow, LedgerStatus, ledger_rows, ledger_totals, write_ledger
from app.services import lookups
from app.services.changes import OpChanges
from app.services.workspace import Workspace
from app.ui import labels
from app.ui.context import UiContext
from app.ui.tasks import ProgressFn, Task, error_message

ModelIndex = QModelIndex | QPersistentModelIndex


COLUMN_WIDTHS = (40, 180, 160, 90, 200, 150, 70, 70, 90, 110, 270, 220, 230, 100, 110, 170, 64)
SHOWN_FIRST = (0, 1, 10, 12, 13, 15, 14, 16, 8, 9, 11)
"""On screen the working columns come first — 存在问题, 整改事项, 整改时限, 整改情况, 整改负责人, 风险等级 — so a
1366-pixel screen shows them without scrolling; the registry columns follow. The export keeps the annex's order."""


class ExportCancelled(Exception):
    """The user cancelled an export: the partial file is removed and the previous ledger file left untouched."""


@dataclass(frozen=True)
class LedgerFilter:
    campaign_id: str | None = None
    district: str | None = None
    status: LedgerStatus | None = None


@dataclass(frozen=True)
class FilterChoices:
    campaigns: list[tuple[str, str]]
    districts: list[str]


def filter_choices(ws: Workspace) -> FilterChoices:
    with ws.db.session() as session:
        campaigns = [(c.id, c.name) for c in lookups.campaigns(session)]
        districts = [
            d
            for d in session.scalars(
                select(Enterprise.district)
                .join(RectificationItem, RectificationItem.enterprise_id == Enterprise.id)
                .group_by(Enterprise.district)
                .order_by(func.count().desc())
            )
            if d
        ]
    return FilterChoices(campaigns, districts)


def load_ledger(ws: Workspace, today: dt.date, chosen: LedgerFilter) -> list[LedgerRow]:
    with ws.db.session() as session:
        return list(
            ledger_rows(
                session, today=today, campaign_id=chosen.campaign_id, district=chosen.district, status=chosen.status
            )
        )


DEADLINE, PROGRESS, GRADE = 13, 15, 16
"""Columns a screen words itself (the export keeps the ledger's Chinese)."""


class LedgerModel(QAbstractTableModel):
    """The ledger's 17 columns; overdue rows tinted red, verified rows green."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[LedgerRow] = []
        self.today = dt.date.today()
        """The day the rows were loaded for (set by the page with them)."""

    def headers(self) -> list[str]:
        return [
            self.tr("序号"),
            self.tr("单位名称"),
            self.tr("统一社会信用代码"),
            self.tr("所属行业"),
            self.tr("地址"),
            self.tr("联系人及电话"),
            self.tr("上年底职工数量"),
            self.tr("目前职工数量"),
            self.tr("体检日期"),
            self.tr("体检人员"),
            self.tr("存在问题"),
            self.tr("法律依据"),
            self.tr("整改事项"),
            self.tr("整改时限"),
            self.tr("整改负责人"),
            self.tr("整改情况"),
            self.tr("风险等级"),
        ]

    def set_rows(self, rows: list[LedgerRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 17

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == DEADLINE:
                return row.deadline.isoformat() + (self.tr("（预计）") if row.deadline_estimated else "")
            if column == PROGRESS:
                return labels.item_progress(
                    row.item_status,
                    deadline=row.deadline,
                    today=self.today,
                    submitted_at=row.submitted_at,
                    verified_on=row.verified_on,
                    verified_by=row.verified_by,
                )
            if column == GRADE:
                return labels.grade(row.risk_grade) if row.risk_grade else ""
            value = row.cells()[column]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.state == "overdue":
                return QBrush(QColor(253, 226, 226))
            if row.state == "verified":
                return QBrush(QColor(222, 242, 222))
        return None


class LedgerPage(QWidget):
    """工作台账: filter by campaign, district and status; export exactly the rows shown."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_error = ""
        self._dirty = True
        self._export_task: Task | None = None
        self.last_export: Path | None = None
        self.model = LedgerModel(self)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.campaign_label, self.district_label, self.status_label = QLabel(), QLabel(), QLabel()
        self.campaign = QComboBox()
        self.campaign.setMinimumContentsLength(24)
        self.campaign.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.district = QComboBox()
        self.status = QComboBox()
        for combo in (self.campaign, self.district, self.status):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.export_button = QPushButton()
        self.export_button.setObjectName("primaryButton")
        self.export_button.clicked.connect(self._ask_export)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_export)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.count_label = QLabel()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for visual, logical in enumerate(SHOWN_FIRST):
            header.moveSection(header.visualIndex(logical), visual)

        filters = QHBoxLayout()
        for label, combo in (
            (self.campaign_label, self.campaign),
            (self.district_label, self.district),
            (self.status_label, self.status),
        ):
            filters.addWidget(label)
            filters.addWidget(combo, 2 if combo is self.campaign else 1)
        filters.addStretch(0)
        filters.addWidget(self.export_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._choices = FilterChoices([], [])
        self._loading = False
        self._retranslate()
        ctx.events.changed.connect(self._on_changes)

    # --- texts --------------------------------------------------------------------------------------------------

    def status_names(self) -> dict[LedgerStatus, str]:
        return {
            "open": self.tr("未整改（未到期）"),
            "submitted": self.tr("已提交整改材料"),
            "overdue": self.tr("已逾期"),
            "verified": self.tr("已复查销号"),
        }

    def _retranslate(self) -> None:
        self.title.setText(self.tr("劳动用工法治“体检”服务工作台账"))
        self.campaign_label.setText(self.tr("专项行动"))
        self.district_label.setText(self.tr("区县"))
        self.status_label.setText(self.tr("整改状态"))
        self.export_button.setText(self.tr("导出台账…"))
        self.cancel_button.setText(self.tr("取消导出"))
        self._fill_combos()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 16)
        if self.model.rows:  # the progress, deadline and grade cells are worded in the interface language
            last = self.model.index(len(self.model.rows) - 1, 16)
            self.model.dataChanged.emit(self.model.index(0, 0), last)
        self._fit_columns()
        self._update_count()

    def _fit_columns(self) -> None:
        """Each column at least as wide as its header in the current language, so no heading is clipped."""
        metrics = self.table.horizontalHeader().fontMetrics()
        for column, (width, header) in enumerate(zip(COLUMN_WIDTHS, self.model.headers(), strict=True)):
            self.table.setColumnWidth(column, max(width, metrics.horizontalAdvance(header) + 24))

    def _warn(self, title: str, text: str) -> None:
        """Show a warning without blocking the event loop (workers keep reporting back; tests keep running)."""
        self.last_error = text
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _fill_combos(self) -> None:
        self._loading = True
        try:
            for combo, everything, entries in (
                (self.campaign, self.tr("全部专项行动"), self._choices.campaigns),
                (self.district, self.tr("全部区县"), [(d, d) for d in self._choices.districts]),
                (self.status, self.tr("全部状态"), [(s, self.status_names()[s]) for s in LEDGER_STATUSES]),
            ):
                current = combo.currentData()
                combo.clear()
                combo.addItem(everything, None)
                for key, text in entries:
                    combo.addItem(text, key)
                found = combo.findData(current)
                combo.setCurrentIndex(found if found >= 0 else 0)
        finally:
            self._loading = False

    def _update_count(self) -> None:
        totals = ledger_totals(self.model.rows)
        items = totals.items
        self.count_label.setText(
            self.tr(
                "共 {count} 条整改事项，涉及 {enterprises} 家企业；已复查销号 {verified} 条，"
                "企业已报送整改材料待复查 {awaiting} 条，超过整改期限仍未销号 {overdue} 条"
            ).format(
                count=items.total,
                enterprises=totals.enterprises,
                verified=items.verified,
                awaiting=items.awaiting_verification,
                overdue=items.overdue,
            )
        )

    # --- filters and loading ------------------------------------------------------------------------------------

    def current_filter(self) -> LedgerFilter:
        return LedgerFilter(
            campaign_id=self.campaign.currentData(),
            district=self.district.currentData(),
            status=self.status.currentData(),
        )

    def set_filter(self, chosen: LedgerFilter) -> None:
        """Choose filters programmatically (tests, links from other pages) and reload."""
        self._loading = True
        for combo, value in ((self.campaign, chosen.campaign_id), (self.district, chosen.district)):
            index = combo.findData(value)
            combo.setCurrentIndex(index if index >= 0 else 0)
        index = self.status.findData(chosen.status)
        self.status.setCurrentIndex(index if index >= 0 else 0)
        self._loading = False
        self._load_rows()

    def refresh(self) -> None:
        """Reload the filter choices, then the rows for the current filters."""
        self._dirty = False

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> FilterChoices:
            return filter_choices(ws)

        self.ctx.tasks.run(work, name="ledger: filters", on_finished=self._choices_loaded, owner=self)

    def _choices_loaded(self, choices: FilterChoices) -> None:
        self._choices = choices
        self._fill_combos()
        self._load_rows()

    def _filters_changed(self) -> None:
        if not self._loading:
            self._load_rows()

    def _load_rows(self) -> None:
        chosen = self.current_filter()
        today = self.ctx.today()

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> list[LedgerRow]:
            return load_ledger(ws, today, chosen)

        self.ctx.tasks.run(work, name="ledger: rows", on_finished=self._rows_loaded, owner=self)

    def _rows_loaded(self, rows: list[LedgerRow]) -> None:
        self.model.today = self.ctx.today()
        self.model.set_rows(rows)
        self._update_count()

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def _on_changes(self, changes: OpChanges, _initiator: object) -> None:
        if changes.items or changes.audits or changes.enterprises or changes.campaigns or changes.sync:
            self._dirty = True
            if self.isVisible():
                self.refresh()

    # --- export -------------------------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        xlsx, csv = self.tr("Excel 工作簿 (*.xlsx)"), self.tr("CSV 文件 (*.csv)")
        default = self.ctx.workspace.paths.exports / f"工作台账-{self.ctx.today().isoformat()}.xlsx"
        name, chosen = QFileDialog.getSaveFileName(self, self.tr("导出工作台账"), str(default), f"{xlsx};;{csv}")
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".csv" if chosen == csv else ".xlsx")
        self.export_to(path)

    def export_to(self, path: Path) -> Task:
        """Write the ledger with the current filters to ``path`` on a worker, with progress and cancel."""
        chosen = self.current_filter()
        today = self.ctx.today()
        total = max(len(self.model.rows), 1)

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> Path:
            def until_cancelled(rows: Iterator[LedgerRow]) -> Iterator[LedgerRow]:
                for row in rows:
                    if cancel.is_set():
                        return
                    yield row

            # Stopping the rows (rather than raising inside openpyxl's write-only writer, whose half-closed row
            # generator then fails at garbage collection) gives a short file under a private name, thrown away.
            partial = path.with_name(f".{path.stem}.partial{path.suffix}")
            try:
                with ws.db.session() as session:
                    rows = ledger_rows(
                        session,
                        today=today,
                        campaign_id=chosen.campaign_id,
                        district=chosen.district,
                        status=chosen.status,
                    )
                    write_ledger(until_cancelled(rows), partial, on_progress=lambda done: progress(done, total))
                if cancel.is_set():
                    raise ExportCancelled
                os.replace(partial, path)
            finally:
                partial.unlink(missing_ok=True)
            return path

        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.export_button.setEnabled(False)
        task = self.ctx.tasks.run(
            work,
            name="ledger: export",
            on_finished=self._exported,
            on_failed=self._export_failed,
            on_progress=self._export_progress,
            owner=self,
        )
        task.cancelled.connect(self._export_cancelled)
        self._export_task = task
        return task

    def cancel_export(self) -> None:
        if self._export_task is not None:
            self._export_task.cancel()

    def _export_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, done))
        self.progress.setValue(done)

    def _export_done(self) -> None:
        self._export_task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(True)

    def _exported(self, path: Path) -> None:
        self._export_done()
        self.last_export = path
        self.count_label.setText(self.tr("台账已导出：{path}").format(path=str(path)))

    def _export_cancelled(self) -> None:
        self._export_done()
        self.count_label.setText(self.tr("已取消导出"))

    def _export_failed(self, error: BaseException) -> None:
        self._export_done()
        self._warn(self.tr("导出工作台账"), error_message(error, self.ctx.workspace.paths.logs))
