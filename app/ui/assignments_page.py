"""待体检: the visits the district office assigned to this coordinator, riskiest first (from the last sync).

The office ranks the district's enterprises by risk and sends coordinators to the riskiest first (its visit
plans, and follow-ups it reassigned); the assignments arrive at sync (``app.sync.assignments``). This page lists
the signed-in coordinator's open ones with the grade and reasons the office saw, and opens the enterprise or
starts its visit from there. Follow-ups of this coordinator's items that the office gave to a colleague are
listed below, for information.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.changes import OpChanges
from app.sync.assignments import moved_away, my_assignments
from app.sync.pull import get_cursor
from app.ui.context import UiContext
from app.ui.i18n import grade_text

USER_CURSOR = "username"
"""Where sync keeps the signed-in user name (``app.sync.service.USER_CURSOR``)."""


@dataclass(frozen=True)
class AssignmentRow:
    enterprise_id: str
    enterprise_name: str
    kind: str
    risk_grade: str
    target_date: str
    reasons: str
    plan_name: str


class AssignmentsPage(QWidget):
    enterprise_activated = Signal(str)
    new_visit_requested = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[AssignmentRow] = []
        self.title = QLabel(self.tr("待体检：区办下发的走访任务，按风险从高到低排列"))
        self.title.setObjectName("pageTitle")
        self.empty = QLabel(self.tr("暂无走访任务。区办安排后，下次同步时会出现在这里。"))
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("风险等级"),
                self.tr("企业"),
                self.tr("类型"),
                self.tr("目标日期"),
                self.tr("原因"),
                self.tr("计划"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.open_button = QPushButton(self.tr("打开企业"))
        self.visit_button = QPushButton(self.tr("开始体检"))
        self.moved = QLabel()
        self.moved.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.visit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.moved)
        self.open_button.clicked.connect(lambda: self._emit(self.enterprise_activated))
        self.visit_button.clicked.connect(lambda: self._emit(self.new_visit_requested))
        self.table.itemDoubleClicked.connect(lambda _item: self._emit(self.enterprise_activated))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        ctx.events.changed.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, changes: OpChanges, _initiator: object) -> None:
        """Assignments arrive at sync; a finished visit takes its enterprise off the list."""
        if changes.sync or changes.audits:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list (a few rows from an indexed table: quick enough to do here)."""
        with self.ctx.session() as session:
            user = get_cursor(session, USER_CURSOR)
            mine = my_assignments(session, user)
            away = moved_away(session, user)
            self.rows = [
                AssignmentRow(
                    enterprise_id=row.enterprise_id,
                    enterprise_name=row.enterprise_name,
                    kind=row.kind,
                    risk_grade=row.risk_grade,
                    target_date=row.target_date.isoformat(),
                    reasons="；".join(str(reason) for reason in row.reasons or []),
                    plan_name=row.plan_name,
                )
                for row in mine
            ]
            moved_text = [f"{row.enterprise_name} → {row.assignee_name or row.assignee}" for row in away]
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            kind = self.tr("复查") if row.kind == "follow_up" else self.tr("体检")
            values = (
                grade_text(row.risk_grade),
                row.enterprise_name,
                kind,
                row.target_date,
                row.reasons,
                row.plan_name,
            )
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))
        self.empty.setVisible(not self.rows)
        self.table.setVisible(bool(self.rows))
        if moved_text:
            self.moved.setText(self.tr("以下复查已由区办改派给同事：") + "、".join(moved_text))
        else:
            self.moved.clear()
        if self.rows and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()

    def _selected(self) -> AssignmentRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _update_buttons(self) -> None:
        chosen = self._selected() is not None
        self.open_button.setEnabled(chosen)
        self.visit_button.setEnabled(chosen)

    def _emit(self, signal: SignalInstance) -> None:
        row = self._selected()
        if row is not None:
            signal.emit(row.enterprise_id)
