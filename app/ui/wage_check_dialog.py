"""工资考勤核查: load an enterprise's payroll and attendance sheets, map their columns, check every worker-month.

Three steps in one dialog: (1) the files and the check's settings (minimum-wage standard as the office
published it, the agreed pay day, the meal break); (2) every sheet's columns with sample values and the field
guessed or remembered for each, which the coordinator corrects, plus a month and pay date for sheets without
such columns (and the month of a grid attendance sheet); (3) the per-row report when something is wrong (nothing
loaded), else what each checklist item will state, what could not be checked, and the evidence table with the
worker-months that could not be judged — saved with the audit, exported to xlsx, a worker excluded with a reason.
Reading and checking run on a worker with a progress bar and cancel; every action calls
:mod:`app.services.wage_evidence`. Every text follows the interface language, switched live.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import wage_evidence
from app.ui.context import UiContext
from app.ui.i18n import current_language
from app.ui.reason_prompt import ask_reason
from app.ui.tasks import ProgressFn, Task, error_message
from app.ui.wage_texts import WageTexts, number_text
from app.wage_evidence.cells import CellError, read_date, read_month
from app.wage_evidence.columns import ATTENDANCE, PAYROLL, Field, fields_for
from app.wage_evidence.evidence import Evidence
from core.statements import ChosenStatement
from core.wage_rules import RULES, Gap, Rule, Violation

ModelIndex = QModelIndex | QPersistentModelIndex
UNCHECKED = "unchecked"
"""The table filter that lists the worker-months that could not be judged instead of the breaches."""


class EvidenceModel(QAbstractTableModel):
    """The evidence table: one row per breach (worker with masked ID number, month, rule, figures), or with the
    "not checked" filter one row per worker-month that could not be judged, with its days and the reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = WageTexts(self)
        self.evidence: Evidence | None = None
        self.rows: list[Violation | Gap] = []
        self.exclusions: dict[str, Any] = {}

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("姓名"),
            self.tr("身份证号/工号"),
            self.tr("月份"),
            self.tr("问题"),
            self.tr("数值"),
            self.tr("法定标准"),
            self.tr("差额或超出"),
            self.tr("说明"),
        )

    def set_evidence(self, evidence: Evidence | None, exclusions: dict[str, Any], rule: str = "") -> None:
        self.beginResetModel()
        self.evidence = evidence
        self.exclusions = exclusions
        if evidence is None:
            self.rows = []
        elif rule == UNCHECKED:
            self.rows = list(evidence.unchecked)
        else:
            self.rows = [v for v in evidence.violations if not rule or v.rule.value == rule]
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def worker_key(self, row: int) -> str | None:
        assert self.evidence is not None
        worker = self.rows[row].worker
        return None if worker is None else self.evidence.workers[worker].key

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.evidence is None:
            return None
        entry = self.rows[index.row()]
        assert entry.worker is not None
        worker = self.evidence.workers[entry.worker]
        excluded = worker.key in self.exclusions
        if role == Qt.ItemDataRole.ForegroundRole and excluded:
            return Qt.GlobalColor.gray
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() != 7:
            return None
        month = f"{entry.month.year}-{entry.month.month:02d}" if entry.month else ""
        name = worker.name + (self.tr("（已排除）") if excluded else "")
        values: tuple[str, ...]
        if isinstance(entry, Gap):
            values = (
                name,
                worker.id_masked or worker.employee_no,
                month,
                self.tr("未核查：%1").replace("%1", self.texts.rule(entry.rule)),
                self.tr("出勤%1天").replace("%1", number_text(entry.figure or 0)),
                self.tr("工作日%1天").replace("%1", number_text(entry.limit or 0)),
                "",
                self.texts.reason(entry.reason),
            )
        else:
            late = self.tr("，迟延%1天").replace("%1", str(entry.days_late)) if entry.days_late else ""
            limit = "—" if entry.rule in (Rule.NO_REST_DAY, Rule.NOT_ON_PAYROLL) else f"{entry.limit:,}"
            values = (
                name,
                worker.id_masked or worker.employee_no,
                month,
                self.texts.rule(entry.rule),
                f"{entry.figure:,}",
                entry.due.isoformat() if entry.due else limit,
                self.texts.amount(entry.rule, entry.shortfall) + late,
                self.texts.detail(entry),
            )
        return values[index.column()]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 7)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 7))


class WageCheckDialog(QDialog):
    """The three steps of a wage check for one audit."""

    def __init__(self, ctx: UiContext, audit_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.audit_id = ctx, audit_id
        self.setObjectName("wageCheckDialog")
        self.texts = WageTexts(self)
        self.resize(1180, 700)
        self.task: Task | None = None
        self.prep: wage_evidence.Preparation | None = None
        self.outcome: wage_evidence.Outcome | None = None
        self.check_id: str | None = None
        self.figures: dict[str, Any] = {}
        self.status_text: Callable[[], str] = str
        self.paths: dict[str, list[Path]] = {PAYROLL: [], ATTENDANCE: []}

        self.pages = QStackedWidget()
        self.pages.addWidget(self._files_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._results_page())
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("wageStatus")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_button)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)
        self._retranslate()
        self._load_saved()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Every text of the dialog in the interface language (on start and when the language changes)."""
        self.setWindowTitle(self.tr("工资考勤核查"))
        self.cancel_button.setText(self.tr("取消"))
        self.close_button.setText(self.tr("关闭"))
        # step 1
        self.add_payroll.setText(self.tr("添加工资表…"))
        self.add_attendance.setText(self.tr("添加考勤表…"))
        self.clear_button.setText(self.tr("清空"))
        self.pay_day.setSpecialValueText(self.tr("未约定（不核查发放日期）"))
        self.pay_day.setMinimumWidth(self.pay_day.fontMetrics().horizontalAdvance(self.pay_day.specialValueText()) + 48)
        self.pay_offset.setItemText(0, self.tr("次月"))
        self.pay_offset.setItemText(1, self.tr("当月"))
        self.break_minutes.setSuffix(self.tr(" 分钟"))
        self.read_button.setText(self.tr("读取表格"))
        self.pay_label.setText(self.tr("日发放上月（或当月）工资"))
        for label, text in zip(
            self.files_labels,
            (
                self.tr("工资表（xlsx、xls、ods、csv）"),
                self.tr("考勤表或打卡记录（可选）"),
                self.tr("适用的最低工资标准"),
                self.tr("约定的工资支付日"),
                self.tr("每日用餐休息（按打卡计算工时时扣除）"),
            ),
            strict=True,
        ):
            label.setText(text)
        if self.standard.count():
            self.standard.setItemText(0, self.tr("不核查最低工资（未选择标准）"))
        # step 2
        self.columns.setHorizontalHeaderLabels([self.tr("列名"), self.tr("示例"), self.tr("对应为")])
        self.sheet_month.setPlaceholderText(self.tr("如 2026-09（表中无月份列时填写）"))
        self.sheet_pay_date.setPlaceholderText(self.tr("如 2026-10-15（表中无发放日期列时填写）"))
        self.back_to_files.setText(self.tr("← 返回"))
        self.run_button.setText(self.tr("开始核查"))
        for label, text in zip(
            self.mapping_labels, (self.tr("工作表"), self.tr("所属月份"), self.tr("发放日期")), strict=True
        ):
            label.setText(text)
        if self.prep is not None:
            self._fill_sheet_box()
            self._show_sheet(self.sheet_box.currentIndex())
            self._show_unreadable()
        # step 3
        self.back_to_mapping.setText(self.tr("← 修改列对应"))
        self.save_button.setText(self.tr("保存为本次体检证据"))
        self.exclude_button.setText(self.tr("排除/恢复所选劳动者…"))
        self.export_button.setText(self.tr("导出 Excel…"))
        self.new_button.setText(self.tr("重新读取表格…"))
        self.rule_filter.setItemText(0, self.tr("全部问题"))
        for index, rule in enumerate(RULES, start=1):
            self.rule_filter.setItemText(index, self.texts.rule(rule))
        self.rule_filter.setItemText(len(RULES) + 1, self.tr("未核查的劳动者月份"))
        self.model.retranslate()
        if self.figures:
            self.summary.setPlainText(self._summary_text())
        elif self.outcome is not None and not self.outcome.ok:
            self.summary.setPlainText(self._problems_text(len(self.outcome.loaded.report_lines())))
        self._fit_summary()
        self.status.setText(self.status_text())

    def _say(self, text: Callable[[], str]) -> None:
        """Show a status message (``text`` is called again when the language changes)."""
        self.status_text = text
        self.status.setText(text())

    # --- step 1: files and settings -----------------------------------------------------------------------

    def _files_page(self) -> QWidget:
        page = QWidget()
        self.payroll_list = QListWidget()
        self.attendance_list = QListWidget()
        self.add_payroll = QPushButton()
        self.add_attendance = QPushButton()
        self.clear_button = QPushButton()
        self.add_payroll.clicked.connect(lambda: self.choose_files(PAYROLL))
        self.add_attendance.clicked.connect(lambda: self.choose_files(ATTENDANCE))
        self.clear_button.clicked.connect(self.clear_files)
        self.standard = QComboBox()
        self.standard.setObjectName("minimumWageStandard")
        self.pay_day = QSpinBox()
        self.pay_day.setRange(0, 31)
        self.pay_offset = QComboBox()
        self.pay_offset.addItem("", 1)
        self.pay_offset.addItem("", 0)
        self.break_minutes = QSpinBox()
        self.break_minutes.setRange(0, 240)
        self.break_minutes.setValue(60)
        self.read_button = QPushButton()
        self.read_button.setObjectName("primaryButton")
        self.read_button.clicked.connect(self.read_files)
        self.files_labels = [QLabel() for _ in range(5)]
        form = QFormLayout()
        form.addRow(self.files_labels[0], self.payroll_list)
        form.addRow(self.files_labels[1], self.attendance_list)
        buttons = QHBoxLayout()
        for button in (self.add_payroll, self.add_attendance, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        form.addRow(self.files_labels[2], self.standard)
        pay = QHBoxLayout()
        self.pay_label = QLabel()
        pay.addWidget(self.pay_offset)
        pay.addWidget(self.pay_day)
        pay.addWidget(self.pay_label)
        pay.addStretch(1)
        form.addRow(self.files_labels[3], pay)
        form.addRow(self.files_labels[4], self.break_minutes)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.read_button)
        return page

    def choose_files(self, kind: str) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择表格文件"), "", self.tr("表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt)")
        )
        self.add_files(kind, [Path(path) for path in paths])

    def add_files(self, kind: str, paths: list[Path]) -> None:
        self.paths[kind].extend(paths)
        target = self.payroll_list if kind == PAYROLL else self.attendance_list
        for path in paths:
            target.addItem(path.name)

    def clear_files(self) -> None:
        self.paths = {PAYROLL: [], ATTENDANCE: []}
        self.payroll_list.clear()
        self.attendance_list.clear()

    def read_files(self) -> Task | None:
        ws, audit_id, paths = self.ctx.workspace, self.audit_id, self.paths

        def work(cancel: threading.Event, progress: ProgressFn) -> wage_evidence.Preparation:
            return wage_evidence.prepare(ws, audit_id, list(paths[PAYROLL]), list(paths[ATTENDANCE]))

        return self._start(work, self._prepared, lambda: self.tr("正在读取表格…"))

    def _prepared(self, prep: object) -> None:
        assert isinstance(prep, wage_evidence.Preparation)
        self.prep = prep
        self.standard.clear()
        self.standard.addItem(self.tr("不核查最低工资（未选择标准）"), None)
        for region, table in sorted(prep.tables.items()):
            for grade in table.grades:
                self.standard.addItem(f"{region} · {grade}", f"{region}\t{grade}")
        if prep.suggested_standard is not None:
            self.standard.setCurrentIndex(max(0, self.standard.findData("\t".join(prep.suggested_standard))))
        if not prep.tables:
            self._say(lambda: self.tr("本机没有区办发布的最低工资标准（同步后可用），最低工资将不作核查。"))
        profile = prep.profile
        if profile.get("pay_day"):
            self.pay_day.setValue(int(profile["pay_day"]))
            self.pay_offset.setCurrentIndex(self.pay_offset.findData(int(profile.get("pay_month_offset", 1))))
        if profile.get("break_minutes") is not None:
            self.break_minutes.setValue(int(profile["break_minutes"]))
        self._fill_sheet_box()
        self._show_unreadable()
        self.pages.setCurrentIndex(1)
        self._show_sheet(0)

    # --- step 2: columns --------------------------------------------------------------------------------------

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.sheet_box = QComboBox()
        self.sheet_box.currentIndexChanged.connect(self._show_sheet)
        self.columns = QTableWidget(0, 3)
        self.columns.setObjectName("columnMapping")
        self.columns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.sheet_month = QLineEdit()
        self.sheet_pay_date = QLineEdit()
        self.unreadable = QPlainTextEdit()
        self.unreadable.setReadOnly(True)
        self.unreadable.setMaximumHeight(60)
        self.unreadable.hide()
        self.back_to_files = QPushButton()
        self.back_to_files.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.run_button = QPushButton()
        self.run_button.setObjectName("primaryButton")
        self.run_button.clicked.connect(self.run_check)
        self.mapping_labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        form.addRow(self.mapping_labels[0], self.sheet_box)
        form.addRow(self.mapping_labels[1], self.sheet_month)
        form.addRow(self.mapping_labels[2], self.sheet_pay_date)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_to_files)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.unreadable)
        layout.addWidget(self.columns, 1)
        layout.addLayout(buttons)
        return page

    def _fill_sheet_box(self) -> None:
        assert self.prep is not None
        current = max(self.sheet_box.currentIndex(), 0)
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        for choice in self.prep.sheets:
            if choice.layout.kind == PAYROLL:
                text = self.tr("工资表：%1")
            elif choice.layout.is_grid:
                text = self.tr("考勤表（按日排列）：%1")
            else:
                text = self.tr("考勤表：%1")
            self.sheet_box.addItem(text.replace("%1", choice.layout.sheet.label))
        self.sheet_box.setCurrentIndex(min(current, self.sheet_box.count() - 1))
        self.sheet_box.blockSignals(False)

    def _show_unreadable(self) -> None:
        assert self.prep is not None
        lines = [self.tr("%1：找不到表头（姓名、应发工资等列名），已跳过").replace("%1", label)
                 for label in self.prep.unreadable]  # fmt: skip
        self.unreadable.setPlainText("\n".join(lines))
        self.unreadable.setVisible(bool(lines))

    def _choice(self) -> wage_evidence.SheetChoice | None:
        if self.prep is None or not 0 <= self.sheet_box.currentIndex() < len(self.prep.sheets):
            return None
        return self.prep.sheets[self.sheet_box.currentIndex()]

    def _show_sheet(self, index: int) -> None:
        choice = self._choice()
        if choice is None:
            return
        layout = choice.layout
        self.columns.setRowCount(len(layout.labels))
        for row, label in enumerate(layout.labels):
            self.columns.setItem(row, 0, QTableWidgetItem(label or self.tr("（无列名）")))
            self.columns.setItem(row, 1, QTableWidgetItem("；".join(layout.samples(row))))
            combo = QComboBox()
            combo.addItem(self.tr("不使用"), None)
            for field in fields_for(layout.kind):
                combo.addItem(self.texts.field(field), field.value)
            found = layout.fields.get(row)
            combo.setCurrentIndex(combo.findData(found.value) if found is not None else 0)
            combo.currentIndexChanged.connect(lambda _i, r=row, c=combo: self._set_field(r, c.currentData()))
            self.columns.setCellWidget(row, 2, combo)
        month = choice.month or layout.month
        self.sheet_month.setText(f"{month.year}-{month.month:02d}" if month else "")
        pay = choice.pay_date or layout.pay_date
        self.sheet_pay_date.setText(pay.isoformat() if pay else "")
        self.sheet_month.setEnabled(layout.kind == PAYROLL or layout.is_grid)
        self.sheet_pay_date.setEnabled(layout.kind == PAYROLL)

    def set_field(self, row: int, field: Field | None) -> None:
        """Correct one column's field (what the combo does; tests call it too)."""
        combo = self.columns.cellWidget(row, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(field.value) if field is not None else 0)

    def _set_field(self, row: int, value: str | None) -> None:
        choice = self._choice()
        if choice is None:
            return
        if value is None:
            choice.layout.fields.pop(row, None)
        else:
            choice.layout.fields[row] = Field(value)

    def _sheet_dates(self) -> str | None:
        choice = self._choice()
        if choice is None or not (choice.layout.kind == PAYROLL or choice.layout.is_grid):
            return None
        try:
            choice.month = read_month(self.sheet_month.text().strip() or None)
            if choice.layout.kind == PAYROLL:
                choice.pay_date = read_date(self.sheet_pay_date.text().strip() or None)
        except CellError as error:
            return str(error)
        return None

    def options(self) -> wage_evidence.CheckOptions:
        standard = self.standard.currentData()
        region, grade = str(standard).split("\t", 1) if standard else (None, None)
        return wage_evidence.CheckOptions(
            region=region,
            grade=grade,
            pay_day=self.pay_day.value() or None,
            pay_month_offset=int(self.pay_offset.currentData()),
            break_minutes=self.break_minutes.value(),
        )

    def run_check(self) -> Task | None:
        problem = self._sheet_dates()
        if problem:
            self._say(lambda: problem)
            return None
        prep, options, ws = self.prep, self.options(), self.ctx.workspace
        assert prep is not None

        def work(cancel: threading.Event, progress: ProgressFn) -> wage_evidence.Outcome:
            return wage_evidence.run(ws, prep, options, progress=progress, cancel=cancel)

        return self._start(work, self._checked, lambda: self.tr("正在逐人逐月核查…"))

    def _problems_text(self, count: int) -> str:
        return self.tr("表格中有 %1 处问题，未读入任何数据。请改正表格或列对应后重试。").replace("%1", str(count))

    def _checked(self, outcome: object) -> None:
        assert isinstance(outcome, wage_evidence.Outcome)
        self.outcome = outcome
        self.check_id = None
        self.pages.setCurrentIndex(2)
        if not outcome.ok:
            lines = outcome.loaded.report_lines()
            self.report.setPlainText("\n".join(lines))
            self.figures = {}
            self.summary.setPlainText(self._problems_text(len(lines)))
            self._show_results(None, {})
            return
        assert outcome.evidence is not None
        self.report.setPlainText("")
        self.figures = wage_evidence.unsaved_summary(outcome)
        self._show_results(outcome.evidence, {})

    # --- step 3: results --------------------------------------------------------------------------------------

    def _results_page(self) -> QWidget:
        page = QWidget()
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("wageSummary")
        self.summary.setReadOnly(True)
        self.report = QPlainTextEdit()
        self.report.setObjectName("wageReport")
        self.report.setReadOnly(True)
        self.report.setMaximumHeight(160)
        self.rule_filter = QComboBox()
        self.rule_filter.addItem("", "")
        for rule in RULES:
            self.rule_filter.addItem("", rule.value)
        self.rule_filter.addItem("", UNCHECKED)
        self.rule_filter.currentIndexChanged.connect(self._filter)
        self.model = EvidenceModel(self)
        self.table = QTableView()
        self.table.setObjectName("evidenceTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.back_to_mapping = QPushButton()
        self.back_to_mapping.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        self.new_button = QPushButton()
        self.new_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.new_button.hide()
        self.save_button = QPushButton()
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save)
        self.exclude_button = QPushButton()
        self.exclude_button.clicked.connect(self.toggle_exclusion)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_to_mapping)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.rule_filter)
        buttons.addStretch(1)
        for button in (self.exclude_button, self.export_button, self.save_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.report)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        return page

    def _statements(self) -> list[str]:
        facts: dict[str, dict[str, Any]] = self.figures.get("facts") or {}
        chosen: dict[str, ChosenStatement] = wage_evidence.statements(self.ctx.workspace, self.audit_id, facts)
        english = not current_language().startswith("zh")
        lines = [(chosen[item].en if english else chosen[item].zh) for item in facts if item in chosen]
        outside = [item for item in facts if item not in chosen]
        if outside:
            rules = [self.texts.rule(rule) for rule, info in RULES.items() if info.item_id in outside]
            lines.append(
                self.tr("另发现“%1”，但本次体检未选择相应的检查项，不形成问题。").replace("%1", "、".join(rules))
            )
        return lines

    def _summary_text(self) -> str:
        figures = self.figures
        months = [dt.date.fromisoformat(f"{month}-01") for month in figures.get("months", [])]
        lines = [
            self.tr("核查 %1 名劳动者（%2）。")
            .replace("%1", str(figures.get("workers", 0)))
            .replace("%2", self.texts.months(months))
        ]
        lines += self._statements() or [self.tr("未发现问题。")]
        evidence = self.model.evidence
        if evidence is not None and evidence.gaps:
            lines.append(self.tr("未核查：") + self.tr("；").join(self._gap_lines(evidence.gaps)))
        if figures.get("excluded"):
            lines.append(self.tr("已排除 %1 名劳动者（理由记入修改记录）。").replace("%1", str(figures["excluded"])))
        return "\n".join(lines)

    def _gap_lines(self, gaps: list[Gap]) -> list[str]:
        grouped: dict[tuple[Rule, Any], list[Gap]] = {}
        for gap in gaps:
            grouped.setdefault((gap.rule, gap.reason), []).append(gap)
        lines = []
        for (rule, reason), found in grouped.items():
            months = self.texts.months(gap.month for gap in found if gap.month)
            count = sum(gap.count for gap in found)
            text = self.tr("%1：%2%3（%4人次）").replace("%1", self.texts.rule(rule))  # (worker-months: n)
            text = text.replace("%2", self.tr("%1，").replace("%1", months) if months else "")
            lines.append(text.replace("%3", self.texts.reason(reason)).replace("%4", str(count)))
        return lines

    def _fit_summary(self) -> None:
        """The summary as tall as its text (up to ten lines), so no empty band sits between it and the table."""
        document = self.summary.document()
        layout = document.documentLayout()
        lines = max(1, int(document.size().height()))  # a plain-text layout measures its height in lines
        block, text_height = document.firstBlock(), 0.0
        while block.isValid():  # the real height of the laid-out lines (a CJK fallback face is taller)
            text_height += layout.blockBoundingRect(block).height()
            block = block.next()
        per_line = text_height / lines if text_height else self.summary.fontMetrics().lineSpacing()
        margins = self.summary.contentsMargins()
        frame = margins.top() + margins.bottom() + 2 * document.documentMargin()
        self.summary.setFixedHeight(int(min(lines, 10) * per_line + frame) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_summary()

    def _show_results(self, evidence: Evidence | None, exclusions: dict[str, Any]) -> None:
        self.model.set_evidence(evidence, exclusions, self.rule_filter.currentData() or "")
        if evidence is not None:
            self.summary.setPlainText(self._summary_text())
        self._fit_summary()
        self.report.setVisible(bool(self.report.toPlainText()))
        self.table.resizeColumnsToContents()
        self.save_button.setEnabled(evidence is not None and self.check_id is None)
        self.exclude_button.setEnabled(self.check_id is not None)
        self.export_button.setEnabled(evidence is not None)

    def _filter(self) -> None:
        self.model.set_evidence(self.model.evidence, self.model.exclusions, self.rule_filter.currentData() or "")
        self.table.resizeColumnsToContents()

    def _load_saved(self) -> None:
        saved = wage_evidence.saved_evidence(self.ctx.workspace, self.audit_id)
        if saved is None:
            return
        self.check_id, evidence, exclusions, self.figures = saved
        self.pages.setCurrentIndex(2)
        self._show_results(evidence, exclusions)
        self._say(lambda: self.tr("这是本次体检已保存的工资考勤核查结果；重新读取表格可替换它。"))
        self.new_button.show()

    def save(self) -> None:
        if self.prep is None or self.outcome is None:
            return
        try:
            self.check_id = wage_evidence.save(self.ctx.workspace, self.prep, self.outcome)
        except Exception as error:
            message = error_message(error, self.ctx.workspace.paths.logs)
            self._say(lambda: message)
            return
        self._reload()
        self._say(lambda: self.tr("已保存：核查结果已记入相应检查项，原始表格已加密保存为证据。"))
        self.ctx.publish(wage_evidence.changes(self.audit_id), self)

    def _reload(self) -> None:
        saved = wage_evidence.saved_evidence(self.ctx.workspace, self.audit_id)
        if saved is not None:
            self.check_id, evidence, exclusions, self.figures = saved
            self._show_results(evidence, exclusions)

    def toggle_exclusion(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        key = self.model.worker_key(rows[0].row()) if rows else None
        if self.check_id is None or key is None:
            self._say(lambda: self.tr("请先保存核查结果，并在明细中选择一名劳动者。"))
            return
        excluded = key not in self.model.exclusions
        reason = ask_reason(
            self,
            name="wageExclusionReason",
            title=self.tr("排除劳动者") if excluded else self.tr("恢复劳动者"),
            label=self.tr("请说明理由（记入修改记录）："),
        )
        if reason is None:
            return
        try:
            wage_evidence.exclude(self.ctx.workspace, self.check_id, key, excluded=excluded, reason=reason)
        except Exception as error:
            message = error_message(error, self.ctx.workspace.paths.logs)
            self._say(lambda: message)
            return
        self._reload()
        self.ctx.publish(wage_evidence.changes(self.audit_id), self)

    def export(self) -> None:
        evidence = self.model.evidence
        if evidence is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出核查明细"), self.tr("工资考勤核查明细.xlsx"), "Excel (*.xlsx)"
        )
        if not path:
            return
        from app.reports.wage_evidence_xlsx import write_evidence_xlsx

        rows = write_evidence_xlsx(evidence, self.model.exclusions, Path(path))
        self._say(lambda: self.tr("已导出 %1 条明细。").replace("%1", str(rows)))

    # --- background work --------------------------------------------------------------------------------------

    def _start(self, work: Any, done: Any, text: Callable[[], str]) -> Task:
        self._say(text)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.read_button.setEnabled(False)
        self.run_button.setEnabled(False)
        self.task = self.ctx.tasks.run(
            work, name="wage-check", on_finished=lambda result: self._finish(done, result), on_failed=self._failed,
            on_progress=self._progress, owner=self,
        )  # fmt: skip
        self.task.cancelled.connect(self._cancelled)
        return self.task

    def _idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.read_button.setEnabled(True)
        self.run_button.setEnabled(True)
        self.task = None

    def _finish(self, done: Any, result: object) -> None:
        self._idle()
        self._say(str)
        done(result)

    def _progress(self, current: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(current)

    def _failed(self, error: BaseException) -> None:
        self._idle()
        message = error_message(error, self.ctx.workspace.paths.logs)
        self._say(lambda: message)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _cancelled(self) -> None:
        self._idle()
        self._say(lambda: self.tr("已取消，未保存任何数据。"))
