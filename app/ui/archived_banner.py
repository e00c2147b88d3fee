"""The strip above an archived audit: what retention removed from this laptop, and a button to pull it back.

Pulling back talks to the server (``app.sync.service.pull_back``) on a worker and writes through
``app.audit.retention.restore_from_server``; without a stored token it asks for the password, as a sync does.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.audit.retention import RestoreReport, archived_stub
from app.services import sync as sync_services
from app.services.changes import OpResult
from app.sync.service import PasswordRequired
from app.ui.context import UiContext
from app.ui.sign_in_dialog import PasswordDialog, open_sign_in
from app.ui.tasks import Task, error_message
from core.clock import CHINA_TZ


class ArchivedBanner(QFrame):
    """Hidden unless the shown audit is archived here; ``restored(text)`` is emitted once it is whole again."""

    restored = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.audit_id: str | None = None
        self.task: Task | None = None
        self.password_dialog: PasswordDialog | None = None
        self.setObjectName("archivedBanner")
        self.setStyleSheet("#archivedBanner { background: #fff8e1; border: 1px solid #ffb300; border-radius: 4px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.pull_button = QPushButton(self.tr("从服务器取回…"))
        self.pull_button.setMinimumHeight(40)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.pull_button)
        self.pull_button.clicked.connect(lambda: self.pull_back())
        self.hide()

    def set_audit(self, audit_id: str) -> None:
        self.audit_id = audit_id
        with self.ctx.session() as session:
            stub = archived_stub(session, audit_id)
            facts = (stub.archived_at, stub.retention_days, stub.answers, stub.attachments) if stub else None
        if facts is None:
            self.hide()
            return
        archived_at, days, answers, attachments = facts
        self.text.setText(
            self.tr(
                "本次体检已按区办设定的保留期限（{days} 天）于 {date} 在本机归档：答案 {answers} 条、"
                "照片和文件 {attachments} 个已从本机清理，服务器上保存完整记录。问题、整改事项和通知书仍在本机。"
            ).format(
                days=days,
                date=archived_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d"),
                answers=answers,
                attachments=attachments,
            )
        )
        self.pull_button.setEnabled(self.task is None)
        self.show()

    def pull_back(self, *, username: str | None = None, password: str | None = None) -> Task | None:
        if self.audit_id is None or self.task is not None:
            return None
        audit_id = self.audit_id
        workspace = self.ctx.workspace

        def work(_cancel: threading.Event, _progress: Any) -> OpResult[RestoreReport]:
            return sync_services.pull_back(workspace, audit_id, username=username, password=password)

        self.pull_button.setEnabled(False)
        self.text.setText(self.tr("正在从服务器取回…"))
        self.task = self.ctx.run_op(work, name="pull-back", on_done=self._finished, on_failed=self._failed, owner=self)
        return self.task

    def _finished(self, result: RestoreReport) -> None:
        self.task = None
        self.hide()
        self.restored.emit(
            self.tr("已从服务器取回：答案 {answers} 条，照片和文件 {attachments} 个。").format(
                answers=result.answers, attachments=result.attachments
            )
        )

    def _failed(self, error: BaseException) -> None:
        self.task = None
        if self.audit_id is not None:
            self.set_audit(self.audit_id)
        if isinstance(error, PasswordRequired):
            self.ask_password(str(error))
            return
        self.text.setText(self.text.text() + "\n" + error_message(error, self.ctx.tasks.log_dir))

    def ask_password(self, reason: str) -> PasswordDialog:
        self.password_dialog = open_sign_in(
            self.ctx,
            self,
            reason,
            action=self.tr("登录并取回"),
            retry=lambda username, password: self.pull_back(username=username, password=password),
            closed=lambda: setattr(self, "password_dialog", None),
        )
        return self.password_dialog
