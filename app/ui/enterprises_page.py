"""企业: the enterprise list with search-as-you-type and filters, the coordinator's starting point.

Typing restarts a short debounce timer; when it fires the model searches on a worker thread, so typing never
stutters even at 100 000 enterprises. Enter or a double click opens the enterprise; the buttons add an enterprise
or start a visit for the selected one.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.audit.enterprise_search import EnterpriseFilters
from app.services.changes import OpChanges
from app.services.lookups import industries
from app.ui.context import UiContext
from app.ui.enterprise_model import EnterpriseTableModel
from app.ui.i18n import grade_text
from app.ui.tasks import ProgressFn

DEBOUNCE_MS = 180


class EnterprisesPage(QWidget):
    enterprise_activated = Signal(str)
    new_visit_requested = Signal(str)
    add_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = EnterpriseTableModel(ctx, self)

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(36)
        self.grade = QComboBox()
        for grade in (None, "高", "中", "低"):
            self.grade.addItem("", grade)
        self.industry = QComboBox()
        self.industry.addItem("", None)
        self.industry.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.industry.setMinimumContentsLength(10)
        self.open_items = QCheckBox()
        self.overdue = QCheckBox()
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 190), (2, 150), (3, 110), (4, 80), (5, 80)):
            header.resizeSection(column, width)
        self.table.setTabKeyNavigation(False)

        self.add_button = QPushButton()
        self.visit_button = QPushButton()
        self.open_button = QPushButton()
        for button in (self.add_button, self.visit_button, self.open_button):
            button.setMinimumHeight(36)

        filters = QHBoxLayout()
        filters.addWidget(self.grade)
        filters.addWidget(self.industry)
        filters.addWidget(self.open_items)
        filters.addWidget(self.overdue)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.visit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for first, second in (
            (self.search, self.grade),
            (self.grade, self.industry),
            (self.industry, self.open_items),
            (self.open_items, self.overdue),
            (self.overdue, self.table),
            (self.table, self.add_button),
            (self.add_button, self.open_button),
            (self.open_button, self.visit_button),
        ):
            QWidget.setTabOrder(first, second)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply)
        self.search.textChanged.connect(self._debounce.start)
        self.search.textEdited.connect(lambda _text: setattr(self, "_open_single_hit", False))
        self.search.returnPressed.connect(self._focus_results)
        self.grade.currentIndexChanged.connect(self.apply)
        self.industry.currentIndexChanged.connect(self.apply)
        self.open_items.toggled.connect(self.apply)
        self.overdue.toggled.connect(self.apply)
        self.table.activated.connect(self._activated)
        self.model.rows_loaded.connect(self._update_count)
        self._open_single_hit = False
        self.model.rows_loaded.connect(self._loaded_for_enter)
        self.model.total_changed.connect(self._update_count)
        self.model.modelReset.connect(self._select_first)
        self.add_button.clicked.connect(self.add_requested)
        self.visit_button.clicked.connect(self._visit_selected)
        self.open_button.clicked.connect(self._open_selected)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)
        ctx.events.changed.connect(self._on_changes)
        self._industries_loaded = False
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the interface language (again on each language change)."""
        self.search.setPlaceholderText(self.tr("搜索：单位名称、统一社会信用代码或拼音首字母（如 hdjx）"))
        self.grade.setItemText(0, self.tr("全部风险等级"))
        for index in range(1, self.grade.count()):
            self.grade.setItemText(index, self.tr("风险：{grade}").format(grade=grade_text(self.grade.itemData(index))))
        self.industry.setItemText(0, self.tr("全部行业"))
        self.open_items.setText(self.tr("有未整改事项"))
        self.overdue.setText(self.tr("有逾期事项"))
        self.add_button.setText(self.tr("新增企业…"))
        self.visit_button.setText(self.tr("为所选企业新建体检…"))
        self.open_button.setText(self.tr("查看企业"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
        self._update_count(0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------------------------ actions

    def filters(self) -> EnterpriseFilters:
        return EnterpriseFilters(
            risk_grade=self.grade.currentData(),
            industry=self.industry.currentData(),
            has_open_items=True if self.open_items.isChecked() else None,
            overdue_as_of=self.ctx.today() if self.overdue.isChecked() else None,
        )

    def apply(self) -> None:
        """Run the search now (the debounce timer calls this; tests may call it directly)."""
        self._debounce.stop()
        self.count_label.setText(self.tr("正在搜索…"))
        self.model.set_query(self.search.text().strip(), self.filters())

    def refresh(self) -> None:
        self._load_industries()
        self.apply()

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row()).id

    def _visit_selected(self) -> None:
        enterprise_id = self.selected_id()
        if enterprise_id is not None:
            self.new_visit_requested.emit(enterprise_id)

    def _open_selected(self) -> None:
        enterprise_id = self.selected_id()
        if enterprise_id is not None:
            self.enterprise_activated.emit(enterprise_id)

    def _activated(self, index: QModelIndex) -> None:
        self.enterprise_activated.emit(self.model.row_at(index.row()).id)

    def _focus_results(self) -> None:
        """Enter in the search box: search now; a single hit opens at once, several get the focus."""
        self._open_single_hit = True
        self.apply()
        self.table.setFocus()

    def _loaded_for_enter(self, _count: int) -> None:
        if not self._open_single_hit or self.model.loading:
            return
        self._open_single_hit = False
        if self.model.rowCount() == 1 and not self.model.canFetchMore(QModelIndex()):
            self.enterprise_activated.emit(self.model.row_at(0).id)

    def _select_first(self) -> None:
        if self.model.rowCount() > 0:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _update_count(self, _value: int) -> None:
        shown = self.model.rowCount()
        if self.model.total >= 0:
            self.count_label.setText(
                self.tr("共 {total} 家，已显示 {shown} 家").format(total=self.model.total, shown=shown)
            )
        else:
            self.count_label.setText(self.tr("已显示 {shown} 家").format(shown=shown))

    def _on_changes(self, changes: OpChanges, _initiator: object) -> None:
        if changes.enterprises or changes.audits or changes.items or changes.sync:
            if changes.enterprises or changes.sync:
                self._industries_loaded = False
            if self.isVisible():
                self.refresh()

    def _load_industries(self) -> None:
        if self._industries_loaded:
            return
        self._industries_loaded = True
        ctx = self.ctx

        def load(cancel: threading.Event, _progress: ProgressFn) -> list[str]:
            with ctx.session() as session:
                return industries(session)

        self.ctx.tasks.run(load, name="industries", on_finished=self._set_industries, owner=self)

    def _set_industries(self, names: list[str]) -> None:
        current = self.industry.currentData()
        self.industry.blockSignals(True)
        self.industry.clear()
        self.industry.addItem(self.tr("全部行业"), None)
        for name in names:
            self.industry.addItem(name, name)
        index = self.industry.findData(current)
        self.industry.setCurrentIndex(max(0, index))
        self.industry.blockSignals(False)
