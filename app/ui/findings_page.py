"""Review the findings of a finished visit before the notice: statement, note, requirement, deadline, person.

The statement is what the notice prints as the problem's heading, chosen from the checklist by the visit's
figures; the coordinator may reword it, and choose to print the note taken while answering, until the notice is
signed (``app.audit.findings.edit_finding``, recorded in the change history with the reason asked for the save).

The deadline starts as computed by the service (calendar or Chinese working days from the visit date, as each
item says); picking another date shows how many working days it gives (``working_days_between``), because the
enterprise will ask "how many working days is that?". A finding can be removed only with a reason, which is kept.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.audit.findings import edit_finding
from app.audit.rectification import default_calendar, update_item
from app.audit.visits import remove_finding
from app.ui.archived_banner import ArchivedBanner
from app.ui.context import UiContext
from app.ui.history_view import HistoryDialog
from app.ui.new_visit_dialog import pydate, qdate
from app.ui.queries import FindingRow, audit_header, findings_of
from app.ui.reason_prompt import ask_reason
from app.ui.tasks import error_message
from app.ui.visit_record_dialog import VisitRecordDialog
from core.errors import LaborCheckError
from core.workdays import working_days_between


class FindingsPage(QWidget):
    back_requested = Signal()
    enterprise_requested = Signal(str)
    saved = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.audit_id: str | None = None
        self.enterprise_id: str | None = None
        self.visit_date = ctx.today()
        self.rows: list[FindingRow] = []
        self._calendar = default_calendar()

        self.back = QPushButton(self.tr("← 企业"))
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.notice_button = QPushButton(self.tr("出具整改通知书…"))
        self.notice_button.setObjectName("primaryButton")
        self.history_button = QPushButton(self.tr("修改记录…"))
        self.visit_record_button = QPushButton(self.tr("走访记录…"))
        for button in (self.back, self.notice_button, self.history_button, self.visit_record_button):
            button.setMinimumHeight(40)
        header = QHBoxLayout()
        header.addWidget(self.back)
        header.addWidget(self.title, 1)
        header.addWidget(self.visit_record_button)
        header.addWidget(self.history_button)
        header.addWidget(self.notice_button)
        self.archived = ArchivedBanner(ctx, self)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("序号"), self.tr("存在问题"), self.tr("严重程度"), self.tr("整改时限")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)

        self.description = QPlainTextEdit()
        self.description.setObjectName("findingText")
        self.description.setMinimumHeight(56)
        self.description.setTabChangesFocus(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note_on_notice = QCheckBox()
        self.basis = QLabel()
        self.basis.setWordWrap(True)
        self.requirement = QPlainTextEdit()
        self.requirement.setMinimumHeight(90)
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline.setMinimumHeight(32)
        self.deadline_info = QLabel()
        self.deadline_info.setWordWrap(True)
        self.person = QLineEdit()
        self.phone = QLineEdit()
        self.save_button = QPushButton(self.tr("保存修改"))
        self.remove_button = QPushButton(self.tr("删除该问题…"))
        self.item_history_button = QPushButton(self.tr("本项修改记录…"))
        for button in (self.save_button, self.remove_button, self.item_history_button):
            button.setMinimumHeight(40)
        self.status = QLabel()
        self.status.setWordWrap(True)
        editor = QGroupBox(self.tr("整改事项"))
        form = QFormLayout(editor)
        form.addRow(self.tr("问题表述（通知书）"), self.description)
        note_row = QVBoxLayout()
        note_row.addWidget(self.note)
        note_row.addWidget(self.note_on_notice)
        form.addRow(self.tr("协调员备注"), note_row)
        form.addRow(self.tr("法律依据"), self.basis)
        form.addRow(self.tr("整改要求"), self.requirement)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline)
        deadline_row.addWidget(self.deadline_info, 1)
        form.addRow(self.tr("整改时限"), deadline_row)
        form.addRow(self.tr("整改负责人"), self.person)
        form.addRow(self.tr("联系电话"), self.phone)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.remove_button)
        actions.addWidget(self.item_history_button)
        actions.addStretch(1)
        form.addRow(actions)
        form.addRow(self.status)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(editor)
        splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.archived)
        layout.addWidget(splitter, 1)

        self.note_on_notice.setText(self.tr("在整改通知书中写明此备注"))
        for first, second in (
            (self.table, self.description),
            (self.description, self.requirement),
            (self.requirement, self.deadline),
            (self.deadline, self.person),
            (self.person, self.phone),
            (self.phone, self.save_button),
            (self.save_button, self.remove_button),
            (self.remove_button, self.notice_button),
        ):
            QWidget.setTabOrder(first, second)
        self.requirement.setTabChangesFocus(True)

        self.back.clicked.connect(self._back)
        self.notice_button.clicked.connect(self.open_notice)
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.deadline.dateChanged.connect(self._deadline_changed)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.item_history_button.clicked.connect(lambda: self.show_history(item=True))
        self.visit_record_button.clicked.connect(lambda: self.edit_visit_record())
        self.archived.restored.connect(lambda text: self._message(text, ok=True))

    def set_audit(self, audit_id: str) -> None:
        self.audit_id = audit_id
        self.status.clear()
        self.archived.set_audit(audit_id)
        self.refresh()

    def edit_visit_record(self) -> VisitRecordDialog | None:
        """Arrival and departure, who was met, documents inspected; after finishing, each change needs a reason."""
        if self.audit_id is None:
            return None
        dialog = VisitRecordDialog(self.ctx, self.audit_id, self)
        dialog.accepted.connect(lambda: self._message(self.tr("走访记录已保存，修改理由已记录"), ok=True))
        dialog.accepted.connect(lambda: self.ctx.events.data_changed.emit("audit"))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def refresh(self) -> None:
        if self.audit_id is None:
            return
        with self.ctx.session() as session:
            self.enterprise_id, name, self.visit_date, _status = audit_header(session, self.audit_id)
            self.rows = findings_of(session, self.audit_id)
        live = [row for row in self.rows if row.removed_reason is None]
        self.title.setText(
            self.tr("{name} — {date} 体检发现问题 {n} 个").format(
                name=name, date=self.visit_date.isoformat(), n=len(live)
            )
        )
        current = self.table.currentRow()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for index, finding in enumerate(self.rows):
            removed = finding.removed_reason is not None
            text = finding.description + (
                self.tr("（已删除：{reason}）").format(reason=finding.removed_reason) if removed else ""
            )
            cells = (
                str(finding.position),
                text,
                finding.severity,
                finding.deadline.isoformat() if finding.deadline else "—",
            )
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if removed:
                    font = cell.font()
                    font.setStrikeOut(True)
                    cell.setFont(font)
                    cell.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(index, column, cell)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.table.resizeColumnToContents(3)
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        self.notice_button.setEnabled(bool(live))
        if self.rows:
            row = current if 0 <= current < len(self.rows) else 0
            self.table.setCurrentCell(row, 1)
            self._show(row)
        else:
            self._show(-1)

    def current(self) -> FindingRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show(self, row: int) -> None:
        finding = self.rows[row] if 0 <= row < len(self.rows) else None
        editable = finding is not None and finding.removed_reason is None and finding.rect_id is not None
        for widget in (
            self.description,
            self.requirement,
            self.deadline,
            self.person,
            self.phone,
            self.save_button,
            self.remove_button,
        ):
            widget.setEnabled(editable)
        self.note_on_notice.setEnabled(editable and finding is not None and bool(finding.note.strip()))
        self.status.setText("")
        if finding is None:
            self.description.setPlainText(self.tr("本次体检未发现问题。"))
            self.note.setText("")
            self.note_on_notice.setChecked(False)
            self.basis.setText("")
            self.requirement.setPlainText("")
            return
        self.description.setPlainText(finding.description)
        self.note.setText(finding.note or self.tr("（无备注）"))
        self.note_on_notice.setChecked(finding.note_on_notice)
        self.basis.setText("；".join(finding.basis))
        self.requirement.setPlainText(finding.requirement)
        self.person.setText(finding.responsible_person)
        self.phone.setText(finding.responsible_phone)
        self.deadline.blockSignals(True)
        self.deadline.setMinimumDate(qdate(self.visit_date))
        if finding.deadline is not None:
            self.deadline.setDate(qdate(finding.deadline))
        self.deadline.blockSignals(False)
        self._deadline_changed()

    def _deadline_changed(self) -> None:
        finding = self.current()
        if finding is None:
            return
        due = pydate(self.deadline.date())
        working = working_days_between(self.visit_date, due, self._calendar)
        calendar_days = (due - self.visit_date).days
        unit = self.tr("个工作日") if finding.deadline_working_days else self.tr("天")
        default = self.tr("立即整改") if finding.deadline_days == 0 else f"{finding.deadline_days}{unit}"
        text = self.tr("自体检日起 {days} 天，合 {working} 个工作日（检查表默认：{default}）").format(
            days=calendar_days, working=working, default=default
        )
        if finding.deadline_estimated and finding.deadline is not None and due == finding.deadline:
            text += self.tr("；该年度节假日安排尚未公布，工作日为估算")
        self.deadline_info.setText(text)

    def save(self) -> bool:
        finding = self.current()
        if finding is None or finding.rect_id is None:
            return False
        due = pydate(self.deadline.date())
        reason = self.ask_change_reason()
        if reason is None:
            return False
        statement = self.description.toPlainText().strip()
        wording_changed = statement != finding.description or self.note_on_notice.isChecked() != finding.note_on_notice
        try:
            with self.ctx.session() as session:
                if wording_changed:
                    edit_finding(
                        session,
                        finding.finding_id,
                        statement=statement if statement != finding.description else None,
                        note_on_notice=self.note_on_notice.isChecked(),
                        reason=reason,
                    )
                update_item(
                    session,
                    finding.rect_id,
                    requirement=self.requirement.toPlainText(),
                    deadline=due if due != finding.deadline else None,
                    responsible_person=self.person.text(),
                    responsible_phone=self.phone.text(),
                    reason=reason,
                )
        except LaborCheckError as error:
            self._message(str(error), ok=False)
            return False
        except Exception as error:
            self._message(error_message(error, self.ctx.workspace.paths.logs), ok=False)
            return False
        self.refresh()
        self._message(self.tr("已保存"), ok=True)
        self.ctx.events.data_changed.emit("items")
        self.saved.emit()
        return True

    def ask_change_reason(self) -> str | None:
        """The reason for an edit, recorded in the change history (the audit is finished)."""
        return ask_reason(
            self,
            name="changeReasonDialog",
            title=self.tr("修改整改事项"),
            label=self.tr("体检已完成，修改须说明理由（将记入修改记录）："),
        )

    def show_history(self, *, item: bool = False) -> HistoryDialog | None:
        """The audit's change timeline, or the selected item's."""
        if self.audit_id is None:
            return None
        finding = self.current() if item else None
        if item and (finding is None or finding.rect_id is None):
            return None
        dialog = HistoryDialog(
            self.ctx,
            audit_id=None if finding else self.audit_id,
            item_id=finding.rect_id if finding else None,
            title=(finding.title or finding.description) if finding else self.title.text(),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def ask_removal_reason(self) -> str | None:
        return ask_reason(
            self,
            name="removeReasonDialog",
            title=self.tr("删除问题"),
            label=self.tr("删除问题必须说明理由（如：企业当场出示了材料）："),
        )

    def remove(self) -> bool:
        finding = self.current()
        if finding is None:
            return False
        reason = self.ask_removal_reason()
        if reason is None:
            return False
        try:
            with self.ctx.session() as session:
                remove_finding(session, finding.finding_id, reason=reason)
        except LaborCheckError as error:
            self._message(str(error), ok=False)
            return False
        self.refresh()
        self._message(self.tr("已删除，理由已记录"), ok=True)
        self.ctx.events.data_changed.emit("items")
        return True

    def _message(self, text: str, *, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #2e7d32; font-weight: bold;" if ok else "color: #c62828;")

    def open_notice(self) -> None:
        if self.audit_id is None:
            return
        from app.ui.notice_dialog import NoticeDialog

        NoticeDialog(self.ctx, self.audit_id, self).exec()
        self.ctx.events.data_changed.emit("notice")

    def _back(self) -> None:
        if self.enterprise_id is not None:
            self.enterprise_requested.emit(self.enterprise_id)
        else:
            self.back_requested.emit()
