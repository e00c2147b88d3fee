"""Add or edit an enterprise. The credit code is checked as it is typed, with the precise message of
:mod:`app.audit.uscc` ("第2位…", "校验位应为…"), so the coordinator can compare it with the business licence.

What is typed is kept as the form's draft (:mod:`app.services.enterprises`: within a second, and when a field is
left), so closing the form — or the laptop dying — loses nothing: the form shows the draft again next time, with
放弃草稿 to start over. 保存 creates or updates the enterprise and removes the draft.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.audit.enterprises import EnterpriseInput
from app.audit.uscc import InvalidUSCC, validate_uscc
from app.services import enterprises
from app.ui.autosave import Autosave, Watched
from app.ui.context import UiContext
from app.ui.tasks import error_message
from core.errors import LaborCheckError

NO_COUNT = -1
TEXT_FIELDS = ("uscc", "name", "industry", "address", "district", "contact_name", "contact_phone")
COUNT_FIELDS = ("headcount_last_year_end", "headcount")


def _count_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(NO_COUNT, 10_000_000)
    box.setSpecialValueText("—")
    box.setValue(NO_COUNT)
    return box


class EnterpriseForm(QDialog):
    """``enterprise_id=None`` adds a new enterprise; after ``accept`` :attr:`enterprise_id` names the saved one."""

    def __init__(self, ctx: UiContext, enterprise_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id = enterprise_id
        self._draft_key = enterprise_id
        self.setObjectName("enterpriseForm")
        self.setMinimumWidth(560)
        self.uscc = QLineEdit()
        self.uscc.setMaxLength(40)
        self.uscc_status = QLabel()
        self.uscc_status.setWordWrap(True)
        self.uscc_status.setObjectName("usccStatus")
        self.name = QLineEdit()
        self.industry = QLineEdit()
        self.address = QLineEdit()
        self.district = QLineEdit()
        self.contact_name = QLineEdit()
        self.contact_phone = QLineEdit()
        self.headcount_last_year_end = _count_box()
        self.headcount = _count_box()
        self.is_key = QCheckBox()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.draft_note = QLabel()
        self.draft_note.setObjectName("draftNote")
        self.draft_note.setWordWrap(True)
        self.draft_note.setStyleSheet("color: #e65100;")
        self.discard_button = QPushButton()
        self.draft_note.hide()
        self.discard_button.hide()

        self.form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(9)]
        fields: list[Watched] = [
            self.uscc,
            self.name,
            self.industry,
            self.address,
            self.district,
            self.contact_name,
            self.contact_phone,
            self.headcount_last_year_end,
            self.headcount,
        ]
        for index, (label, field) in enumerate(zip(self.form_labels, fields, strict=True)):
            self.form.addRow(label, field)
            if index == 0:
                self.form.addRow("", self.uscc_status)
        self.form.addRow("", self.is_key)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.discard_button.clicked.connect(self.discard_draft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.draft_note)
        layout.addWidget(self.discard_button)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.autosave = Autosave(self._save_draft, self)
        self.autosave.watch(*fields, self.is_key)
        self.uscc.textChanged.connect(self._check_code)
        self.retranslate()
        self._load()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("编辑企业") if self.enterprise_id else self.tr("新增企业"))
        self.uscc.setPlaceholderText(self.tr("18 位，见营业执照"))
        texts = (
            self.tr("统一社会信用代码"),
            self.tr("单位名称"),
            self.tr("所属行业"),
            self.tr("地址"),
            self.tr("所属区县"),
            self.tr("联系人"),
            self.tr("联系电话"),
            self.tr("上年底职工数量"),
            self.tr("目前职工数量"),
        )
        for label, text in zip(self.form_labels, texts, strict=True):
            label.setText(text)
        self.is_key.setText(self.tr("重点企业"))
        self.draft_note.setText(self.tr("已恢复上次未保存的输入（草稿）：核对后点“保存”，或放弃草稿。"))
        self.discard_button.setText(self.tr("放弃草稿，恢复原值"))
        self._check_code(self.uscc.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _load(self) -> None:
        stored = (
            enterprises.enterprise_input(self.ctx.workspace, self.enterprise_id)
            if self.enterprise_id is not None
            else EnterpriseInput(uscc="", name="")
        )
        draft = enterprises.form_draft(self.ctx.workspace, self._draft_key)
        values = {**dataclasses.asdict(stored), **draft}
        self._set_values(values)
        self.draft_note.setVisible(bool(draft))
        self.discard_button.setVisible(bool(draft))

    def _set_values(self, values: dict[str, Any]) -> None:
        with self.autosave.loading():
            for name in TEXT_FIELDS:
                getattr(self, name).setText(str(values.get(name) or ""))
            for name in COUNT_FIELDS:
                value = values.get(name)
                getattr(self, name).setValue(NO_COUNT if value is None else int(value))
            self.is_key.setChecked(bool(values.get("is_key")))
        self._check_code(self.uscc.text())

    def _check_code(self, text: str) -> None:
        if not text.strip():
            self.uscc_status.setText(self.tr("请输入 18 位统一社会信用代码"))
            self.uscc_status.setStyleSheet("color: #616161;")
            return
        try:
            code = validate_uscc(text)
        except InvalidUSCC as error:
            self.uscc_status.setText("✗ " + str(error))
            self.uscc_status.setStyleSheet("color: #c62828;")
            return
        self.uscc_status.setText("✓ " + self.tr("代码有效：{code}").format(code=code))
        self.uscc_status.setStyleSheet("color: #2e7d32;")

    def data(self) -> EnterpriseInput:
        def count(box: QSpinBox) -> int | None:
            return None if box.value() == NO_COUNT else box.value()

        return EnterpriseInput(
            uscc=self.uscc.text(),
            name=self.name.text(),
            industry=self.industry.text(),
            address=self.address.text(),
            district=self.district.text(),
            contact_name=self.contact_name.text(),
            contact_phone=self.contact_phone.text(),
            headcount_last_year_end=count(self.headcount_last_year_end),
            headcount=count(self.headcount),
            is_key=self.is_key.isChecked(),
        )

    def _save_draft(self) -> bool:
        """The autosave's commit: every field as typed, kept until the form is saved (or the draft discarded)."""
        try:
            enterprises.save_form_draft(self.ctx.workspace, self._draft_key, dataclasses.asdict(self.data()))
        except Exception as error:
            self._show_error(error_message(error, self.ctx.workspace.paths.logs))
            return False
        return True

    def discard_draft(self) -> None:
        self.autosave.cancel()
        enterprises.discard_form_draft(self.ctx.workspace, self._draft_key)
        self._load()

    def save(self) -> None:
        """Create or update through :mod:`app.services.enterprises`; a refusal is shown inside the dialog."""
        self.autosave.flush()
        try:
            result = enterprises.save_enterprise(self.ctx.workspace, self.enterprise_id, self.data())
        except LaborCheckError as error:
            self._show_error(str(error))
            return
        except Exception as error:  # a bug: logged, shown with the log's path, the typed data stays as a draft
            self._show_error(error_message(error, self.ctx.workspace.paths.logs))
            return
        self.autosave.cancel()
        self.enterprise_id = result.value
        self.ctx.publish(result.changes, self)
        self.accept()

    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.autosave.flush()  # closed without saving: what was typed stays as the draft
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.autosave.flush()
        super().closeEvent(event)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
