"""Answering a visit: module by module, item by item, keyboard first and touch friendly.

Keys (whenever the item list has focus, which it keeps after every answer): **1** 符合, **2** 不符合, **3** 不适用,
**4** 未检查 (asks for the reason), **↑/↓** move between items, **Enter** next item, **←/→** previous/next module.
Each answer is one unit of work committed through :func:`app.audit.visits.answer_item`; the "已保存" mark is shown
only after that commit returned, and hidden the moment a new save starts, so what it says is always true. A
refusal (e.g. :class:`RuleContradiction`: "符合" while the typed figures say otherwise) is shown in red above
the buttons, and nothing is marked saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.audit.template_store import input_definitions
from app.audit.visits import (
    STATUS_LABELS,
    AuditIncomplete,
    ItemState,
    ModuleProgress,
    answer_item,
    audit_templates,
    finish_audit,
    item_states,
    set_inputs,
)
from app.models import AnswerStatus, Audit
from app.ui.context import UiContext
from app.ui.photos import PhotoStrip
from app.ui.queries import audit_header
from app.ui.reason_prompt import ask_reason
from app.ui.tasks import error_message
from app.ui.visit_inputs import InputsForm
from core.errors import LaborCheckError

KEY_STATUS = {
    Qt.Key.Key_1: AnswerStatus.COMPLIANT,
    Qt.Key.Key_2: AnswerStatus.NON_COMPLIANT,
    Qt.Key.Key_3: AnswerStatus.NOT_APPLICABLE,
    Qt.Key.Key_4: AnswerStatus.NOT_CHECKED,
}
STATUS_COLOURS = {
    AnswerStatus.COMPLIANT: QColor("#2e7d32"),
    AnswerStatus.NON_COMPLIANT: QColor("#c62828"),
    AnswerStatus.NOT_APPLICABLE: QColor("#616161"),
    AnswerStatus.NOT_CHECKED: QColor("#ef6c00"),
}


def _module_progress(states: list[ItemState]) -> list[ModuleProgress]:
    result: list[ModuleProgress] = []
    for module in dict.fromkeys(s.module for s in states):
        mine = [s for s in states if s.module == module and s.needs_answer]
        title = next(s.template.module.title for s in states if s.module == module)
        result.append(ModuleProgress(module, title, sum(1 for s in mine if s.answer is not None), len(mine)))
    return result


class _KeyFilter(QObject):
    """Routes the answer keys of the item list to the page before the list's own type-ahead search sees them."""

    def __init__(self, handler: Callable[[QKeyEvent], bool], parent: QObject) -> None:
        super().__init__(parent)
        self._handler = handler

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._handler(event)
        return False


class InputsDialog(QDialog):
    """Correct or complete the visit inputs; saved through ``set_inputs`` (rules re-applied)."""

    def __init__(self, ctx: UiContext, audit_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.audit_id = ctx, audit_id
        self.setWindowTitle(self.tr("现场录入数据"))
        self.resize(620, 640)
        with ctx.session() as session:
            audit = session.get_one(Audit, audit_id)
            definitions = list(input_definitions(audit_templates(session, audit)).values())
            values = dict(audit.inputs)
        self.form = InputsForm(definitions)
        self.form.set_values(values)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            with self.ctx.session() as session:
                set_inputs(session, self.audit_id, self.form.values())
        except LaborCheckError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        except Exception as error:
            self.error.setText(error_message(error, self.ctx.workspace.paths.logs))
            self.error.show()
            return
        self.accept()


class AnswerPage(QWidget):
    finished = Signal(str)
    back_requested = Signal()
    saved = Signal()
    save_failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.audit_id: str | None = None
        self.enterprise_id: str | None = None
        self.states: list[ItemState] = []
        self.module: str | None = None
        self.item_id: str | None = None

        # header
        self.back = QPushButton(self.tr("← 返回"))
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.inputs_button = QPushButton(self.tr("录入数据…"))
        self.visit_record_button = QPushButton(self.tr("走访记录…"))
        self.finish_button = QPushButton(self.tr("完成体检"))
        self.finish_button.setObjectName("primaryButton")
        for button in (self.back, self.inputs_button, self.visit_record_button, self.finish_button):
            button.setMinimumHeight(40)
        header = QHBoxLayout()
        header.addWidget(self.back)
        header.addWidget(self.title, 1)
        header.addWidget(self.inputs_button)
        header.addWidget(self.visit_record_button)
        header.addWidget(self.finish_button)

        # modules with progress bars
        self.modules = QListWidget()
        self.modules.setObjectName("moduleList")
        self.module_bars: dict[str, QProgressBar] = {}
        self.modules.setMinimumWidth(220)
        self.modules.setMaximumWidth(300)

        # items of the current module
        self.items = QListWidget()
        self.items.setObjectName("itemList")
        self.items.setMinimumWidth(240)
        self.items.setWordWrap(True)
        self.items.setSpacing(2)
        self.items.setResizeMode(QListView.ResizeMode.Adjust)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.installEventFilter(_KeyFilter(self._key, self))

        # the current item
        self.item_heading = QLabel()
        self.item_heading.setObjectName("itemHeading")
        self.item_text = QLabel()
        self.item_text.setObjectName("itemText")
        self.item_text.setWordWrap(True)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setObjectName("verdict")
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setObjectName("figures")
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.basis = QLabel()
        self.basis.setWordWrap(True)
        self.basis.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guidance = QLabel()
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet("color: #616161;")
        self.status_buttons: dict[AnswerStatus, QPushButton] = {}
        buttons_row = QHBoxLayout()
        for key, status in zip("1234", AnswerStatus.__members__.values(), strict=False):
            button = QPushButton(f"{key}  {STATUS_LABELS[status]}")
            button.setCheckable(True)
            button.setMinimumHeight(52)
            button.setMinimumWidth(110)
            button.setObjectName(f"status_{status.value}")
            button.clicked.connect(lambda _checked=False, s=status: self.answer(s))
            self.status_buttons[status] = button
            buttons_row.addWidget(button)
        self.error = QLabel()
        self.error.setObjectName("saveError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: white; background: #c62828; padding: 6px; border-radius: 4px;")
        self.error.hide()
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setStyleSheet("color: #2e7d32; font-weight: bold;")
        self.saved_label.hide()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("备注：所见情况、涉及人数、材料名称等（随答案一起保存）"))
        self.note.setMaximumHeight(80)
        self.save_note = QPushButton(self.tr("保存备注"))
        self.photos = PhotoStrip(ctx)
        self.prev_button = QPushButton(self.tr("↑ 上一项"))
        self.next_button = QPushButton(self.tr("下一项 ↓"))
        for button in (self.prev_button, self.next_button, self.save_note):
            button.setMinimumHeight(40)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.item_heading)
        detail_layout.addWidget(self.item_text)
        detail_layout.addWidget(self.verdict)
        detail_layout.addWidget(self.figures)
        detail_layout.addWidget(self.evidence)
        detail_layout.addWidget(self.basis)
        detail_layout.addWidget(self.guidance)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        detail_layout.addWidget(line)
        detail_layout.addLayout(buttons_row)
        detail_layout.addWidget(self.error)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note, 1)
        note_row.addWidget(self.save_note, 0, Qt.AlignmentFlag.AlignBottom)
        detail_layout.addLayout(note_row)
        detail_layout.addWidget(self.photos)
        detail_layout.addStretch(1)
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        nav.addWidget(self.saved_label)
        detail_layout.addLayout(nav)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(detail)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        splitter = QSplitter()
        splitter.addWidget(self.modules)
        splitter.addWidget(self.items)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([230, 280, 760])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)

        QWidget.setTabOrder(self.items, self.note)
        QWidget.setTabOrder(self.note, self.save_note)
        QWidget.setTabOrder(self.save_note, self.photos.add_button)
        QWidget.setTabOrder(self.photos.add_button, self.next_button)
        QWidget.setTabOrder(self.next_button, self.finish_button)

        self.back.clicked.connect(self.back_requested)
        self.inputs_button.clicked.connect(self.edit_inputs)
        self.visit_record_button.clicked.connect(self.edit_visit_record)
        self.finish_button.clicked.connect(self.finish)
        self.modules.currentRowChanged.connect(self._module_row_changed)
        self.items.currentItemChanged.connect(self._item_changed)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.save_note.clicked.connect(self._save_note)
        self.photos.photos_changed.connect(self._refresh_item_labels)

    # ------------------------------------------------------------------------------------------------ loading

    def set_audit(self, audit_id: str) -> None:
        self.audit_id = audit_id
        self.module = None
        self.item_id = None
        with self.ctx.session() as session:
            enterprise_id, name, visit_date, _status = audit_header(session, audit_id)
        self.enterprise_id = enterprise_id
        self.title.setText(self.tr("体检：{name}（{date}）").format(name=name, date=visit_date.isoformat()))
        self.refresh()
        self.items.setFocus()

    def refresh(self) -> None:
        if self.audit_id is None:
            return
        with self.ctx.session() as session:
            self.states = item_states(session, self.audit_id)
        self._fill_modules()
        if self.module is None and self.states:
            self.module = self.states[0].module
        self._select_module(self.module)

    def _fill_modules(self) -> None:
        progress = _module_progress(self.states)
        self.modules.blockSignals(True)
        if self.modules.count() != len(progress):
            self.modules.clear()
            self.module_bars.clear()
            for entry in progress:
                row = QWidget()
                box = QVBoxLayout(row)
                box.setContentsMargins(6, 4, 6, 4)
                title = QLabel(entry.title)
                title.setWordWrap(True)
                bar = QProgressBar()
                bar.setObjectName(f"progress_{entry.module}")
                bar.setFormat("%v / %m")
                bar.setMaximumHeight(18)
                box.addWidget(title)
                box.addWidget(bar)
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, entry.module)
                item.setSizeHint(row.sizeHint())
                self.modules.addItem(item)
                self.modules.setItemWidget(item, row)
                self.module_bars[entry.module] = bar
        for entry in progress:
            bar = self.module_bars[entry.module]
            bar.setMaximum(max(entry.required, 1))
            bar.setValue(entry.answered if entry.required else 1)
        self.modules.blockSignals(False)

    def module_codes(self) -> list[str]:
        return [self.modules.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.modules.count())]

    def _select_module(self, module: str | None) -> None:
        codes = self.module_codes()
        if module not in codes:
            return
        self.modules.blockSignals(True)
        self.modules.setCurrentRow(codes.index(module))
        self.modules.blockSignals(False)
        self.module = module
        self._fill_items()

    def _module_row_changed(self, row: int) -> None:
        codes = self.module_codes()
        if 0 <= row < len(codes):
            self.item_id = None
            self._select_module(codes[row])

    def module_states(self) -> list[ItemState]:
        return [s for s in self.states if s.module == self.module]

    def _item_label(self, state: ItemState) -> str:
        if not state.applicable:
            tag = self.tr("不适用")
        elif not state.needs_answer:
            tag = self.tr("计算")
        elif state.answer is None:
            tag = self.tr("待答")
        else:
            tag = STATUS_LABELS[state.answer.status]
        return f"【{tag}】{state.item.title or state.item.text}\n{state.item.text}"  # named by title, never by code

    def _fill_items(self) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        target = 0
        for index, state in enumerate(self.module_states()):
            item = QListWidgetItem(self._item_label(state))
            item.setData(Qt.ItemDataRole.UserRole, state.item.id)
            if state.answer is not None:
                item.setForeground(STATUS_COLOURS[state.answer.status])
            elif not state.needs_answer:
                item.setForeground(QColor("#9e9e9e"))
            self.items.addItem(item)
            if state.item.id == self.item_id:
                target = index
        self.items.blockSignals(False)
        if self.items.count():
            self.items.setCurrentRow(target)
            self._show_item(self.items.item(target).data(Qt.ItemDataRole.UserRole))

    def _refresh_item_labels(self) -> None:
        for row in range(self.items.count()):
            state = self.state(self.items.item(row).data(Qt.ItemDataRole.UserRole))
            if state is not None:
                self.items.item(row).setText(self._item_label(state))

    def state(self, item_id: str | None) -> ItemState | None:
        return next((s for s in self.states if s.item.id == item_id), None)

    def _item_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self._show_item(current.data(Qt.ItemDataRole.UserRole))

    def _show_item(self, item_id: str) -> None:
        state = self.state(item_id)
        if state is None:
            return
        self.item_id = item_id
        item = state.item
        self.error.hide()
        severity = self.tr("　严重程度：{s}").format(s=item.severity) if item.severity else ""
        kind = {"signal": self.tr("　（风险信号）"), "computed": self.tr("　（计算项）")}.get(item.kind, "")
        self.item_heading.setText(f"{item.title or item.text}{kind}{severity}")
        self.item_text.setText(item.text)
        if not state.applicable:
            self.verdict.setText(self.tr("根据录入数据，本项不适用，无需作答。"))
            self.verdict.setStyleSheet("color: #616161;")
        elif state.rule_fires is True:
            self.verdict.setText(self.tr("根据录入数据判定为“不符合”。如数据有误，请点“录入数据…”更正。"))
            self.verdict.setStyleSheet("color: #c62828; font-weight: bold;")
        else:
            self.verdict.setText("")
        self.verdict.setVisible(bool(self.verdict.text()))
        figures = [f.text for f in state.figures]
        self.figures.setText(self.tr("计算结果：") + "；".join(figures) if figures else "")
        self.figures.setVisible(bool(figures))
        self.evidence.setText(self.tr("查看材料：") + "、".join(item.evidence) if item.evidence else "")
        self.evidence.setVisible(bool(item.evidence))
        citations = state.citations
        self.basis.setText(self.tr("法律依据：") + "；".join(citations) if citations else "")
        self.basis.setVisible(bool(citations))
        self.guidance.setText(item.note or "")
        self.guidance.setVisible(bool(item.note))
        answer = state.answer
        for status, button in self.status_buttons.items():
            button.setEnabled(state.needs_answer)
            button.setChecked(answer is not None and answer.status is status)
        self.note.setPlainText(answer.note if answer else "")
        self.note.setEnabled(state.needs_answer)
        self.save_note.setEnabled(state.needs_answer and answer is not None)
        if self.audit_id is not None:
            self.photos.set_target(self.audit_id, item.id)

    # ------------------------------------------------------------------------------------------------ answers

    def _key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if key in KEY_STATUS:
            self.answer(KEY_STATUS[key])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step(1)
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.move_module(-1 if key == Qt.Key.Key_Left else 1)
            return True
        return False

    def ask_skip_reason(self) -> str | None:
        return ask_reason(
            self,
            name="skipReasonDialog",
            title=self.tr("未检查"),
            label=self.tr("请说明未检查的理由（如：企业未能提供材料）："),
        )

    def answer(self, status: AnswerStatus) -> bool:
        """Save the answer for the current item; advance on success. Returns whether it was committed."""
        state = self.state(self.item_id)
        if self.audit_id is None or state is None:
            return False
        self._sync_buttons(state)
        if not state.needs_answer:
            return False
        skip_reason = None
        if status is AnswerStatus.NOT_CHECKED:
            skip_reason = self.ask_skip_reason()
            if skip_reason is None:
                self.items.setFocus()
                return False
        if not self._save(state, status, skip_reason):
            return False
        if status is not AnswerStatus.NON_COMPLIANT:  # a non-compliance usually wants a note or photo first
            self.step(1)
        self.items.setFocus()
        return True

    def _save(self, state: ItemState, status: AnswerStatus, skip_reason: str | None) -> bool:
        self.saved_label.hide()
        self.error.hide()
        assert self.audit_id is not None
        try:
            with self.ctx.session() as session:
                answer_item(
                    session,
                    self.audit_id,
                    state.item.id,
                    status,
                    note=self.note.toPlainText(),
                    skip_reason=skip_reason,
                )
        except LaborCheckError as error:
            self._failed(str(error))
            return False
        except Exception as error:
            self._failed(error_message(error, self.ctx.workspace.paths.logs))
            return False
        self.saved_label.setText(self.tr("已保存 {time}").format(time=QTime.currentTime().toString("HH:mm:ss")))
        self.saved_label.show()
        self.refresh()
        self.ctx.events.data_changed.emit("audit")
        self.saved.emit()
        return True

    def _failed(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.save_failed.emit(text)
        state = self.state(self.item_id)
        if state is not None:
            self._sync_buttons(state)

    def _sync_buttons(self, state: ItemState) -> None:
        for status, button in self.status_buttons.items():
            button.setChecked(state.answer is not None and state.answer.status is status)

    def _save_note(self) -> None:
        state = self.state(self.item_id)
        if state is not None and state.answer is not None:
            self._save(state, state.answer.status, state.answer.skip_reason or None)

    # --------------------------------------------------------------------------------------------- navigation

    def step(self, step: int) -> None:
        row = self.items.currentRow() + step
        if 0 <= row < self.items.count():
            self.items.setCurrentRow(row)
        elif step > 0:
            self.move_module(1)
        self.items.setFocus()

    def move_module(self, step: int) -> None:
        row = self.modules.currentRow() + step
        if 0 <= row < self.modules.count():
            self.modules.setCurrentRow(row)
        self.items.setFocus()

    def go_to(self, item_id: str) -> None:
        state = self.state(item_id)
        if state is None:
            return
        self.item_id = item_id
        self._select_module(state.module)
        self.items.setFocus()

    # ------------------------------------------------------------------------------------------ inputs, finish

    def edit_inputs(self) -> None:
        if self.audit_id is None:
            return
        if InputsDialog(self.ctx, self.audit_id, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.saved_label.setText(self.tr("录入数据已保存"))
            self.saved_label.show()
            self.ctx.events.data_changed.emit("audit")

    def edit_visit_record(self) -> None:
        """Arrival and departure, who received the visit, documents inspected (reviewers ask for them)."""
        if self.audit_id is None:
            return
        from app.ui.visit_record_dialog import VisitRecordDialog

        if VisitRecordDialog(self.ctx, self.audit_id, self).exec() == QDialog.DialogCode.Accepted:
            self.saved_label.setText(self.tr("走访记录已保存"))
            self.saved_label.show()

    def finish(self) -> bool:
        if self.audit_id is None:
            return False
        try:
            with self.ctx.session() as session:
                finish_audit(session, self.audit_id, today=self.ctx.today())
        except AuditIncomplete as error:
            QMessageBox.information(self, self.tr("尚未完成"), str(error))
            if error.missing:
                self.go_to(error.missing[0])
            return False
        except LaborCheckError as error:
            self._failed(str(error))
            return False
        except Exception as error:
            self._failed(error_message(error, self.ctx.workspace.paths.logs))
            return False
        self.ctx.events.data_changed.emit("audit")
        self.ctx.events.data_changed.emit("items")
        self.finished.emit(self.audit_id)
        return True


__all__ = ["AnswerPage", "InputsDialog"]
