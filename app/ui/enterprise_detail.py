"""One enterprise: its registry facts, risk grade with the reasons behind it, visits and rectification items.

The grade is recomputed for today when the page opens (``grade_enterprise``), so the reasons shown are the
current ones even when the stored grade was computed days ago.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.audit.enterprises import get_enterprise
from app.audit.risk import grade_enterprise
from app.models import AuditStatus
from app.services import rectification
from app.services.changes import OpChanges
from app.services.lookups import AuditRow, EnterpriseRow, ItemRow, SharedItemRow, audits_of, items_of, shared_items_of
from app.ui import labels
from app.ui.context import UiContext
from app.ui.enterprise_model import GRADE_COLOURS
from app.ui.history_view import HistoryDialog
from app.ui.i18n import grade_text
from app.ui.reason_prompt import ask_reason
from core.errors import LaborCheckError


def _cell(text: str, data: str | None = None) -> QTableWidgetItem:
    cell = QTableWidgetItem(text)
    cell.setToolTip(text)
    if data is not None:
        cell.setData(Qt.ItemDataRole.UserRole, data)
    return cell


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(30)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    return table


class EnterpriseDetail(QWidget):
    open_audit = Signal(str)
    new_visit_requested = Signal(str)
    edit_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise_id: str | None = None

        self.back = QPushButton()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.grade = QLabel()
        self.grade.setObjectName("gradeBadge")
        self.edit = QPushButton()
        self.new_visit = QPushButton()
        for button in (self.back, self.edit, self.new_visit):
            button.setMinimumHeight(36)

        self.facts = QFormLayout()
        self.fact_labels: dict[str, QLabel] = {}
        self.fact_captions: dict[str, QLabel] = {}
        for key in ("uscc", "industry", "address", "district", "contact", "headcount", "is_key"):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fact_labels[key] = value
            self.fact_captions[key] = QLabel()
            self.facts.addRow(self.fact_captions[key], value)
        self.facts_box = facts_box = QGroupBox()
        facts_box.setLayout(self.facts)

        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.risk_box = risk_box = QGroupBox()
        risk_layout = QVBoxLayout(risk_box)
        risk_layout.addWidget(self.reasons)

        self.visits = _table(["", "", "", ""])
        self.visits.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.visits_box = visits_box = QGroupBox()
        QVBoxLayout(visits_box).addWidget(self.visits)

        self.items = _table(["", "", "", "", ""])
        self.items.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.items.horizontalHeader().resizeSection(4, 200)
        self.items_box = items_box = QGroupBox()
        self.item_history_button = QPushButton()
        self.revoke_button = QPushButton()
        for button in (self.item_history_button, self.revoke_button):
            button.setMinimumHeight(36)
            button.setEnabled(False)
        self.item_status = QLabel()
        self.item_status.setWordWrap(True)
        item_actions = QHBoxLayout()
        item_actions.addWidget(self.item_history_button)
        item_actions.addWidget(self.revoke_button)
        item_actions.addWidget(self.item_status, 1)
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.items)
        items_layout.addLayout(item_actions)
        self.item_rows: list[ItemRow] = []

        self.shared = _table(["", "", "", ""])
        self.shared.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.shared_box = QGroupBox()
        QVBoxLayout(self.shared_box).addWidget(self.shared)
        self.shared_box.hide()

        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.grade)
        top.addWidget(self.edit)
        top.addWidget(self.new_visit)
        upper = QHBoxLayout()
        upper.addWidget(facts_box, 3)
        upper.addWidget(risk_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(upper)
        layout.addWidget(visits_box, 1)
        layout.addWidget(items_box, 2)
        layout.addWidget(self.shared_box, 1)

        self.back.clicked.connect(self.back_requested)
        self.edit.clicked.connect(self._edit)
        self.new_visit.clicked.connect(self._new_visit)
        self.visits.itemActivated.connect(self._visit_activated)
        self.items.itemActivated.connect(self._item_activated)
        self.items.currentCellChanged.connect(lambda *_: self._update_item_buttons())
        self.item_history_button.clicked.connect(lambda: self.show_item_history(self.items.currentRow()))
        self.revoke_button.clicked.connect(lambda: self.revoke_selected())
        ctx.events.changed.connect(self._on_changes)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the interface language (again on each language change)."""
        self.back.setText(self.tr("← 返回企业列表"))
        self.edit.setText(self.tr("编辑企业信息…"))
        self.new_visit.setText(self.tr("新建体检…"))
        captions = {
            "uscc": self.tr("统一社会信用代码"),
            "industry": self.tr("所属行业"),
            "address": self.tr("地址"),
            "district": self.tr("所属区县"),
            "contact": self.tr("联系人及电话"),
            "headcount": self.tr("职工数量（上年底／目前）"),
            "is_key": self.tr("重点企业"),
        }
        for key, caption in captions.items():
            self.fact_captions[key].setText(caption)
        self.facts_box.setTitle(self.tr("基本情况"))
        self.risk_box.setTitle(self.tr("风险等级及原因"))
        self.visits.setHorizontalHeaderLabels(
            [self.tr("体检日期"), self.tr("状态"), self.tr("检查模块"), self.tr("问题数")]
        )
        self.visits_box.setTitle(self.tr("体检记录（双击打开）"))
        self.items.setHorizontalHeaderLabels(
            [self.tr("存在问题"), self.tr("严重程度"), self.tr("整改时限"), self.tr("整改负责人"), self.tr("整改情况")]
        )
        self.items_box.setTitle(self.tr("整改事项（双击查看修改记录）"))
        self.item_history_button.setText(self.tr("修改记录…"))
        self.revoke_button.setText(self.tr("撤销复查销号…"))
        self.revoke_button.setToolTip(self.tr("问题复发或销号有误时使用：须说明理由，记入修改记录"))
        self.shared.setHorizontalHeaderLabels(
            [self.tr("整改要求"), self.tr("整改时限"), self.tr("整改情况"), self.tr("协调员")]
        )
        self.shared_box.setTitle(self.tr("其他协调员在该企业的整改事项（来自区办服务器，只读）"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _edit(self) -> None:
        if self.enterprise_id is not None:
            self.edit_requested.emit(self.enterprise_id)

    def _new_visit(self) -> None:
        if self.enterprise_id is not None:
            self.new_visit_requested.emit(self.enterprise_id)

    def set_enterprise(self, enterprise_id: str) -> None:
        self.enterprise_id = enterprise_id
        self.refresh()

    def refresh(self) -> None:
        if self.enterprise_id is None:
            return
        today = self.ctx.today()
        with self.ctx.session() as session:
            enterprise = get_enterprise(session, self.enterprise_id)
            row = EnterpriseRow.of(enterprise)
            address, contact = enterprise.address, f"{enterprise.contact_name} {enterprise.contact_phone}".strip()
            last_year = enterprise.headcount_last_year_end
            grade = grade_enterprise(session, self.enterprise_id, today)
            audits = audits_of(session, self.enterprise_id)
            items = items_of(session, self.enterprise_id, today)
            shared = shared_items_of(session, self.enterprise_id, today)
        self.title.setText(row.name)
        colour = GRADE_COLOURS.get(grade.grade)
        self.grade.setText(self.tr("风险等级：{grade}").format(grade=grade_text(grade.grade)))
        self.grade.setStyleSheet(
            f"color: white; background: {colour.name() if colour else '#757575'};"
            " padding: 4px 10px; border-radius: 4px;"
        )
        none = "—"
        self.fact_labels["uscc"].setText(row.uscc)
        self.fact_labels["industry"].setText(row.industry or none)
        self.fact_labels["address"].setText(address or none)
        self.fact_labels["district"].setText(row.district or none)
        self.fact_labels["contact"].setText(contact or none)
        self.fact_labels["headcount"].setText(
            f"{none if last_year is None else last_year} ／ {none if row.headcount is None else row.headcount}"
        )
        self.fact_labels["is_key"].setText(self.tr("是") if row.is_key else self.tr("否"))
        factors = [labels.risk_factor(factor) for factor in grade.factors]
        self.reasons.setText("\n".join(f"• {text}" for text in factors) if factors else self.tr("未发现风险因素"))
        self._fill_visits(audits)
        self._fill_items(items)
        self._fill_shared(shared)

    def _fill_visits(self, audits: list[AuditRow]) -> None:
        self.visits.setRowCount(len(audits))
        for row, audit in enumerate(audits):
            status = self.tr("已完成") if audit.status is AuditStatus.FINISHED else self.tr("进行中")
            if audit.archived:
                status = self.tr("已完成（本机已归档，可取回）")
            self.visits.setItem(row, 0, _cell(audit.visit_date.isoformat(), audit.id))
            self.visits.setItem(row, 1, _cell(status))
            self.visits.setItem(row, 2, _cell(labels.module_list(audit.modules)))
            self.visits.setItem(row, 3, _cell(str(audit.findings)))
        self.visits.resizeColumnToContents(0)
        self.visits.resizeColumnToContents(1)
        if not audits:
            self.visits.setRowCount(1)
            self.visits.setItem(0, 2, _cell(self.tr("尚无体检记录：点击“新建体检…”开始")))

    def _fill_shared(self, rows: list[SharedItemRow]) -> None:
        self.shared_box.setVisible(bool(rows))
        self.shared.setRowCount(len(rows))
        for row, item in enumerate(rows):
            self.shared.setItem(row, 0, _cell(item.requirement))
            self.shared.setItem(row, 1, _cell(item.deadline.isoformat() if item.deadline else "—"))
            progress = _cell(
                labels.item_progress(
                    item.status, deadline=item.deadline, today=self.ctx.today(), verified_on=item.verified_on
                )
            )
            if item.overdue:
                progress.setForeground(GRADE_COLOURS["高"])
            self.shared.setItem(row, 2, progress)
            self.shared.setItem(row, 3, _cell(item.coordinator or "—"))
        for column in (1, 2, 3):
            self.shared.resizeColumnToContents(column)

    def _fill_items(self, items: list[ItemRow]) -> None:
        self.item_rows = items
        self.items.setRowCount(len(items))
        for row, item in enumerate(items):
            self.items.setItem(row, 0, _cell(labels.statement(item.description, item.description_en), item.id))
            self.items.setItem(row, 1, _cell(labels.severity(item.severity)))
            self.items.setItem(row, 2, _cell(item.deadline.isoformat()))
            self.items.setItem(row, 3, _cell(item.responsible_person or "—"))
            text = labels.item_progress(
                item.status,
                deadline=item.deadline,
                today=self.ctx.today(),
                submitted_at=item.submitted_at,
                verified_on=item.verified_on,
                verified_by=item.verified_by,
            )
            progress = _cell(text)
            if item.overdue:
                progress.setForeground(GRADE_COLOURS["高"])
            self.items.setItem(row, 4, progress)
        self.items.resizeColumnToContents(1)
        self.items.resizeColumnToContents(2)
        if not items:
            self.items.setRowCount(1)
            self.items.setItem(0, 0, _cell(self.tr("没有整改事项")))
        self._update_item_buttons()

    def selected_item(self) -> ItemRow | None:
        row = self.items.currentRow()
        return self.item_rows[row] if 0 <= row < len(self.item_rows) else None

    def _update_item_buttons(self) -> None:
        item = self.selected_item()
        self.item_history_button.setEnabled(item is not None)
        self.revoke_button.setEnabled(item is not None and item.verified)

    def ask_revoke_reason(self) -> str | None:
        return ask_reason(
            self,
            name="revokeReasonDialog",
            title=self.tr("撤销复查销号"),
            label=self.tr("撤销后该事项恢复为未整改，须说明理由（如：复查发现问题复发），将记入修改记录："),
        )

    def revoke_selected(self) -> bool:
        """Undo the selected item's verification with a reason; the follow-up record itself stays."""
        item = self.selected_item()
        if item is None or not item.verified:
            return False
        reason = self.ask_revoke_reason()
        if reason is None:
            return False
        try:
            changes = rectification.revoke(self.ctx.workspace, item.id, reason=reason, today=self.ctx.today())
        except LaborCheckError as error:
            self.item_status.setText(str(error))
            self.item_status.setStyleSheet("color: #c62828;")
            return False
        self.item_status.setText(self.tr("已撤销复查销号，理由已记入修改记录"))
        self.item_status.setStyleSheet("color: #2e7d32; font-weight: bold;")
        self.refresh()
        self.ctx.publish(changes, self)
        return True

    def _visit_activated(self, cell: QTableWidgetItem) -> None:
        audit_id = self.visits.item(cell.row(), 0)
        if audit_id is not None and audit_id.data(Qt.ItemDataRole.UserRole):
            self.open_audit.emit(audit_id.data(Qt.ItemDataRole.UserRole))

    def _item_activated(self, cell: QTableWidgetItem) -> None:
        self.show_item_history(cell.row())

    def show_item_history(self, row: int) -> QDialog | None:
        """The change timeline of the item in ``row`` (its edits, submission, verification, revocation)."""
        first = self.items.item(row, 0)
        item_id = first.data(Qt.ItemDataRole.UserRole) if first is not None else None
        if first is None or not item_id:
            return None
        dialog = HistoryDialog(self.ctx, item_id=item_id, title=first.text()[:30], parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_changes(self, changes: OpChanges, _initiator: object) -> None:
        shown = self.enterprise_id
        related = not changes.enterprise_ids or shown in changes.enterprise_ids or changes.audits or changes.notices
        if self.isVisible() and related and (changes.enterprises or changes.audits or changes.items or changes.sync):
            self.refresh()
