"""The visit record reviewers ask for: arrival and departure times, who received the visit, documents inspected.

Saved as it is typed through :func:`app.services.visits.save_visit_record` (after a pause, when a field is left
and when the dialog closes): there is no Save button to forget and no Cancel that drops typing. While the visit
is in progress this is ordinary data entry; once it is finished a change needs a reason — until it is typed, the
change is kept as a draft (shown again next time), and committed with the reason into the change history.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QEvent, QTime, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.audit.visits import PersonMet
from app.services import visits
from app.services.visits import VisitRecord
from app.ui.autosave import Autosave
from app.ui.context import UiContext
from app.ui.tasks import error_message
from core.clock import CHINA_TZ
from core.errors import LaborCheckError


def _qdatetime(moment: dt.datetime) -> QDateTime:
    local = moment.astimezone(CHINA_TZ)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def _aware(value: QDateTime) -> dt.datetime:
    date, time = value.date(), value.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute(), tzinfo=CHINA_TZ)


class VisitRecordDialog(QDialog):
    committed_changed = Signal()
    """The record in the database changed (emitted after each commit)."""

    def __init__(self, ctx: UiContext, audit_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.audit_id = ctx, audit_id
        self.committed = False
        self.setObjectName("visitRecordDialog")
        view = visits.visit_record(ctx.workspace, audit_id)
        self.audit_finished = view.finished
        record = view.draft or view.stored
        self.autosave = Autosave(self.save, self)

        default = QDateTime(QDate(view.visit_date.year, view.visit_date.month, view.visit_date.day), QTime(9, 0))
        self.arrived = QDateTimeEdit(_qdatetime(record.arrived_at) if record.arrived_at else default)
        self.departed = QDateTimeEdit(
            _qdatetime(record.departed_at) if record.departed_at else default.addSecs(2 * 3600)
        )
        for edit in (self.arrived, self.departed):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            edit.setMinimumHeight(32)
        self.has_arrived = QCheckBox()
        self.has_arrived.setChecked(record.arrived_at is not None or not self.audit_finished)
        self.has_departed = QCheckBox()
        self.has_departed.setChecked(record.departed_at is not None)
        self.has_arrived.toggled.connect(self.arrived.setEnabled)
        self.has_departed.toggled.connect(self.departed.setEnabled)
        self.arrived.setEnabled(self.has_arrived.isChecked())
        self.departed.setEnabled(self.has_departed.isChecked())

        self.people = QTableWidget(0, 2)
        self.people.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.people.verticalHeader().setVisible(False)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setMinimumHeight(120)
        with self.autosave.loading():
            for person in record.people_met:
                self.add_person(person.name, person.role)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.add_person("", ""))
        self.remove_button.clicked.connect(self._remove_person)
        people_buttons = QHBoxLayout()
        people_buttons.addWidget(self.add_button)
        people_buttons.addWidget(self.remove_button)
        people_buttons.addStretch(1)

        self.documents = QPlainTextEdit("\n".join(record.documents_inspected))
        self.documents.setMinimumHeight(90)
        self.reason = QLineEdit()
        self.status = QLabel()
        self.status.setObjectName("savedLabel")
        self.status.setWordWrap(True)

        self.form = QFormLayout()
        arrived_row = QHBoxLayout()
        arrived_row.addWidget(self.has_arrived)
        arrived_row.addWidget(self.arrived, 1)
        departed_row = QHBoxLayout()
        departed_row.addWidget(self.has_departed)
        departed_row.addWidget(self.departed, 1)
        self.form_labels = [QLabel() for _ in range(5)]
        self.form.addRow(self.form_labels[0], arrived_row)
        self.form.addRow(self.form_labels[1], departed_row)
        people_box = QVBoxLayout()
        people_box.addWidget(self.people)
        people_box.addLayout(people_buttons)
        self.form.addRow(self.form_labels[2], people_box)
        self.form.addRow(self.form_labels[3], self.documents)
        if self.audit_finished:
            self.form.addRow(self.form_labels[4], self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(560, 560)
        self.autosave.watch(
            self.arrived, self.departed, self.has_arrived, self.has_departed, self.people, self.documents, self.reason
        )
        self.add_button.clicked.connect(self.autosave.touch)
        self.remove_button.clicked.connect(self.autosave.touch)
        self.retranslate()
        if view.draft is not None:
            self._message(self.tr("显示的是上次未保存的修改（草稿）：填写修改理由后保存"), ok=False)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("走访记录"))
        self.has_arrived.setText(self.tr("已填写"))
        self.has_departed.setText(self.tr("已填写"))
        self.people.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("职务")])
        self.add_button.setText(self.tr("添加一人"))
        self.remove_button.setText(self.tr("删除所选"))
        self.documents.setPlaceholderText(self.tr("每行一项，如：职工花名册、劳动合同、2026年10月工资表"))
        self.reason.setPlaceholderText(self.tr("体检已完成，修改须说明理由"))
        texts = (
            self.tr("到达时间"),
            self.tr("离开时间"),
            self.tr("接待人员"),
            self.tr("查阅资料"),
            self.tr("修改理由"),
        )
        for label, text in zip(self.form_labels, texts, strict=True):
            label.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭（已自动保存）"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def add_person(self, name: str, role: str) -> None:
        row = self.people.rowCount()
        self.people.insertRow(row)
        self.people.setItem(row, 0, QTableWidgetItem(name))
        self.people.setItem(row, 1, QTableWidgetItem(role))

    def _remove_person(self) -> None:
        for row in sorted({index.row() for index in self.people.selectedIndexes()}, reverse=True):
            self.people.removeRow(row)

    def people_met(self) -> list[PersonMet]:
        result: list[PersonMet] = []
        for row in range(self.people.rowCount()):
            name, role = (self.people.item(row, column) for column in (0, 1))
            result.append(PersonMet(name.text() if name else "", role.text() if role else ""))
        return result

    def set_times(self, arrived: dt.datetime | None, departed: dt.datetime | None) -> None:
        """Set both times (``None`` leaves one unfilled): what a user does with the two time fields."""
        for moment, check, edit in (
            (arrived, self.has_arrived, self.arrived),
            (departed, self.has_departed, self.departed),
        ):
            check.setChecked(moment is not None)
            if moment is not None:
                edit.setDateTime(_qdatetime(moment))

    def record(self) -> VisitRecord:
        return VisitRecord(
            arrived_at=_aware(self.arrived.dateTime()) if self.has_arrived.isChecked() else None,
            departed_at=_aware(self.departed.dateTime()) if self.has_departed.isChecked() else None,
            people_met=tuple(self.people_met()),
            documents_inspected=tuple(self.documents.toPlainText().splitlines()),
        )

    def save(self) -> bool:
        """Commit the record as typed (the autosave's commit); True once it is in the record, not only a draft."""
        try:
            result = visits.save_visit_record(
                self.ctx.workspace, self.audit_id, self.record(), reason=self.reason.text()
            )
        except LaborCheckError as error:
            self._message(str(error), ok=False)  # the service kept the typing as a draft
            return False
        except Exception as error:
            self._message(error_message(error, self.ctx.workspace.paths.logs), ok=False)
            return False
        if result.value == "needs_reason":
            self._message(self.tr("修改已暂存为草稿：体检已完成，请填写修改理由后才会保存到走访记录"), ok=False)
            self.reason.setFocus()
            return False
        if result.value == "saved":
            self.committed = True
            self._message(self.tr("已保存 {time}").format(time=QTime.currentTime().toString("HH:mm:ss")), ok=True)
            self.committed_changed.emit()
        self.ctx.publish(result.changes, self)
        return True

    def _message(self, text: str, *, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #2e7d32; font-weight: bold;" if ok else "color: #c62828;")

    def done(self, result: int) -> None:
        self.autosave.touch()  # closing commits whatever the fields hold (a no-op when nothing changed)
        self.autosave.flush()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.autosave.touch()
        self.autosave.flush()
        super().closeEvent(event)


__all__ = ["VisitRecordDialog"]
