"""The visit record reviewers ask for: arrival and departure times, who received the visit, documents inspected.

Saved through :func:`app.audit.visits.set_visit_record`. While the visit is in progress this is ordinary data
entry; once it is finished the dialog asks for a reason, and the change goes into the change history.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime
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

from app.audit.history import audit_is_finished
from app.audit.visits import PersonMet, set_visit_record
from app.models import Audit
from app.ui.context import UiContext
from core.clock import CHINA_TZ
from core.errors import LaborCheckError


def _qdatetime(moment: dt.datetime) -> QDateTime:
    local = moment.astimezone(CHINA_TZ)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def _aware(value: QDateTime) -> dt.datetime:
    date, time = value.date(), value.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute(), tzinfo=CHINA_TZ)


class VisitRecordDialog(QDialog):
    def __init__(self, ctx: UiContext, audit_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.audit_id = ctx, audit_id
        self.setObjectName("visitRecordDialog")
        self.setWindowTitle(self.tr("走访记录"))
        with ctx.session() as session:
            audit = session.get_one(Audit, audit_id)
            visit_date = audit.visit_date
            arrived, departed = audit.arrived_at, audit.departed_at
            people = [dict(p) for p in audit.people_met]
            documents = list(audit.documents_inspected)
            self.audit_finished = audit_is_finished(session, audit_id)

        default = QDateTime(QDate(visit_date.year, visit_date.month, visit_date.day), QTime(9, 0))
        self.arrived = QDateTimeEdit(_qdatetime(arrived) if arrived else default)
        self.departed = QDateTimeEdit(_qdatetime(departed) if departed else default.addSecs(2 * 3600))
        for edit in (self.arrived, self.departed):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            edit.setMinimumHeight(32)
        self.has_arrived = QCheckBox(self.tr("已填写"))
        self.has_arrived.setChecked(arrived is not None or not self.audit_finished)
        self.has_departed = QCheckBox(self.tr("已填写"))
        self.has_departed.setChecked(departed is not None)
        self.has_arrived.toggled.connect(self.arrived.setEnabled)
        self.has_departed.toggled.connect(self.departed.setEnabled)
        self.arrived.setEnabled(self.has_arrived.isChecked())
        self.departed.setEnabled(self.has_departed.isChecked())

        self.people = QTableWidget(0, 2)
        self.people.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("职务")])
        self.people.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.people.verticalHeader().setVisible(False)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setMinimumHeight(120)
        for person in people:
            self.add_person(str(person.get("name", "")), str(person.get("role", "")))
        add = QPushButton(self.tr("添加一人"))
        remove = QPushButton(self.tr("删除所选"))
        add.clicked.connect(lambda: self.add_person("", ""))
        remove.clicked.connect(self._remove_person)
        people_buttons = QHBoxLayout()
        people_buttons.addWidget(add)
        people_buttons.addWidget(remove)
        people_buttons.addStretch(1)

        self.documents = QPlainTextEdit("\n".join(documents))
        self.documents.setPlaceholderText(self.tr("每行一项，如：职工花名册、劳动合同、2026年10月工资表"))
        self.documents.setMinimumHeight(90)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("体检已完成，修改须说明理由"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #c62828;")

        form = QFormLayout()
        arrived_row = QHBoxLayout()
        arrived_row.addWidget(self.has_arrived)
        arrived_row.addWidget(self.arrived, 1)
        departed_row = QHBoxLayout()
        departed_row.addWidget(self.has_departed)
        departed_row.addWidget(self.departed, 1)
        form.addRow(self.tr("到达时间"), arrived_row)
        form.addRow(self.tr("离开时间"), departed_row)
        people_box = QVBoxLayout()
        people_box.addWidget(self.people)
        people_box.addLayout(people_buttons)
        form.addRow(self.tr("接待人员"), people_box)
        form.addRow(self.tr("查阅资料"), self.documents)
        if self.audit_finished:
            form.addRow(self.tr("修改理由"), self.reason)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(560, 560)

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

    def save(self) -> bool:
        arrived = _aware(self.arrived.dateTime()) if self.has_arrived.isChecked() else None
        departed = _aware(self.departed.dateTime()) if self.has_departed.isChecked() else None
        documents = self.documents.toPlainText().splitlines()
        try:
            with self.ctx.session() as session:
                set_visit_record(
                    session,
                    self.audit_id,
                    arrived_at=arrived,
                    departed_at=departed,
                    people_met=self.people_met(),
                    documents_inspected=documents,
                    reason=self.reason.text() if self.audit_finished else None,
                )
        except LaborCheckError as error:
            self.status.setText(str(error))
            return False
        self.ctx.events.data_changed.emit("audit")
        return True

    def _accept(self) -> None:
        if self.save():
            self.accept()


__all__ = ["VisitRecordDialog"]
