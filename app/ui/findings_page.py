"""Review the findings of a finished visit before the notice: statement, note, requirement, deadline, person.

The statement is what the notice prints as the problem's heading, chosen from the checklist by the visit's
figures; the coordinator may reword it, and choose to print the note taken while answering, until the notice is
signed (``app.audit.findings.edit_finding``, recorded in the change history with its reason).

The deadline starts as computed by the service (calendar or Chinese working days from the visit date, as each
item says); picking another date shows how many working days it gives (``working_days_between``), because the
enterprise will ask "how many working days is that?". A finding can be removed only with a reason, which is kept.

Edits are saved as they are typed (:class:`~app.ui.autosave.Autosave`), with "已保存" shown after the commit.
Filling a blank responsible person or phone needs no reason. Correcting a value of the finished visit does: the
typed correction is kept as the item's draft at once, and the reason is asked once, when the coordinator moves to
another item or away from the page (or now, with 说明理由…); cancelled, the draft stays and is shown again. The
responsible person, phone or deadline of several selected items is set in one action (批量设置…) with at most
one reason.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, QTime, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
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

from app.audit.rectification import ItemEdit, default_calendar
from app.services import lookups, rectification, visits
from app.services.changes import OpChanges
from app.services.lookups import FindingRow
from app.ui import labels
from app.ui.archived_banner import ArchivedBanner
from app.ui.autosave import Autosave
from app.ui.context import UiContext
from app.ui.history_view import HistoryDialog
from app.ui.new_visit_dialog import pydate, qdate
from app.ui.reason_prompt import ask_reason
from app.ui.tasks import error_message
from app.ui.visit_record_dialog import VisitRecordDialog
from core.errors import LaborCheckError
from core.workdays import working_days_between


class BulkEditDialog(QDialog):
    """批量设置: one responsible person, phone or deadline for several items."""

    def __init__(self, count: int, minimum: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkEditDialog")
        self.setWindowTitle(self.tr("批量设置整改事项"))
        self.intro = QLabel(self.tr("为所选 {n} 项设置（留空的项不改）：").format(n=count))
        self.intro.setWordWrap(True)
        self.person = QLineEdit()
        self.phone = QLineEdit()
        self.set_deadline = QCheckBox(self.tr("统一整改时限"))
        self.deadline = QDateEdit(qdate(minimum))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline.setMinimumDate(qdate(minimum))
        self.deadline.setEnabled(False)
        self.set_deadline.toggled.connect(self.deadline.setEnabled)
        form = QFormLayout()
        form.addRow(self.tr("整改负责人"), self.person)
        form.addRow(self.tr("联系电话"), self.phone)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.set_deadline)
        deadline_row.addWidget(self.deadline, 1)
        form.addRow(self.tr("整改时限"), deadline_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def edit(self) -> ItemEdit:
        return ItemEdit(
            deadline=pydate(self.deadline.date()) if self.set_deadline.isChecked() else None,
            responsible_person=self.person.text().strip() or None,
            responsible_phone=self.phone.text().strip() or None,
        )


class FindingsPage(QWidget):
    back_requested = Signal()
    enterprise_requested = Signal(str)
    saved = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.audit_id: str | None = None
        self.enterprise_id: str | None = None
        self.enterprise_name = ""
        self.visit_date = ctx.today()
        self.rows: list[FindingRow] = []
        self._shown: FindingRow | None = None
        """The finding whose values the editor holds (what the autosave commits to)."""
        self._awaiting_reason = False
        """The shown item has a correction kept as a draft until a reason is given."""
        self._calendar = default_calendar()

        self.back = QPushButton()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.notice_button = QPushButton()
        self.notice_button.setObjectName("primaryButton")
        self.history_button = QPushButton()
        self.visit_record_button = QPushButton()
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
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)

        self.description = QPlainTextEdit()
        self.description.setObjectName("findingText")
        self.description.setMinimumHeight(50)
        self.description.setTabChangesFocus(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note_on_notice = QCheckBox()
        self.basis = QLabel()
        self.basis.setWordWrap(True)
        self.requirement = QPlainTextEdit()
        self.requirement.setObjectName("requirement")
        self.requirement.setMinimumHeight(70)
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline.setMinimumHeight(32)
        self.deadline_info = QLabel()
        self.deadline_info.setWordWrap(True)
        self.person = QLineEdit()
        self.person.setObjectName("responsiblePerson")
        self.phone = QLineEdit()
        self.phone.setObjectName("responsiblePhone")
        self.reason_button = QPushButton()
        self.reason_button.hide()
        self.bulk_button = QPushButton()
        self.remove_button = QPushButton()
        self.item_history_button = QPushButton()
        for button in (self.reason_button, self.bulk_button, self.remove_button, self.item_history_button):
            button.setMinimumHeight(36)
        self.status = QLabel()
        self.status.setObjectName("savedLabel")
        self.status.setWordWrap(True)
        self.editor = QGroupBox()
        form = QFormLayout(self.editor)
        self.form_labels = [QLabel() for _ in range(7)]
        form.addRow(self.form_labels[0], self.description)
        note_row = QVBoxLayout()
        note_row.addWidget(self.note)
        note_row.addWidget(self.note_on_notice)
        form.addRow(self.form_labels[6], note_row)
        form.addRow(self.form_labels[1], self.basis)
        form.addRow(self.form_labels[2], self.requirement)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline)
        deadline_row.addWidget(self.deadline_info, 1)
        form.addRow(self.form_labels[3], deadline_row)
        form.addRow(self.form_labels[4], self.person)
        form.addRow(self.form_labels[5], self.phone)
        actions = QHBoxLayout()
        actions.addWidget(self.reason_button)
        actions.addWidget(self.bulk_button)
        actions.addWidget(self.remove_button)
        actions.addWidget(self.item_history_button)
        actions.addStretch(1)
        form.addRow(actions)
        form.addRow(self.status)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.editor)
        splitter.setSizes([220, 440])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.archived)
        layout.addWidget(splitter, 1)

        for first, second in (
            (self.table, self.description),
            (self.description, self.requirement),
            (self.requirement, self.deadline),
            (self.deadline, self.person),
            (self.person, self.phone),
            (self.phone, self.remove_button),
            (self.remove_button, self.notice_button),
        ):
            QWidget.setTabOrder(first, second)
        self.requirement.setTabChangesFocus(True)

        self.autosave = Autosave(self._commit, self)
        self.autosave.watch(
            self.description, self.note_on_notice, self.requirement, self.deadline, self.person, self.phone
        )
        self.back.clicked.connect(self._back)
        self.notice_button.clicked.connect(self.open_notice)
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.table.itemSelectionChanged.connect(self._update_bulk)
        self.deadline.dateChanged.connect(self._deadline_changed)
        self.reason_button.clicked.connect(lambda: self.give_reason())
        self.bulk_button.clicked.connect(lambda: self.bulk_edit())
        self.remove_button.clicked.connect(self.remove)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.item_history_button.clicked.connect(lambda: self.show_history(item=True))
        self.visit_record_button.clicked.connect(lambda: self.edit_visit_record())
        self.archived.restored.connect(lambda text: self._message(text, ok=True))
        ctx.events.changed.connect(self.on_changes)
        self.retranslate()

    # --- texts --------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.back.setText(self.tr("← 企业"))
        self.notice_button.setText(self.tr("出具整改通知书…"))
        self.history_button.setText(self.tr("修改记录…"))
        self.visit_record_button.setText(self.tr("走访记录…"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("序号"), self.tr("存在问题"), self.tr("严重程度"), self.tr("整改时限")]
        )
        self.editor.setTitle(self.tr("整改事项（输入即自动保存）"))
        texts = (
            self.tr("问题表述（通知书）"),
            self.tr("法律依据"),
            self.tr("整改要求"),
            self.tr("整改时限"),
            self.tr("整改负责人"),
            self.tr("联系电话"),
            self.tr("协调员备注"),
        )
        self.note_on_notice.setText(self.tr("在整改通知书中写明此备注"))
        for label, text in zip(self.form_labels, texts, strict=True):
            label.setText(text)
        self.reason_button.setText(self.tr("说明理由并保存…"))
        self.bulk_button.setText(self.tr("批量设置…"))
        self.bulk_button.setToolTip(self.tr("选中多项（按住 Ctrl 或 Shift 点选）后，统一设置整改负责人、电话或时限"))
        self.remove_button.setText(self.tr("删除该问题…"))
        self.item_history_button.setText(self.tr("本项修改记录…"))
        self._set_title()
        self._fill_table()
        if self._shown is not None:
            self._deadline_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _set_title(self) -> None:
        if self.audit_id is None:
            self.title.setText("")
            return
        live = [row for row in self.rows if row.removed_reason is None]
        self.title.setText(
            self.tr("{name} — {date} 体检发现问题 {n} 个").format(
                name=self.enterprise_name, date=self.visit_date.isoformat(), n=len(live)
            )
        )

    # --- loading ------------------------------------------------------------------------------------------------

    def set_audit(self, audit_id: str) -> None:
        self.flush_edits()
        self.audit_id = audit_id
        self._shown = None
        self.status.clear()
        self.archived.set_audit(audit_id)
        self.refresh()

    def edit_visit_record(self) -> VisitRecordDialog | None:
        """Arrival and departure, who was met, documents inspected; after finishing, each change needs a reason."""
        if self.audit_id is None:
            return None
        self.flush_edits()
        dialog = VisitRecordDialog(self.ctx, self.audit_id, self)
        dialog.committed_changed.connect(lambda: self._message(self.tr("走访记录已保存，修改理由已记录"), ok=True))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def refresh(self) -> None:
        """Reload the findings; the editor shows the selected one (with its draft, if any)."""
        if self.audit_id is None:
            return
        self.flush_edits(ask=False)
        self._load_rows()
        current = self.table.currentRow()
        self._shown = None
        if self.rows:
            row = current if 0 <= current < len(self.rows) else 0
            self.table.blockSignals(True)
            self.table.setCurrentCell(row, 1)
            self.table.blockSignals(False)
            self._show(row)
        else:
            self._show(-1)

    def _load_rows(self) -> None:
        assert self.audit_id is not None
        header = visits.header(self.ctx.workspace, self.audit_id)
        self.enterprise_id, self.enterprise_name, self.visit_date = (
            header.enterprise_id,
            header.enterprise_name,
            header.visit_date,
        )
        with self.ctx.session() as session:
            self.rows = lookups.findings_of(session, self.audit_id)
            self._calendar = default_calendar(session)
        if self._shown is not None:
            self._shown = next((r for r in self.rows if r.finding_id == self._shown.finding_id), None)
        self._set_title()
        self._fill_table()

    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for index, finding in enumerate(self.rows):
            removed = finding.removed_reason is not None
            text = labels.statement(finding.description, finding.description_en) + (
                self.tr("（已删除：{reason}）").format(reason=finding.removed_reason) if removed else ""
            )
            cells = (
                str(finding.position),
                text,
                labels.severity(finding.severity),
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
        for column in (0, 2, 3):
            self.table.resizeColumnToContents(column)
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        self.notice_button.setEnabled(any(row.removed_reason is None for row in self.rows))

    def current(self) -> FindingRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show(self, row: int) -> None:
        finding = self.rows[row] if 0 <= row < len(self.rows) else None
        if self._shown is not None and (finding is None or finding.finding_id != self._shown.finding_id):
            self.flush_edits()  # the item being left: committed, or its reason asked
        self.autosave.cancel()
        self._shown = finding
        self._awaiting_reason = False
        editable = finding is not None and finding.removed_reason is None and finding.rect_id is not None
        for widget in (self.description, self.requirement, self.deadline, self.person, self.phone, self.remove_button):
            widget.setEnabled(editable)
        self.note_on_notice.setEnabled(editable and finding is not None and bool(finding.note.strip()))
        self.status.setText("")
        self.reason_button.hide()
        with self.autosave.loading():
            if finding is None:
                self.description.setPlainText(self.tr("本次体检未发现问题。"))
                self.note.setText("")
                self.note_on_notice.setChecked(False)
                self.basis.setText("")
                self.requirement.setPlainText("")
                self.person.clear()
                self.phone.clear()
                self._update_bulk()
                return
            self.basis.setText("；".join(finding.basis))
            draft = rectification.item_draft(self.ctx.workspace, finding.rect_id) if finding.rect_id else None
            shown = draft.edit if draft else ItemEdit()
            wording = draft.wording if draft else rectification.Wording()
            self.description.setPlainText(finding.description if wording.statement is None else wording.statement)
            self.note.setText(finding.note or self.tr("（无备注）"))
            flag = wording.note_on_notice
            self.note_on_notice.setChecked(finding.note_on_notice if flag is None else flag)
            self.requirement.setPlainText(finding.requirement if shown.requirement is None else shown.requirement)
            self.person.setText(
                finding.responsible_person if shown.responsible_person is None else shown.responsible_person
            )
            self.phone.setText(
                finding.responsible_phone if shown.responsible_phone is None else shown.responsible_phone
            )
            self.deadline.setMinimumDate(qdate(self.visit_date))
            deadline = finding.deadline if shown.deadline is None else shown.deadline
            if deadline is not None:
                self.deadline.setDate(qdate(deadline))
        self._deadline_changed()
        if draft is not None:
            self._awaiting_reason = True
            self._show_awaiting()
        self._update_bulk()

    def _deadline_changed(self) -> None:
        finding = self._shown
        if finding is None:
            return
        due = pydate(self.deadline.date())
        working = working_days_between(self.visit_date, due, self._calendar)
        calendar_days = (due - self.visit_date).days
        if finding.deadline_days == 0:
            default = self.tr("立即整改")
        elif finding.deadline_working_days:
            default = self.tr("{n}个工作日").format(n=finding.deadline_days)
        else:
            default = self.tr("{n}天").format(n=finding.deadline_days)
        text = self.tr("自体检日起 {days} 天，合 {working} 个工作日（检查表默认：{default}）").format(
            days=calendar_days, working=working, default=default
        )
        if finding.deadline_estimated and finding.deadline is not None and due == finding.deadline:
            text += self.tr("；该年度节假日安排尚未公布，工作日为估算")
        self.deadline_info.setText(text)

    # --- saving -------------------------------------------------------------------------------------------------

    def _edit(self) -> ItemEdit:
        return ItemEdit(
            requirement=self.requirement.toPlainText(),
            deadline=pydate(self.deadline.date()),
            responsible_person=self.person.text(),
            responsible_phone=self.phone.text(),
        )

    def _wording(self) -> rectification.Wording:
        return rectification.Wording(self.description.toPlainText(), self.note_on_notice.isChecked())

    def _commit(self, reason: str | None = None) -> bool:
        """Commit the shown item's fields as typed (the autosave's commit; with ``reason`` once it is given)."""
        finding = self._shown
        if finding is None or finding.rect_id is None or finding.removed_reason is not None:
            return True
        try:
            result = rectification.edit_item(
                self.ctx.workspace, finding.rect_id, self._edit(), wording=self._wording(), reason=reason
            )
        except LaborCheckError as error:
            self._message(str(error), ok=False)
            return True  # kept as the item's draft by the service: nothing typed is lost
        except Exception as error:
            self._message(error_message(error, self.ctx.workspace.paths.logs), ok=False)
            return False
        if result.value == "needs_reason":
            self._awaiting_reason = True
            self._show_awaiting()
            return True
        self._awaiting_reason = False
        self.reason_button.hide()
        if result.value == "saved":
            self._message(self.tr("已保存 {time}").format(time=QTime.currentTime().toString("HH:mm:ss")), ok=True)
            self._load_rows()
            self.saved.emit()
        self.ctx.publish(result.changes, self)
        return True

    def _show_awaiting(self) -> None:
        self.reason_button.show()
        self._message(
            self.tr("修改已暂存。体检已完成，更正原有内容须说明理由：离开本项时将询问，或点“说明理由并保存…”。"),
            ok=False,
        )

    def give_reason(self) -> bool:
        """Ask the reason for the shown item's pending correction and commit it; False when cancelled."""
        self.autosave.flush()
        if not self._awaiting_reason:
            return True
        reason = self.ask_change_reason()
        if reason is None:
            return False
        if not reason.strip():
            self._message(self.tr("体检完成后的修改必须说明理由，理由将记入修改记录"), ok=False)
            return False
        self._commit(reason=reason)
        return not self._awaiting_reason

    def flush_edits(self, *, ask: bool = True) -> bool:
        """Commit what was typed (every route away calls this); a correction asks its reason once when ``ask``."""
        self.autosave.flush()
        if ask and self._awaiting_reason and self._shown is not None:
            return self.give_reason()
        return not self._awaiting_reason

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush_edits(ask=False)
        super().hideEvent(event)

    def ask_change_reason(self) -> str | None:
        """The reason for an edit, recorded in the change history (the audit is finished)."""
        return ask_reason(
            self,
            name="changeReasonDialog",
            title=self.tr("修改整改事项"),
            label=self.tr("体检已完成，更正原有内容须说明理由（将记入修改记录）："),
        )

    # --- several items at once ------------------------------------------------------------------------------------

    def selected_rows(self) -> list[FindingRow]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [
            self.rows[row]
            for row in rows
            if 0 <= row < len(self.rows) and self.rows[row].rect_id and self.rows[row].removed_reason is None
        ]

    def _update_bulk(self) -> None:
        self.bulk_button.setEnabled(len(self.selected_rows()) >= 2)

    def ask_bulk_edit(self, count: int) -> ItemEdit | None:
        dialog = BulkEditDialog(count, self.visit_date, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.edit()

    def bulk_edit(self, edit: ItemEdit | None = None) -> bool:
        """Set one responsible person, phone or deadline on the selected items: one action, at most one reason."""
        rows = self.selected_rows()
        if len(rows) < 2 or not self.flush_edits():
            return False
        edit = edit if edit is not None else self.ask_bulk_edit(len(rows))
        if edit is None or edit.is_empty():
            return False
        item_ids = [row.rect_id for row in rows if row.rect_id]
        reason: str | None = None
        if rectification.items_need_reason(self.ctx.workspace, item_ids, edit):
            reason = self.ask_change_reason()
            if reason is None:
                return False
        try:
            result = rectification.edit_items(self.ctx.workspace, item_ids, edit, reason=reason)
        except LaborCheckError as error:
            self._message(str(error), ok=False)
            return False
        self.refresh()
        self._message(self.tr("已保存：{n} 项已更新").format(n=result.value), ok=True)
        self.ctx.publish(result.changes, self)
        return True

    # --- history, removal, notice ---------------------------------------------------------------------------------

    def show_history(self, *, item: bool = False) -> HistoryDialog | None:
        """The audit's change timeline, or the selected item's."""
        if self.audit_id is None:
            return None
        finding = self.current() if item else None
        if item and (finding is None or finding.rect_id is None):
            return None
        self.flush_edits(ask=False)
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
            changes = visits.remove_finding(self.ctx.workspace, finding.finding_id, reason=reason)
        except LaborCheckError as error:
            self._message(str(error), ok=False)
            return False
        if finding.rect_id:
            rectification.discard_item_draft(self.ctx.workspace, finding.rect_id)
        self._shown = None
        self.refresh()
        self._message(self.tr("已删除，理由已记录"), ok=True)
        self.ctx.publish(changes, self)
        return True

    def _message(self, text: str, *, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #2e7d32; font-weight: bold;" if ok else "color: #c62828;")

    def open_notice(self) -> None:
        if self.audit_id is None:
            return
        if not self.flush_edits():
            self._message(self.tr("请先说明更正的理由：通知书须与整改事项一致"), ok=False)
            return
        from app.ui.notice_dialog import NoticeDialog

        NoticeDialog(self.ctx, self.audit_id, self).exec()

    def on_changes(self, changes: OpChanges, initiator: object) -> None:
        """Another screen changed this audit's items (a verification, a sync): reload them."""
        if initiator is self or self.audit_id is None or not self.isVisible():
            return
        if (changes.items or changes.sync) and (not changes.audit_ids or self.audit_id in changes.audit_ids):
            self.refresh()

    def _back(self) -> None:
        self.flush_edits()  # a correction whose reason is refused stays as the item's draft
        if self.enterprise_id is not None:
            self.enterprise_requested.emit(self.enterprise_id)
        else:
            self.back_requested.emit()
