"""Add or edit an enterprise. The credit code is checked as it is typed, with the precise message of
:mod:`app.audit.uscc` ("第2位…", "校验位应为…"), so the coordinator can compare it with the business licence."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.audit.enterprises import EnterpriseInput, create_enterprise, get_enterprise, input_of, update_enterprise
from app.audit.uscc import InvalidUSCC, validate_uscc
from app.ui.context import UiContext
from app.ui.tasks import error_message
from core.errors import LaborCheckError

NO_COUNT = -1


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
        self.setWindowTitle(self.tr("编辑企业") if enterprise_id else self.tr("新增企业"))
        self.setMinimumWidth(560)
        self.uscc = QLineEdit()
        self.uscc.setPlaceholderText(self.tr("18 位，见营业执照"))
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
        self.is_key = QCheckBox(self.tr("重点企业"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("统一社会信用代码"), self.uscc)
        form.addRow("", self.uscc_status)
        form.addRow(self.tr("单位名称"), self.name)
        form.addRow(self.tr("所属行业"), self.industry)
        form.addRow(self.tr("地址"), self.address)
        form.addRow(self.tr("所属区县"), self.district)
        form.addRow(self.tr("联系人"), self.contact_name)
        form.addRow(self.tr("联系电话"), self.contact_phone)
        form.addRow(self.tr("上年底职工数量"), self.headcount_last_year_end)
        form.addRow(self.tr("目前职工数量"), self.headcount)
        form.addRow("", self.is_key)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.uscc.textChanged.connect(self._check_code)
        if enterprise_id is not None:
            self._load(enterprise_id)
        self._check_code(self.uscc.text())

    def _load(self, enterprise_id: str) -> None:
        with self.ctx.session() as session:
            data = input_of(get_enterprise(session, enterprise_id))
        self.uscc.setText(data.uscc)
        self.name.setText(data.name)
        self.industry.setText(data.industry)
        self.address.setText(data.address)
        self.district.setText(data.district)
        self.contact_name.setText(data.contact_name)
        self.contact_phone.setText(data.contact_phone)
        self.headcount_last_year_end.setValue(
            NO_COUNT if data.headcount_last_year_end is None else data.headcount_last_year_end
        )
        self.headcount.setValue(NO_COUNT if data.headcount is None else data.headcount)
        self.is_key.setChecked(data.is_key)

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

    def save(self) -> None:
        """Create or update through :mod:`app.audit.enterprises`; a refusal is shown inside the dialog."""
        data = self.data()
        saved_id = self.enterprise_id
        try:
            with self.ctx.session() as session:
                if saved_id is None:
                    saved_id = create_enterprise(session, data).id
                else:
                    fields = {name: getattr(data, name) for name in data.__dataclass_fields__}
                    update_enterprise(session, saved_id, **fields)
        except LaborCheckError as error:
            self._show_error(str(error))
            return
        except Exception as error:  # a bug: logged, shown with the log's path, the typed data stays in the form
            self._show_error(error_message(error, self.ctx.workspace.paths.logs))
            return
        self.enterprise_id = saved_id
        self.ctx.events.data_changed.emit("enterprise")
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
