"""Importing the enterprise registry from a spreadsheet (xlsx or csv), off the UI thread, with a per-row report.

The service (``app.audit.enterprise_import``) decides everything: a file with bad rows imports nothing unless the
coordinator asks for the good rows only, never half silently. This dialog picks the file, runs the import on a
worker with progress and cancel (cancel rolls the transaction back), and shows the report the service wrote.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.audit.enterprise_import import ImportCancelled, ImportReport, format_report, import_enterprises
from app.services.changes import OpChanges
from app.ui.context import UiContext
from app.ui.tasks import ProgressFn, Task, error_message


class ImportDialog(QDialog):
    """Choose a file, import it in the background, read the report."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle(self.tr("导入企业名录"))
        self.resize(720, 520)

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("选择 xlsx 或 csv 文件（表头含“单位名称”“统一社会信用代码”）"))
        browse = QPushButton(self.tr("选择文件…"))
        browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)

        self.partial_check = QCheckBox(self.tr("有错误行时，只导入无误的行（错误行列在报告中）"))
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setPlaceholderText(self.tr("导入报告将显示在这里"))

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("开始导入"), QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(self.tr("取消导入"), QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.hide()
        self.close_button = self.buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.partial_check)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(self.buttons)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择企业名录"), "", self.tr("表格文件 (*.xlsx *.csv)"))
        if path:
            self.path_edit.setText(path)

    def start(self) -> Task | None:
        """Run the import on a worker; returns the task (tests wait on its signals)."""
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            self.status.setText(self.tr("文件不存在：%1").replace("%1", str(path)))
            return None
        accept_partial = self.partial_check.isChecked()
        ws = self.ctx.workspace  # the worker holds no Qt object

        def work(cancel: threading.Event, progress: ProgressFn) -> ImportReport:
            with ws.db.session() as session:
                return import_enterprises(
                    session, path, accept_partial=accept_partial, on_progress=progress, cancel=cancel
                )

        self.report = None
        self.report_view.clear()
        self.status.setText(self.tr("正在导入…"))
        self.progress.setRange(0, 0)
        self.progress.show()
        self.import_button.setEnabled(False)
        self.cancel_button.show()
        self.task = self.ctx.tasks.run(
            work,
            name="import-enterprises",
            on_finished=self._finished,
            on_failed=self._failed,
            on_progress=self._progress,
            owner=self,
        )
        self.task.cancelled.connect(self._cancelled)
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText(self.tr("正在取消…"))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.import_button.setEnabled(True)
        self.task = None

    def _finished(self, report: object) -> None:
        self._done()
        if not isinstance(report, ImportReport):
            return
        self.report = report
        self.report_view.setPlainText(format_report(report))
        if report.applied:
            self.status.setText(self.tr("已导入。"))
            self.ctx.publish(OpChanges(enterprises=True), self)
        else:
            self.status.setText(self.tr("文件中有错误行，未导入任何企业：请改正后重试，或勾选“只导入无误的行”。"))

    def _failed(self, error: BaseException) -> None:
        self._done()
        if isinstance(error, ImportCancelled):
            self._cancelled()
            return
        self.status.setText(error_message(error, self.ctx.workspace.paths.logs))

    def _cancelled(self) -> None:
        self._done()
        self.status.setText(self.tr("已取消导入，未写入任何企业。"))
