"""新建体检: choose the enterprise (or add one), the campaign, the visit date, the modules and the visit inputs.

The suggested modules follow the inputs as they are typed (``suggest_modules``: a layoff module when people are
being laid off, dispatch when dispatched workers are used …) until the coordinator changes the ticks by hand;
from then on the choice is theirs.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.audit.enterprise_search import search_enterprises
from app.audit.template_store import current_templates, input_definitions
from app.audit.visits import suggest_modules
from app.services import visits
from app.services.lookups import campaigns
from app.ui import labels
from app.ui.context import UiContext
from app.ui.enterprise_form import EnterpriseForm
from app.ui.tasks import error_message
from app.ui.visit_inputs import InputsForm
from core.errors import LaborCheckError


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class NewVisitDialog(QDialog):
    """After ``accept``, :attr:`audit_id` is the started audit (committed)."""

    def __init__(self, ctx: UiContext, enterprise_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.audit_id: str | None = None
        self.enterprise_id: str | None = None
        self._modules_touched = False
        self.setWindowTitle(self.tr("新建体检"))
        self.resize(1000, 680)

        with ctx.session() as session:
            templates = current_templates(session)
            definitions = list(input_definitions(templates).values())
            self._campaigns = campaigns(session)
        self._module_titles = [(t.module.module, labels.module_title(t.module)) for t in templates]

        # enterprise
        self.enterprise_search = QLineEdit()
        self.enterprise_search.setPlaceholderText(self.tr("输入单位名称、信用代码或拼音首字母查找企业"))
        self.enterprise_list = QListWidget()
        self.enterprise_list.setMaximumHeight(150)
        self.enterprise_label = QLabel(self.tr("未选择企业"))
        self.enterprise_label.setObjectName("chosenEnterprise")
        self.enterprise_label.setWordWrap(True)
        self.add_enterprise = QPushButton(self.tr("新增企业…"))
        enterprise_box = QGroupBox(self.tr("被检查企业"))
        enterprise_layout = QVBoxLayout(enterprise_box)
        enterprise_layout.addWidget(self.enterprise_label)
        search_row = QHBoxLayout()
        search_row.addWidget(self.enterprise_search, 1)
        search_row.addWidget(self.add_enterprise)
        enterprise_layout.addLayout(search_row)
        enterprise_layout.addWidget(self.enterprise_list)

        # visit
        self.campaign = QComboBox()
        self.campaign.addItem(self.tr("（不属于专项行动）"), None)
        for campaign in self._campaigns:
            self.campaign.addItem(campaign.name, campaign.id)
        if self._campaigns:
            self.campaign.setCurrentIndex(1)
        self.visit_date = QDateEdit(qdate(ctx.today()))
        self.visit_date.setCalendarPopup(True)
        self.visit_date.setDisplayFormat("yyyy-MM-dd")
        self.co_coordinators = QLineEdit()
        self.co_coordinators.setPlaceholderText(self.tr("同行协调员姓名，用“、”分隔（可不填）"))
        visit_form = QFormLayout()
        visit_form.addRow(self.tr("专项行动"), self.campaign)
        visit_form.addRow(self.tr("体检日期"), self.visit_date)
        visit_form.addRow(self.tr("同行人员"), self.co_coordinators)

        # modules
        self.modules = QListWidget()
        for code, title in self._module_titles:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.modules.addItem(item)
        modules_box = QGroupBox(self.tr("检查模块（按录入情况建议，可修改）"))
        QVBoxLayout(modules_box).addWidget(self.modules)

        # inputs
        self.inputs = InputsForm(definitions)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.inputs)
        inputs_box = QGroupBox(self.tr("现场录入（可稍后在作答时补录）"))
        QVBoxLayout(inputs_box).addWidget(scroll)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(enterprise_box)
        left_layout.addLayout(visit_form)
        left_layout.addWidget(modules_box, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(inputs_box)
        splitter.setSizes([480, 520])

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("开始体检"))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.enterprise_search.textChanged.connect(self._search)
        self.enterprise_list.currentItemChanged.connect(self._picked)
        self.add_enterprise.clicked.connect(self._add_enterprise)
        self.modules.itemChanged.connect(self._modules_changed)
        self.inputs.changed.connect(self._suggest)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        if enterprise_id is not None:
            self.set_enterprise(enterprise_id)
        self._suggest()

    # --------------------------------------------------------------------------------------------- enterprise

    def _search(self, text: str) -> None:
        self.enterprise_list.clear()
        if not text.strip():
            return
        with self.ctx.session() as session:
            found = [(e.id, e.name, e.uscc) for e in search_enterprises(session, text, limit=20)]
        for enterprise_id, name, uscc in found:
            item = QListWidgetItem(f"{name}　{uscc}")
            item.setData(Qt.ItemDataRole.UserRole, enterprise_id)
            self.enterprise_list.addItem(item)

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.set_enterprise(item.data(Qt.ItemDataRole.UserRole))

    def _add_enterprise(self) -> None:
        form = EnterpriseForm(self.ctx, parent=self)
        if form.exec() == QDialog.DialogCode.Accepted and form.enterprise_id:
            self.set_enterprise(form.enterprise_id)

    def set_enterprise(self, enterprise_id: str) -> None:
        """Choose the enterprise; what the registry knows (headcounts, a construction enterprise) fills the visit
        inputs that are still empty, and the suggested modules follow."""
        facts = visits.registry_facts(self.ctx.workspace, enterprise_id)
        self.enterprise_id = enterprise_id
        self.enterprise_label.setText(self.tr("已选择：{name}（{uscc}）").format(name=facts.name, uscc=facts.uscc))
        prefill = facts.inputs
        current = self.inputs.values()
        self.inputs.set_values({**current, **{k: v for k, v in prefill.items() if current.get(k) is None}})
        self._suggest()

    # ------------------------------------------------------------------------------------------------ modules

    def _modules_changed(self, _item: QListWidgetItem) -> None:
        if not self._suggesting:
            self._modules_touched = True

    _suggesting = False

    def _suggest(self) -> None:
        facts = {k: v for k, v in self.inputs.values().items() if isinstance(v, bool | int | float) or v is None}
        with self.ctx.session() as session:
            suggested = set(suggest_modules(session, facts))
        self._suggesting = True
        for row in range(self.modules.count()):
            item = self.modules.item(row)
            code = item.data(Qt.ItemDataRole.UserRole)
            title = dict(self._module_titles)[code]
            item.setText(title + (self.tr("（建议）") if code in suggested else ""))
            if not self._modules_touched:
                item.setCheckState(Qt.CheckState.Checked if code in suggested else Qt.CheckState.Unchecked)
        self._suggesting = False

    def chosen_modules(self) -> list[str]:
        return [
            self.modules.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.modules.count())
            if self.modules.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_modules(self, codes: list[str]) -> None:
        """Tick exactly ``codes`` (as a coordinator would by hand)."""
        for row in range(self.modules.count()):
            item = self.modules.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._modules_touched = True

    # -------------------------------------------------------------------------------------------------- start

    def start(self) -> None:
        if self.enterprise_id is None:
            self._show_error(self.tr("请先选择或新增被检查企业"))
            return
        try:
            started = visits.start_visit(
                self.ctx.workspace,
                enterprise_id=self.enterprise_id,
                visit_date=pydate(self.visit_date.date()),
                modules=self.chosen_modules(),
                inputs=self.inputs.captured(),
                campaign_id=self.campaign.currentData(),
                co_coordinators=[n for n in self.co_coordinators.text().replace(",", "、").split("、")],
            )
        except LaborCheckError as error:
            self._show_error(str(error))
            return
        except Exception as error:  # a bug: logged; the dialog stays open with everything typed
            self._show_error(error_message(error, self.ctx.workspace.paths.logs))
            return
        self.audit_id = started.value
        self.ctx.publish(started.changes, self)
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
