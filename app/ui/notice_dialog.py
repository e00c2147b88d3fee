"""The rectification notice on site: preview, both signatures, sign (which freezes it), print or save.

The flow follows the record's life in ``app.audit.notices``: opening the dialog drafts the audit's notice (or
refreshes the draft, so edits to findings show), the coordinator and the enterprise's representative sign on
:class:`SignaturePad` widgets, signing stores both images (``add_signature``) and freezes the notice
(``sign_notice``) in one transaction. From then on the dialog is read-only: it can print and save the PDF, and
the only change left is to void the notice with a reason, which drafts its replacement (``reissue_notice``).
Drafting, rendering and signing run on workers; the preview is the PDF itself, shown with QtPdf.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models import NoticeStatus
from app.services import notices
from app.services.changes import OpResult
from app.services.notices import NoticeState
from app.ui.context import UiContext
from app.ui.printing import PrintJob, a4_printer
from app.ui.signature_pad import SignaturePad
from app.ui.tasks import ProgressFn, error_message


class SignatureBox(QGroupBox):
    """A signature pad with its undo / redo / clear buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pad = SignaturePad()
        self.undo_button, self.redo_button, self.clear_button = QPushButton(), QPushButton(), QPushButton()
        self.undo_button.clicked.connect(self.pad.undo)
        self.redo_button.clicked.connect(self.pad.redo)
        self.clear_button.clicked.connect(self.pad.clear)
        self.pad.changed.connect(self._update)
        self.extra = QHBoxLayout()
        buttons = QHBoxLayout()
        for button in (self.undo_button, self.redo_button, self.clear_button):
            button.setMinimumHeight(34)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.extra)
        layout.addWidget(self.pad)
        layout.addLayout(buttons)
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        self.undo_button.setText(self.tr("撤销一笔"))
        self.redo_button.setText(self.tr("恢复"))
        self.clear_button.setText(self.tr("清除重签"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update(self) -> None:
        editable = not self.pad.is_read_only()
        self.undo_button.setEnabled(self.pad.can_undo())
        self.redo_button.setEnabled(self.pad.can_redo())
        self.clear_button.setEnabled(editable and self.pad.stroke_count() > 0)
        for button in (self.undo_button, self.redo_button, self.clear_button):
            button.setVisible(editable)

    def lock(self, png: bytes | None) -> None:
        if png:
            self.pad.show_image(png)
        else:
            self.pad.set_read_only(True)
        self._update()


class NoticeDialog(QDialog):
    """整改通知书: preview → two signatures → sign (locks) → print / save; void with a reason and re-issue."""

    def __init__(self, ctx: UiContext, audit_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.audit_id = audit_id
        self.state: NoticeState | None = None
        self.last_error = ""
        self._busy = False
        self._buffer: QBuffer | None = None
        self.printer = a4_printer()
        """Kept between prints: the coordinator's printer choice stays for the dialog's life."""
        self.print_job: PrintJob | None = None
        self.setModal(True)
        self.resize(1300, 720)

        self.document = QPdfDocument(self)
        self.preview = QPdfView()
        self.preview.setDocument(self.document)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview_message = QLabel()
        self.preview_message.setWordWrap(True)
        self.preview_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_message.hide()

        self.header = QLabel()
        self.header.setObjectName("pageTitle")
        self.header.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.font_warning = QLabel()
        self.font_warning.setWordWrap(True)
        self.font_warning.setObjectName("warning")
        self.font_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.font_warning.hide()
        self.coordinator_box = SignatureBox()
        self.enterprise_box = SignatureBox()
        self.signer_label = QLabel()
        self.signer = QLineEdit()
        self.signer.setMinimumHeight(32)
        self.enterprise_box.extra.addWidget(self.signer_label)
        self.enterprise_box.extra.addWidget(self.signer, 1)
        self.sign_button = QPushButton()
        self.sign_button.setObjectName("primaryButton")
        self.sign_button.setMinimumHeight(44)
        self.sign_button.clicked.connect(self.sign)
        for box in (self.coordinator_box, self.enterprise_box):
            box.pad.changed.connect(self._update_buttons)
        self.signer.textChanged.connect(self._update_buttons)

        self.print_button, self.save_button = QPushButton(), QPushButton()
        self.print_button.clicked.connect(self.print_notice)
        self.save_button.clicked.connect(self._ask_save)
        self.void_box = QGroupBox()
        self.void_reason = QLineEdit()
        self.void_button = QPushButton()
        self.void_button.clicked.connect(self._void_clicked)
        void_layout = QHBoxLayout(self.void_box)
        void_layout.addWidget(self.void_reason, 1)
        void_layout.addWidget(self.void_button)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)

        actions = QHBoxLayout()
        actions.addWidget(self.print_button)
        actions.addWidget(self.save_button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.header)
        side_layout.addWidget(self.status_label)
        side_layout.addWidget(self.font_warning)
        side_layout.addWidget(self.coordinator_box)
        side_layout.addWidget(self.enterprise_box)
        side_layout.addWidget(self.sign_button)
        side_layout.addWidget(self.void_box)
        side_layout.addStretch(1)
        side_layout.addLayout(actions)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(side)
        scroll.setMinimumWidth(500)
        preview_side = QWidget()
        preview_layout = QVBoxLayout(preview_side)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.preview, 1)
        preview_layout.addWidget(self.preview_message)
        splitter = QSplitter()
        splitter.addWidget(preview_side)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.retranslate()
        self._set_busy(True)
        self.load()

    # --- texts --------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("整改通知书"))
        self.coordinator_box.setTitle(self.tr("协调员签名"))
        self.enterprise_box.setTitle(self.tr("企业代表签名"))
        self.signer_label.setText(self.tr("企业代表姓名"))
        self.signer.setPlaceholderText(self.tr("签收人姓名"))
        self.sign_button.setText(self.tr("确认签署（签署后不可修改）"))
        self.print_button.setText(self.tr("打印…"))
        self.save_button.setText(self.tr("另存为 PDF…"))
        self.void_box.setTitle(self.tr("作废并重新出具"))
        self.void_reason.setPlaceholderText(self.tr("作废理由（必填），如：整改时限填写有误"))
        self.void_button.setText(self.tr("作废并重新出具"))
        self.close_button.setText(self.tr("关闭"))
        self._show_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _status_text(self, state: NoticeState) -> str:
        if state.status is NoticeStatus.SIGNED:
            return self.tr("已签署（协调员：{coordinator}；企业代表：{enterprise}）。通知书已锁定，不能修改。").format(
                coordinator=state.coordinator_signer, enterprise=state.enterprise_signer
            )
        if state.status is NoticeStatus.VOIDED:
            return self.tr("已作废：{reason}").format(reason=state.void_reason)
        if state.problems == 0:
            return self.tr("草稿。本次体检未发现需要整改的问题，无需签署整改通知书。")
        return self.tr("草稿，共 {count} 个问题。请协调员和企业代表分别签名后确认签署。").format(count=state.problems)

    def _show_state(self) -> None:
        state = self.state
        if state is None:
            self.header.setText(self.tr("正在生成整改通知书…"))
            self.status_label.setText("")
            self._update_buttons()
            return
        self.header.setText(f"{state.number}\n{state.enterprise_name}")
        self.status_label.setText(self._status_text(state))
        self.font_warning.setText(self.tr("字体提示（预览与打印所用字体）：") + "\n" + state.font_report)
        self.font_warning.setVisible(bool(state.font_report))
        if state.pdf is None:
            error = state.pdf_error
            text = error_message(error, self.ctx.workspace.paths.logs) if error is not None else ""
            self.preview_message.setText(text or self.tr("预览暂不可用"))
            self.preview_message.show()
        else:
            self.preview_message.hide()
        self._update_buttons()

    # --- state --------------------------------------------------------------------------------------------------

    def is_locked(self) -> bool:
        return self.state is not None and self.state.status is not NoticeStatus.DRAFT

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        state = self.state
        draft = state is not None and state.status is NoticeStatus.DRAFT
        signed = state is not None and state.status is NoticeStatus.SIGNED
        ready = (
            draft
            and state is not None
            and state.problems > 0
            and not self.coordinator_box.pad.is_empty()
            and not self.enterprise_box.pad.is_empty()
            and bool(self.signer.text().strip())
        )
        self.sign_button.setVisible(draft)
        self.sign_button.setEnabled(bool(ready) and not self._busy)
        self.signer.setReadOnly(not draft)
        self.void_box.setVisible(signed)
        self.void_button.setEnabled(signed and not self._busy)
        has_pdf = state is not None and state.pdf is not None
        self.save_button.setEnabled(has_pdf and not self._busy)
        self.print_button.setEnabled(has_pdf and not self._busy)

    def _warn(self, text: str) -> None:
        self.last_error = text
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._warn(error_message(error, self.ctx.workspace.paths.logs))

    # --- loading ------------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Draft or refresh the notice, render it and show it (on a worker)."""
        today = self.ctx.today()
        audit_id = self.audit_id

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> OpResult[NoticeState]:
            opened = notices.notice_to_work_on(ws, audit_id, today)
            return OpResult(notices.notice_state(ws, opened.value), opened.changes)

        self.ctx.run_op(work, name="notice: load", on_done=self._loaded, on_failed=self._failed, owner=self)

    def _loaded(self, state: NoticeState) -> None:
        first = self.state is None or self.state.notice_id != state.notice_id
        self.state = state
        if state.pdf is not None:
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(state.pdf))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document.close()
            self.document.load(self._buffer)
        if state.status is NoticeStatus.DRAFT:
            if first:
                self.signer.setText(state.enterprise_signer or state.contact_name)
                for box in (self.coordinator_box, self.enterprise_box):
                    box.pad.reset()
        else:
            self.signer.setText(state.enterprise_signer)
            self.coordinator_box.lock(state.coordinator_signature)
            self.enterprise_box.lock(state.enterprise_signature)
        self._set_busy(False)
        self._show_state()

    # --- actions ------------------------------------------------------------------------------------------------

    def sign(self) -> None:
        """Store both signatures and sign the notice; the dialog reloads it read-only."""
        state = self.state
        if state is None or state.status is not NoticeStatus.DRAFT or self._busy:
            return
        if self.coordinator_box.pad.is_empty() or self.enterprise_box.pad.is_empty():
            self._warn(self.tr("请协调员和企业代表都签名后再确认签署。"))
            return
        coordinator_png = self.coordinator_box.pad.to_png()
        enterprise_png = self.enterprise_box.pad.to_png()
        signer = self.signer.text()
        self._set_busy(True)

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> OpResult[NoticeState]:
            changes = notices.sign(ws, state.notice_id, coordinator_png, signer, enterprise_png)
            return OpResult(notices.notice_state(ws, state.notice_id), changes)

        self.ctx.run_op(work, name="notice: sign", on_done=self._loaded, on_failed=self._failed, owner=self)

    def _void_clicked(self) -> None:
        self.void_and_reissue(self.void_reason.text())

    def void_and_reissue(self, reason: str) -> None:
        """Void the signed notice with ``reason`` (required) and draft its replacement."""
        state = self.state
        if state is None or state.status is not NoticeStatus.SIGNED or self._busy:
            return
        today = self.ctx.today()
        self._set_busy(True)

        ws = self.ctx.workspace  # workers never hold the page or the context (Qt objects)

        def work(cancel: threading.Event, progress: ProgressFn) -> OpResult[NoticeState]:
            reissued = notices.reissue(ws, state.notice_id, reason, today)
            return OpResult(notices.notice_state(ws, reissued.value), reissued.changes)

        self.ctx.run_op(work, name="notice: reissue", on_done=self._reissued, on_failed=self._failed, owner=self)

    def _reissued(self, state: NoticeState) -> None:
        self.void_reason.clear()
        self._loaded(state)

    def _ask_save(self) -> None:
        if self.state is None:
            return
        default = self.ctx.workspace.paths.exports / f"整改通知书-{self.state.number}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存整改通知书"), str(default), self.tr("PDF 文件 (*.pdf)")
        )
        if name:
            self.save_pdf(Path(name))

    def save_pdf(self, path: Path) -> None:
        if self.state is None or self.state.pdf is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.state.pdf)
        except OSError as error:
            self._warn(self.tr("无法保存文件：{error}").format(error=error.strerror or str(error)))
            return
        self.status_label.setText(self.tr("已保存：{path}").format(path=str(path)))

    def print_notice(self) -> None:
        """打印: the system print dialog, then every page at true A4 scale (``app.ui.printing``)."""
        if self.state is None or self.state.pdf is None:
            return
        self.print_job = PrintJob(self.state.pdf, self.printer, self, self.tr("打印整改通知书"))
        self.print_job.failed.connect(self._warn)
        self.print_job.printed.connect(self._printed)
        self.print_job.start()

    def _printed(self, pages: int) -> None:
        self.status_label.setText(self.tr("已发送到打印机：共 {pages} 页。").format(pages=pages))
