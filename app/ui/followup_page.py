"""Follow-up (复查): every rectification item not yet verified, across enterprises, overdue first.

The coordinator ticks the items checked on a follow-up visit (or from documents the enterprise sent), writes what
was seen, and gives the evidence — a photo, or the name and number of the document seen (at least one; the
service refuses a verification without) — and verifies them. Verification goes through
:func:`app.services.rectification.verify`, one follow-up per enterprise, all in one transaction, on a worker;
the enterprise's risk grade is recomputed by that service and the page says what it became.

The note and the document reference are kept as they are typed (a draft of the form, committed within a second
and when focus leaves them), so leaving the page or closing the laptop loses none of it; verifying takes them.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.audit.rectification import FOLLOW_UP_METHODS
from app.services import drafts, rectification
from app.services.changes import OpChanges, OpResult
from app.services.rectification import FollowUpResult, FollowUpRow
from app.ui import labels
from app.ui.autosave import Autosave
from app.ui.context import UiContext
from app.ui.tasks import ProgressFn, error_message

DUE_SOON_DAYS = 7
ModelIndex = QModelIndex | QPersistentModelIndex


class FollowUpModel(QAbstractTableModel):
    """Open items with a check box in the first column; overdue rows tinted red, rows due soon amber."""

    COLUMNS = 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[FollowUpRow] = []
        self.checked: set[str] = set()

    def set_rows(self, rows: list[FollowUpRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        present = {row.item_id for row in rows}
        self.checked &= present
        self.endResetModel()

    def headers(self) -> list[str]:
        return [
            self.tr("核验"),
            self.tr("企业"),
            self.tr("严重程度"),
            self.tr("存在问题"),
            self.tr("整改时限"),
            self.tr("整改情况"),
            self.tr("整改事项"),
            self.tr("整改负责人"),
        ]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if row.item_id in self.checked else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            deadline = row.deadline.isoformat() + (self.tr("（预计）") if row.deadline_estimated else "")
            progress = self._progress(row)
            if not row.overdue_days and row.due_in_days <= DUE_SOON_DAYS:
                progress = self._due(row, progress)
            severity = labels.severity(row.severity)
            problem = labels.statement(row.problem, row.problem_en)
            values = ["", row.enterprise_name, severity, problem, deadline, progress, row.requirement]
            return [*values, row.responsible][column]
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.overdue_days > 0:
                return QBrush(QColor(253, 226, 226))
            if row.due_in_days <= DUE_SOON_DAYS:
                return QBrush(QColor(255, 243, 205))
        return None

    def _progress(self, row: FollowUpRow) -> str:
        today = row.deadline - dt.timedelta(days=row.due_in_days)  # the day the rows were loaded for
        return labels.item_progress(row.status, deadline=row.deadline, today=today, submitted_at=row.submitted_at)

    def _due(self, row: FollowUpRow, progress: str) -> str:
        return self.tr("{progress}，{days}天后到期").format(progress=progress, days=row.due_in_days)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        item_id = self.rows[index.row()].item_id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(item_id)
        else:
            self.checked.discard(item_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_checked(self, row: int, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.setData(self.index(row, 0), state.value, Qt.ItemDataRole.CheckStateRole)

    def checked_rows(self) -> list[FollowUpRow]:
        return [row for row in self.rows if row.item_id in self.checked]


class FollowUpPage(QWidget):
    """复查: pick open items, note what was verified, record the follow-up; the enterprises' grades update."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_error = ""
        self._dirty = True
        self._photo: Path | None = None
        self.model = FollowUpModel(self)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.scope = QComboBox()
        self.scope.currentIndexChanged.connect(self._apply_scope)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_scope)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._widths = (44, 150, 60, 230, 96, 150, 230, 120)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._toggle_row)

        self.verify_box = QGroupBox()
        self.visit_date = QDateEdit()
        self.visit_date.setCalendarPopup(True)
        self.visit_date.setDisplayFormat("yyyy-MM-dd")
        self.method = QComboBox()
        self.note = QLineEdit()
        self.note.setObjectName("followUpNote")
        self.document_ref = QLineEdit()
        self.document_ref.setObjectName("documentReference")
        self.autosave = Autosave(self._save_draft, self)
        self.autosave.watch(self.note, self.document_ref)
        self.photo_label = QLabel()
        self.photo_label.setWordWrap(True)
        self.photo_button = QPushButton()
        self.photo_button.clicked.connect(self._choose_photo)
        self.photo_clear = QPushButton()
        self.photo_clear.clicked.connect(self._clear_photo)
        self.verify_button = QPushButton()
        self.verify_button.setObjectName("primaryButton")
        self.verify_button.setMinimumHeight(40)
        self.verify_button.clicked.connect(self.verify_checked)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(5)]
        self.form.addRow(self.form_labels[0], self.visit_date)
        self.form.addRow(self.form_labels[1], self.method)
        self.form.addRow(self.form_labels[2], self.note)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo_button)
        photo_row.addWidget(self.photo_clear)
        self.form.addRow(self.form_labels[3], photo_row)
        self.form.addRow("", self.photo_label)
        self.form.addRow(self.form_labels[4], self.document_ref)
        self.document_hint = QLabel()
        self.document_hint.setWordWrap(True)
        self.document_hint.setStyleSheet("color: #616161;")
        self.form.addRow("", self.document_hint)
        box_layout = QVBoxLayout(self.verify_box)
        box_layout.addLayout(self.form)
        box_layout.addWidget(self.verify_button)
        box_layout.addWidget(self.status)
        box_layout.addStretch(1)

        filters = QHBoxLayout()
        filters.addWidget(self.scope)
        filters.addWidget(self.search, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.summary)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.verify_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([880, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)

        self._retranslate()
        self._set_today()
        self._load_draft()
        ctx.events.changed.connect(self._on_changes)

    # --- texts --------------------------------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.title.setText(self.tr("复查销号"))
        scope = self.scope.currentIndex()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItems([self.tr("全部未销号事项"), self.tr("已逾期"), self.tr("7天内到期")])
        self.scope.setCurrentIndex(max(scope, 0))
        self.scope.blockSignals(False)
        self.search.setPlaceholderText(self.tr("按企业名称筛选"))
        self.verify_box.setTitle(self.tr("核验所选事项"))
        labels = [
            self.tr("复查日期"),
            self.tr("复查方式"),
            self.tr("核验说明"),
            self.tr("证据照片"),
            self.tr("查阅文件"),
        ]
        for label, text in zip(self.form_labels, labels, strict=True):
            label.setText(text)
        method = self.method.currentIndex()
        self.method.clear()
        names = {"on_site": self.tr("现场复查"), "documents": self.tr("书面材料审核")}
        for key in FOLLOW_UP_METHODS:
            self.method.addItem(names[key], key)
        self.method.setCurrentIndex(max(method, 0))
        self.note.setPlaceholderText(self.tr("如：已补签劳动合同，现场核实"))
        self.document_ref.setPlaceholderText(self.tr("文件名称及编号"))
        self.document_hint.setText(self.tr("无照片时必填，如“2026年11月工资发放银行流水”"))
        self.document_ref.setToolTip(self.tr("销号须有证据：证据照片或所查阅文件，至少一项"))
        self.photo_button.setText(self.tr("选择照片…"))
        self.photo_clear.setText(self.tr("移除"))
        self._show_photo()
        self.verify_button.setText(self.tr("核验通过，销号"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, FollowUpModel.COLUMNS - 1)
        metrics = self.table.horizontalHeader().fontMetrics()  # no heading clipped, in either language
        for column, (width, header) in enumerate(zip(self._widths, self.model.headers(), strict=True)):
            self.table.setColumnWidth(column, max(width, metrics.horizontalAdvance(header) + 16))
        self._update_summary()

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

    def _show_photo(self) -> None:
        self.photo_label.setText(self._photo.name if self._photo else self.tr("未选择（照片或查阅文件至少填一项）"))
        self.photo_clear.setEnabled(self._photo is not None)

    def _update_summary(self) -> None:
        rows = self.model.rows
        overdue = sum(1 for row in rows if row.overdue_days > 0)
        soon = sum(1 for row in rows if row.overdue_days == 0 and row.due_in_days <= DUE_SOON_DAYS)
        self.summary.setText(
            self.tr("未销号 {total} 项，其中已逾期 {overdue} 项，7天内到期 {soon} 项；已勾选 {checked} 项").format(
                total=len(rows), overdue=overdue, soon=soon, checked=len(self.model.checked)
            )
        )

    def _update_buttons(self) -> None:
        self.verify_button.setEnabled(bool(self.model.checked))
        self._update_summary()

    # --- loading ------------------------------------------------------------------------------------------------

    def _set_today(self) -> None:
        today = self.ctx.today()
        self.visit_date.setDate(QDate(today.year, today.month, today.day))
        self.visit_date.setMaximumDate(QDate(today.year, today.month, today.day))

    def refresh(self) -> None:
        """Reload the open items on a worker; the table updates when they arrive."""
        self._dirty = False
        today = self.ctx.today()

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> list[FollowUpRow]:
            return rectification.follow_up_rows(ws, today)

        self.ctx.tasks.run(work, name="follow-up: load", on_finished=self._loaded, owner=self)

    def _loaded(self, rows: list[FollowUpRow]) -> None:
        self._all_rows = rows
        self._apply_scope()

    def _apply_scope(self) -> None:
        rows: list[FollowUpRow] = getattr(self, "_all_rows", [])
        scope = self.scope.currentIndex()
        if scope == 1:
            rows = [row for row in rows if row.overdue_days > 0]
        elif scope == 2:
            rows = [row for row in rows if row.overdue_days == 0 and row.due_in_days <= DUE_SOON_DAYS]
        text = self.search.text().strip()
        if text:
            rows = [row for row in rows if text in row.enterprise_name]
        self.model.set_rows(rows)
        self.table.resizeRowsToContents()

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def _on_changes(self, changes: OpChanges, _initiator: object) -> None:
        if changes.items or changes.audits or changes.enterprises or changes.sync:
            self._dirty = True
            if self.isVisible():
                self.refresh()

    # --- actions ------------------------------------------------------------------------------------------------

    def _load_draft(self) -> None:
        draft = drafts.load_draft(self.ctx.workspace, drafts.FOLLOW_UP, "")
        with self.autosave.loading():
            self.note.setText(str(draft.get("note", "")))
            self.document_ref.setText(str(draft.get("document_reference", "")))

    def _save_draft(self) -> bool:
        """The autosave's commit: the form's text as typed, until a verification takes it."""
        fields = {"note": self.note.text(), "document_reference": self.document_ref.text()}
        try:
            drafts.save_draft(self.ctx.workspace, drafts.FOLLOW_UP, "", {k: v for k, v in fields.items() if v})
        except Exception as error:
            self.status.setText(error_message(error, self.ctx.workspace.paths.logs))
            return False
        return True

    def flush_edits(self, *, ask: bool = True) -> bool:
        return self.autosave.flush()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush_edits()
        super().hideEvent(event)

    def _toggle_row(self, index: QModelIndex) -> None:
        if index.column() != 0:
            row = self.model.rows[index.row()]
            self.model.set_checked(index.row(), row.item_id not in self.model.checked)

    def _choose_photo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择复查证据照片"), "", self.tr("图片 (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)")
        )
        if name:
            self.set_photo(Path(name))

    def set_photo(self, path: Path | None) -> None:
        self._photo = path
        self._show_photo()

    def _clear_photo(self) -> None:
        self.set_photo(None)

    def verify_checked(self) -> None:
        """Verify the ticked items: one follow-up per enterprise, committed together, on a worker."""
        rows = self.model.checked_rows()
        if not rows:
            return
        coordinator = self.ctx.coordinator()
        if coordinator is None:
            self._warn(self.tr("复查销号"), self.tr("尚未设置协调员信息，请先在“设置”中填写。"))
            return
        coordinator_id = coordinator.id
        visit_date: dt.date = self.visit_date.date().toPython()  # type: ignore[assignment]
        method = str(self.method.currentData())
        note = self.note.text().strip()
        document_reference = self.document_ref.text().strip()
        photo = self._photo
        if not note:
            self._warn(self.tr("复查销号"), self.tr("请填写核验说明：核实了什么、结果如何。"))
            return
        if photo is None and not document_reference:
            self._warn(
                self.tr("复查销号"),
                self.tr("销号必须有证据：请选择证据照片，或填写所查阅文件的名称和编号。"),
            )
            return
        today = self.ctx.today()
        self.verify_button.setEnabled(False)
        self.status.setText(self.tr("正在保存…"))

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        item_ids = [row.item_id for row in rows]

        def work(cancel: threading.Event, progress: ProgressFn) -> OpResult[FollowUpResult]:
            return rectification.verify(
                ws,
                item_ids,
                coordinator_id=coordinator_id,
                visit_date=visit_date,
                method=method,
                note=note,
                photo=photo,
                today=today,
                document_reference=document_reference,
            )

        self.autosave.flush()
        self.ctx.run_op(work, name="follow-up: verify", on_done=self._verified, on_failed=self._failed, owner=self)

    def _verified(self, result: FollowUpResult) -> None:
        grades = "；".join(
            self.tr("{name}：风险等级 {before} → {after}").format(name=name, before=before or "—", after=after or "—")
            for name, before, after in result.grades.values()
        )
        self.status.setText(
            self.tr("已保存：{count} 项已复查销号。{grades}").format(count=result.verified, grades=grades)
        )
        self.autosave.cancel()
        with self.autosave.loading():
            self.note.clear()
            self.document_ref.clear()
        self.set_photo(None)
        self.model.checked.clear()
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.status.setText("")
        self._update_buttons()
        self._warn(self.tr("复查销号"), error_message(error, self.ctx.workspace.paths.logs))
