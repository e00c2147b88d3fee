"""Answering a visit: module by module, item by item, keyboard first and touch friendly.

Keys (whenever the item list has focus, which it keeps after every answer): **1** 符合, **2** 不符合, **3** 不适用,
**4** 未检查 (asks for the reason), **↑/↓** move between items, **Enter** next item, **←/→** previous/next module.
Each answer is one unit of work committed through :func:`app.services.visits.answer`; the "已保存" mark is shown
only after that commit returned, and hidden the moment a new save starts, so what it says is always true. A
refusal (e.g. :class:`RuleContradiction`: "符合" while the typed figures say otherwise) is shown in red above
the buttons, and nothing is marked saved. After an answer the page moves on to the next item that still needs
the coordinator: items the computed rules already judged, and items that need no answer, are skipped.

The note is saved as it is typed (:class:`~app.ui.autosave.Autosave`: after a pause, when focus leaves it, and
before any other item, module or page is shown), into the answer — or, before the item is answered, as its draft
note, which the answer then takes. There is no save button to forget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QColor, QHideEvent, QKeyEvent
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
from app.audit.visits import EVIDENCE_SOURCE, AuditIncomplete, ItemState, ModuleProgress, audit_templates
from app.models import AnswerStatus, Audit
from app.services import visits
from app.ui import labels
from app.ui.autosave import Autosave
from app.ui.context import UiContext
from app.ui.photos import PhotoStrip
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
        title = next(labels.module_title(s.template.module) for s in states if s.module == module)
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
            changes = visits.set_inputs(self.ctx.workspace, self.audit_id, self.form.values())
        except LaborCheckError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        except Exception as error:
            self.error.setText(error_message(error, self.ctx.workspace.paths.logs))
            self.error.show()
            return
        self.ctx.publish(changes, self)
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
        self.back = QPushButton()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.inputs_button = QPushButton()
        self.visit_record_button = QPushButton()
        self.wage_button = QPushButton()
        self.wage_button.setObjectName("wageCheckButton")
        self.finish_button = QPushButton()
        self.finish_button.setObjectName("primaryButton")
        for button in (self.back, self.inputs_button, self.wage_button, self.visit_record_button, self.finish_button):
            button.setMinimumHeight(40)
        header = QHBoxLayout()
        header.addWidget(self.back)
        header.addWidget(self.title, 1)
        header.addWidget(self.inputs_button)
        header.addWidget(self.wage_button)
        header.addWidget(self.visit_record_button)
        header.addWidget(self.finish_button)

        # modules with progress bars
        self.modules = QListWidget()
        self.modules.setObjectName("moduleList")
        self.module_bars: dict[str, QProgressBar] = {}
        self.module_titles: dict[str, QLabel] = {}
        self.module_counts: dict[str, QLabel] = {}
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
            button = QPushButton()
            button.setProperty("answerKey", key)
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
        self.note.setObjectName("answerNote")
        self.note.setMaximumHeight(80)
        self.note_autosave = Autosave(self._commit_note, self)
        self.note_autosave.watch(self.note)
        self.photos = PhotoStrip(ctx)
        self.prev_button = QPushButton()
        self.next_button = QPushButton()
        for button in (self.prev_button, self.next_button):
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
        detail_layout.addWidget(self.note)
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
        QWidget.setTabOrder(self.note, self.photos.add_button)
        QWidget.setTabOrder(self.photos.add_button, self.next_button)
        QWidget.setTabOrder(self.next_button, self.finish_button)

        self.back.clicked.connect(self.back_requested)
        self.inputs_button.clicked.connect(self.edit_inputs)
        self.visit_record_button.clicked.connect(self.edit_visit_record)
        self.wage_button.clicked.connect(self.check_wages)
        self.finish_button.clicked.connect(self.finish)
        self.modules.currentRowChanged.connect(self._module_row_changed)
        self.items.currentItemChanged.connect(self._item_changed)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.photos.photos_changed.connect(self._refresh_item_labels)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the page in the interface language (called again on a language change)."""
        self.back.setText(self.tr("← 返回"))
        self.inputs_button.setText(self.tr("录入数据…"))
        self.visit_record_button.setText(self.tr("走访记录…"))
        self.wage_button.setText(self.tr("工资考勤核查…"))
        self.finish_button.setText(self.tr("完成体检"))
        for status, button in self.status_buttons.items():
            button.setText(f"{button.property('answerKey')}  {labels.answer_status(status)}")
        self.prev_button.setText(self.tr("↑ 上一项"))
        self.next_button.setText(self.tr("下一项 ↓"))
        self.note.setPlaceholderText(self.tr("备注：所见情况、涉及人数、材料名称等（输入即自动保存）"))
        self._set_title()
        if self.states:
            self._fill_modules()
            self._refresh_item_labels()
            if self.item_id is not None:
                self._show_item(self.item_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------------------------ loading

    def set_audit(self, audit_id: str) -> None:
        self.flush_edits()
        self.audit_id = audit_id
        self.module = None
        self.item_id = None
        header = visits.header(self.ctx.workspace, audit_id)
        self.enterprise_id = header.enterprise_id
        self._header = header
        self._set_title()
        self.refresh()
        self.items.setFocus()

    def _set_title(self) -> None:
        header = getattr(self, "_header", None)
        if header is not None:
            self.title.setText(
                self.tr("体检：{name}（{date}）").format(
                    name=header.enterprise_name, date=header.visit_date.isoformat()
                )
            )

    def flush_edits(self, *, ask: bool = True) -> bool:
        """Commit the note being typed (every route away from the item, the page or the window calls this)."""
        return self.note_autosave.flush()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush_edits()
        super().hideEvent(event)

    def refresh(self) -> None:
        if self.audit_id is None:
            return
        self.states = visits.item_states(self.ctx.workspace, self.audit_id)
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
            self.module_titles.clear()
            self.module_counts.clear()
            for entry in progress:
                row = QWidget()
                box = QVBoxLayout(row)
                box.setContentsMargins(6, 4, 6, 4)
                title = QLabel(entry.title)
                title.setWordWrap(True)
                bar = QProgressBar()
                bar.setObjectName(f"progress_{entry.module}")
                bar.setTextVisible(False)
                bar.setMaximumHeight(12)
                count = QLabel()
                count.setObjectName(f"count_{entry.module}")
                bar_row = QHBoxLayout()
                bar_row.addWidget(bar, 1)
                bar_row.addWidget(count)
                box.addWidget(title)
                box.addLayout(bar_row)
                self.module_titles[entry.module] = title
                self.module_counts[entry.module] = count
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
            self.module_titles[entry.module].setText(entry.title)
            self.module_counts[entry.module].setText(f"{entry.answered} / {entry.required}")
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
        self.flush_edits()
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
            tag = labels.answer_status(state.answer.status)
        title = state.item.title or state.item.text  # items are named by title, never by code
        return self.tr("【{tag}】{title}\n{text}").format(tag=tag, title=title, text=state.item.text)

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
        self.flush_edits()  # whatever was typed for the item shown so far is committed before anything is reloaded
        self.item_id = item_id
        item = state.item
        self.error.hide()
        severity = self.tr("　严重程度：{s}").format(s=labels.severity(item.severity)) if item.severity else ""
        kind = {"signal": self.tr("　（风险信号）"), "computed": self.tr("　（计算项）")}.get(item.kind, "")
        self.item_heading.setText(f"{item.title or item.text}{kind}{severity}")
        self.item_text.setText(item.text)
        if not state.applicable:
            self.verdict.setText(self.tr("根据录入数据，本项不适用，无需作答。"))
            self.verdict.setStyleSheet("color: #616161;")
        elif state.rule_fires is True:
            self.verdict.setText(self.tr("根据录入数据判定为“不符合”。如数据有误，请点“录入数据…”更正。"))
            self.verdict.setStyleSheet("color: #c62828; font-weight: bold;")
        elif state.answer is not None and state.answer.source == EVIDENCE_SOURCE:
            self.verdict.setText(
                self.tr(
                    "根据工资考勤核查判定为“不符合”，问题表述按核查结果生成。如有劳动者不应计入，请在“工资考勤核查…”中排除。"
                )
            )
            self.verdict.setStyleSheet("color: #c62828; font-weight: bold;")
        else:
            self.verdict.setText("")
        self.verdict.setVisible(bool(self.verdict.text()))
        figures = [labels.figure(f) for f in state.figures]
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
        self.note_autosave.cancel()
        with self.note_autosave.loading():
            note = visits.note_of(self.ctx.workspace, self.audit_id, item.id) if self.audit_id else ""
            if note != self.note.toPlainText():
                self.note.setPlainText(note)
        self.note.setEnabled(state.needs_answer)
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
            self.advance()
        self.items.setFocus()
        return True

    def _save(self, state: ItemState, status: AnswerStatus, skip_reason: str | None) -> bool:
        self.saved_label.hide()
        self.error.hide()
        assert self.audit_id is not None
        try:
            changes = visits.answer(
                self.ctx.workspace,
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
        self.note_autosave.cancel()  # the note went with the answer
        self._show_saved()
        self.refresh()
        self.ctx.publish(changes, self)
        self.saved.emit()
        return True

    def _show_saved(self, text: str | None = None) -> None:
        time = QTime.currentTime().toString("HH:mm:ss")
        self.saved_label.setText(text or self.tr("已保存 {time}").format(time=time))
        self.saved_label.show()

    def _commit_note(self) -> bool:
        """The autosave's commit: the note as typed, into the answer or the item's draft note."""
        state = self.state(self.item_id)
        if self.audit_id is None or state is None or not state.needs_answer:
            return True
        self.saved_label.hide()
        try:
            saved = visits.save_note(self.ctx.workspace, self.audit_id, state.item.id, self.note.toPlainText())
        except LaborCheckError as error:
            self._failed(str(error))
            return False
        except Exception as error:
            self._failed(error_message(error, self.ctx.workspace.paths.logs))
            return False
        if saved.value == "draft":
            self._show_saved(
                self.tr("备注已保存 {time}（作答时一并记录）").format(time=QTime.currentTime().toString("HH:mm:ss"))
            )
        else:
            self._show_saved()
        self.ctx.publish(saved.changes, self)
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

    # --------------------------------------------------------------------------------------------- navigation

    def advance(self) -> None:
        """Move to the next item that still needs the coordinator (across modules); items the computed rules
        already judged non-compliant and items that need no answer are passed over."""
        order = [s for s in self.states]
        position = next((i for i, s in enumerate(order) if s.item.id == self.item_id), -1)
        for state in order[position + 1 :]:
            if state.needs_answer and state.rule_fires is not True:
                self.go_to(state.item.id)
                return
        self.step(1)

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
        self.flush_edits()
        self.item_id = item_id
        self._select_module(state.module)
        self.items.setFocus()

    # ------------------------------------------------------------------------------------------ inputs, finish

    def edit_inputs(self) -> None:
        if self.audit_id is None:
            return
        self.flush_edits()
        if InputsDialog(self.ctx, self.audit_id, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self._show_saved(self.tr("录入数据已保存"))

    def edit_visit_record(self) -> None:
        """Arrival and departure, who received the visit, documents inspected (reviewers ask for them)."""
        if self.audit_id is None:
            return
        from app.ui.visit_record_dialog import VisitRecordDialog

        self.flush_edits()
        dialog = VisitRecordDialog(self.ctx, self.audit_id, self)
        dialog.exec()
        if dialog.committed:
            self._show_saved(self.tr("走访记录已保存"))

    def check_wages(self) -> QDialog | None:
        """The wage check of this visit (payroll and attendance sheets); the answers it feeds are shown after."""
        if self.audit_id is None:
            return None
        from app.ui.wage_check_dialog import WageCheckDialog

        self.flush_edits()  # what was typed for the item shown is kept before the check reloads the answers
        dialog = WageCheckDialog(self.ctx, self.audit_id, self)
        dialog.finished.connect(lambda _code: self.set_audit(self.audit_id) if self.audit_id else None)
        dialog.open()
        return dialog

    def finish(self) -> bool:
        if self.audit_id is None or not self.flush_edits():
            return False
        try:
            finished = visits.finish(self.ctx.workspace, self.audit_id, today=self.ctx.today())
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
        self.ctx.publish(finished.changes, self)
        self.finished.emit(self.audit_id)
        return True


__all__ = ["AnswerPage", "InputsDialog"]
