"""The 同步 page: what is waiting to go, what came back in conflict, and one button that syncs off the UI thread.

Why it looks like this: a coordinator back at the district office wants three answers at a glance — did the last
sync work, is anything still on this laptop only, and did the server override anything I typed. The page shows
exactly those (``app.sync.service.sync_status`` and the unreviewed conflict log), then a single 立即同步 button.

* Consent first: nothing is probed or synced until the user agreed to the shown server address
  (``AppSettings.server_consent``); the page says so and offers the settings or consent to that address.
* The sync runs on the context's :class:`~app.ui.tasks.TaskRunner`; progress (push, attachments with bytes, pull)
  arrives through a relay signal on the UI thread. 取消 sets the task's cancel event; the service stops between
  requests, never inside a local transaction, so what was done stays done and the next sync continues.
* No secure keyring: the service raises ``PasswordRequired`` with the reason; the page asks for the password in a
  dialog that shows that reason (the token is never written to a plain file).
* A QTimer probes the server's ``/info`` every minute (short timeout, off the UI thread). When it answers and
  changes are pending, a banner offers to sync — it never syncs without a click.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import sync as sync_services
from app.services.changes import EVERYTHING, OpChanges
from app.sync.client import ClientTooOld
from app.sync.service import (
    ConflictEntry,
    PasswordRequired,
    ProbeResult,
    SyncProgress,
    SyncStatus,
    SyncSummary,
    UnusableTemplate,
    conflicts_to_review,
    mark_reviewed,
    probe,
    sync_status,
)
from app.ui.context import UiContext
from app.ui.i18n import LiveTexts
from app.ui.sign_in_dialog import PasswordDialog, open_sign_in
from app.ui.tasks import Task, error_message
from core.clock import CHINA_TZ

PROBE_INTERVAL_MS = 60_000
"""How often the page looks whether the server is reachable (only with consent, only while the window is open)."""


class _ProgressRelay(QObject):
    """Carries :class:`SyncProgress` from the worker thread to the page (a queued signal; Python-owned)."""

    progress = Signal(object)


class SyncPanel(QWidget):
    """The sync navigation page. ``offer_changed(text)`` carries the probe's offer ('' when there is none)."""

    settings_requested = Signal()
    offer_changed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sync_options: dict[str, Any] = {}
        """Extra keyword arguments for ``app.sync.service.sync`` (tests pass a client factory or a batch size)."""
        self.task: Task | None = None
        self.probe_task: Task | None = None
        self.password_dialog: PasswordDialog | None = None
        self.last_summary: SyncSummary | None = None
        self.last_probe: ProbeResult | None = None
        self._status: SyncStatus | None = None
        self._offer_dismissed = False
        self._conflicts: list[ConflictEntry] = []
        self.texts = LiveTexts()
        self._build()

        self.probe_timer = QTimer(self)
        self.probe_timer.setInterval(PROBE_INTERVAL_MS)
        self.probe_timer.timeout.connect(self.probe_now)
        self.probe_timer.start()
        self.refresh()

    # the words of the page, in the interface language (properties: read again after a language change)
    @property
    def field_labels(self) -> dict[str, str]:
        return {
            "name": self.tr("企业名称"),
            "uscc": self.tr("统一社会信用代码"),
            "address": self.tr("地址"),
            "industry": self.tr("行业"),
            "district": self.tr("所属区县"),
            "is_key": self.tr("重点企业"),
            "headcount": self.tr("职工人数"),
            "headcount_last_year_end": self.tr("上年末职工人数"),
            "contact_name": self.tr("联系人"),
            "contact_phone": self.tr("联系电话"),
            "content_hash": self.tr("检查表内容"),
        }

    @property
    def phase_labels(self) -> dict[str, str]:
        return {
            "connect": self.tr("连接"),
            "blobs": self.tr("上传附件"),
            "push": self.tr("发送修改"),
            "pull": self.tr("接收数据"),
            "done": self.tr("完成"),
        }

    def _build(self) -> None:
        texts = self.texts
        title = QLabel()
        texts.bind(title.setText, lambda: self.tr("同步"))
        title.setObjectName("pageTitle")

        self.consent_box = QFrame()
        self.consent_box.setObjectName("figures")
        self.consent_label = QLabel()
        self.consent_label.setWordWrap(True)
        self.settings_button = QPushButton()
        texts.bind(self.settings_button.setText, lambda: self.tr("打开设置"))
        self.consent_button = QPushButton()
        texts.bind(self.consent_button.setText, lambda: self.tr("同意向此地址同步"))
        consent_row = QHBoxLayout(self.consent_box)
        consent_row.addWidget(self.consent_label, 1)
        consent_row.addWidget(self.consent_button)
        consent_row.addWidget(self.settings_button)

        self.offer_box = QFrame()
        self.offer_box.setObjectName("figures")
        self.offer_label = QLabel()
        self.offer_label.setWordWrap(True)
        self.offer_button = QPushButton()
        texts.bind(self.offer_button.setText, lambda: self.tr("立即同步"))
        self.offer_dismiss = QPushButton()
        texts.bind(self.offer_dismiss.setText, lambda: self.tr("稍后"))
        offer_row = QHBoxLayout(self.offer_box)
        offer_row.addWidget(self.offer_label, 1)
        offer_row.addWidget(self.offer_button)
        offer_row.addWidget(self.offer_dismiss)
        self.offer_box.hide()

        self.server_label = QLabel()
        self.last_success_label = QLabel()
        self.pending_label = QLabel()
        self.conflicts_label = QLabel()
        self.retention_label = QLabel()
        self.retention_label.setWordWrap(True)
        self.templates_label = QLabel()
        self.templates_label.setWordWrap(True)
        self.templates_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_box = QGroupBox()
        texts.bind(status_box.setTitle, lambda: self.tr("同步状态"))
        status_form = QFormLayout(status_box)
        status_form.addRow(self._caption(lambda: self.tr("服务器地址")), self.server_label)
        status_form.addRow(self._caption(lambda: self.tr("上次成功同步")), self.last_success_label)
        status_form.addRow(self._caption(lambda: self.tr("待发送的修改")), self.pending_label)
        status_form.addRow(self._caption(lambda: self.tr("待查看的冲突")), self.conflicts_label)
        status_form.addRow(self._caption(lambda: self.tr("本机保留期限")), self.retention_label)
        status_form.addRow(self._caption(lambda: self.tr("无法使用的检查表")), self.templates_label)
        status_form.addRow(self._caption(lambda: self.tr("最近的问题")), self.error_label)

        self.sync_button = QPushButton()
        texts.bind(self.sync_button.setText, lambda: self.tr("立即同步"))
        self.sync_button.setObjectName("primaryButton")
        self.sync_button.setMinimumHeight(40)
        self.cancel_button = QPushButton()
        texts.bind(self.cancel_button.setText, lambda: self.tr("取消"))
        self.cancel_button.setMinimumHeight(40)
        self.cancel_button.setEnabled(False)
        self.phase_label = QLabel()
        texts.bind(self.phase_label.setText, self._phase_text)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        run_box = QGroupBox()
        texts.bind(run_box.setTitle, lambda: self.tr("本次同步"))
        run_layout = QVBoxLayout(run_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        run_layout.addLayout(buttons)
        run_layout.addWidget(self.phase_label)
        run_layout.addWidget(self.progress)
        run_layout.addWidget(self.summary_label)
        run_layout.addStretch(1)

        columns = 5
        self.conflict_table = QTableWidget(0, columns)
        texts.bind(
            lambda _text: self.conflict_table.setHorizontalHeaderLabels(
                [self.tr("对象"), self.tr("字段"), self.tr("本机的值"), self.tr("服务器的值"), self.tr("处理结果")]
            ),
            str,
        )
        self.conflict_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflict_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflict_table.setWordWrap(True)
        self.conflict_table.verticalHeader().setVisible(False)
        header = self.conflict_table.horizontalHeader()
        for column in range(columns - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)
        self.no_conflicts = QLabel()
        texts.bind(self.no_conflicts.setText, lambda: self.tr("没有需要查看的冲突：服务器没有改写本机的任何修改。"))
        self.review_button = QPushButton()
        texts.bind(self.review_button.setText, lambda: self.tr("所选已阅"))
        self.review_all_button = QPushButton()
        texts.bind(self.review_all_button.setText, lambda: self.tr("全部已阅"))
        conflict_box = QGroupBox()
        texts.bind(conflict_box.setTitle, lambda: self.tr("需要查看的冲突（被合并规则覆盖的值都保留在这里）"))
        conflict_layout = QVBoxLayout(conflict_box)
        conflict_layout.addWidget(self.no_conflicts)
        conflict_layout.addWidget(self.conflict_table, 1)
        review_row = QHBoxLayout()
        review_row.addStretch(1)
        review_row.addWidget(self.review_button)
        review_row.addWidget(self.review_all_button)
        conflict_layout.addLayout(review_row)

        top = QHBoxLayout()
        top.addWidget(status_box, 3)
        top.addWidget(run_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.consent_box)
        layout.addWidget(self.offer_box)
        layout.addLayout(top)
        layout.addWidget(conflict_box, 1)

        self.sync_button.clicked.connect(lambda: self.start_sync())
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.offer_button.clicked.connect(lambda: self.start_sync())
        self.offer_dismiss.clicked.connect(self._dismiss_offer)
        self.settings_button.clicked.connect(self.settings_requested.emit)
        self.consent_button.clicked.connect(self.consent_to_shown_address)
        self.review_button.clicked.connect(self.review_selected)
        self.review_all_button.clicked.connect(self.review_all)
        self.conflict_table.itemSelectionChanged.connect(self._update_review_buttons)
        self.ctx.events.changed.connect(self._on_changes)

    def _caption(self, make: Callable[[], str]) -> QLabel:
        label = QLabel()
        self.texts.bind(label.setText, make)
        return label

    def _phase_text(self) -> str:
        if self.task is None and self.last_summary is None:
            return self.tr("尚未开始")
        return self.phase_label.text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "server_label"):
            self.texts.refresh()
            self.refresh()
        super().changeEvent(event)

    # -------------------------------------------------------------------------------------------------- state

    def refresh(self) -> None:
        """Reload the status and the conflicts to review (two small queries on the UI thread)."""
        with self.ctx.session() as session:
            status = sync_status(session)
            self._conflicts = conflicts_to_review(session)
        self._status = status
        self.server_label.setText(status.server_url or self.tr("（未设置）"))
        if status.last_success is None:
            self.last_success_label.setText(self.tr("从未成功同步"))
        else:
            local = status.last_success.astimezone(CHINA_TZ)
            self.last_success_label.setText(self.tr("{time}（北京时间）").format(time=local.strftime("%Y-%m-%d %H:%M")))
        self.pending_label.setText(
            self.tr("{n} 条（仅在本机）").format(n=status.pending) if status.pending else self.tr("无")
        )
        self.conflicts_label.setText(
            self.tr("{n} 条").format(n=status.unreviewed_conflicts) if status.unreviewed_conflicts else self.tr("无")
        )
        if status.retention_days:
            self.retention_label.setText(
                self.tr(
                    "区办设定 {days} 天：已同步且整改完毕的体检超过期限后，本机只保留摘要"
                    "（答案和照片在服务器上，可在该次体检页面取回）。目前已归档 {n} 次。"
                ).format(days=status.retention_days, n=status.archived)
            )
        else:
            self.retention_label.setText(self.tr("区办未设定：本机保留全部体检记录"))
        self.templates_label.setText(
            "\n".join(self._unusable_text(entry) for entry in status.unusable_templates) or self.tr("无")
        )
        if not (self.error_label.property("sticky") and self.error_label.text()):
            self.error_label.setText(status.last_error or self.tr("无"))
        self._show_consent(status)
        self._fill_conflicts()
        self._update_buttons()

    def _unusable_text(self, entry: UnusableTemplate) -> str:
        if entry.kept_version:
            kept = self.tr("本机继续使用第 {n} 版").format(n=entry.kept_version)
        else:
            kept = self.tr("本机没有该检查表的其他版本")
        told = self.tr("已报告区办") if entry.reported else self.tr("将在下次同步时报告区办")
        return self.tr("{module} 第 {version} 版无法使用，{kept}，{told}。\n原因：{reason}").format(
            module=entry.module, version=entry.version, kept=kept, told=told, reason=entry.reason
        )

    def _show_consent(self, status: SyncStatus) -> None:
        if status.server_url and status.consent:
            self.consent_box.hide()
            return
        if status.server_url:
            text = self.tr(
                "尚未同意与服务器 {url} 同步。同意之前，本机不会连接该地址，数据只保存在本机。"
                "请核对地址是否为区办提供的地址。"
            ).format(url=status.server_url)
        else:
            text = self.tr("尚未设置区办服务器地址：请在设置中填写区办提供的地址并确认同意后再同步。")
        self.consent_label.setText(text)
        self.consent_button.setVisible(bool(status.server_url))
        self.consent_box.show()

    def _fill_conflicts(self) -> None:
        table = self.conflict_table
        table.setRowCount(len(self._conflicts))
        for row, entry in enumerate(self._conflicts):
            values = (
                entry.label,
                self.field_labels.get(entry.field, entry.field),
                self._plain(entry.local_value),
                self._plain(entry.server_value),
                entry.resolution,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, entry.id)
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        table.setVisible(bool(self._conflicts))
        self.no_conflicts.setVisible(not self._conflicts)
        self.review_all_button.setEnabled(bool(self._conflicts))
        self._update_review_buttons()

    def _plain(self, value: str | None) -> str:
        return self.tr("（空）") if value is None or value == "" else value

    def _update_review_buttons(self) -> None:
        self.review_button.setEnabled(bool(self.conflict_table.selectionModel().selectedRows()))

    def _update_buttons(self) -> None:
        running = self.is_syncing()
        ready = self._status is not None and bool(self._status.server_url) and self._status.consent
        self.sync_button.setEnabled(ready and not running)
        self.offer_button.setEnabled(not running)
        self.cancel_button.setEnabled(running and self.task is not None and not self.task.cancel_event.is_set())

    def is_syncing(self) -> bool:
        return self.task is not None and not self.task.done

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _on_changes(self, changes: OpChanges, _initiator: object) -> None:
        if self.isVisible() or changes.settings or changes.sync:
            self.refresh()

    # ---------------------------------------------------------------------------------------------- consent

    def consent_to_shown_address(self) -> None:
        """The user agrees to sync with the address shown (and only that one)."""
        self.ctx.publish(sync_services.consent_to(self.ctx.workspace), self)
        self.refresh()

    # ------------------------------------------------------------------------------------------------- sync

    def start_sync(self, *, username: str | None = None, password: str | None = None) -> Task | None:
        """Start a sync on a worker thread (nothing happens while one runs or without consent)."""
        if self.is_syncing():
            return None
        self.refresh()
        if self._status is None or not self._status.server_url or not self._status.consent:
            return None
        self._set_offer("")
        self.error_label.setProperty("sticky", False)
        self.summary_label.clear()
        self.phase_label.setText(self.tr("正在连接服务器…"))
        self.progress.setRange(0, 0)
        relay = _ProgressRelay()
        relay.progress.connect(self._on_progress)
        workspace = self.ctx.workspace
        options = dict(self.sync_options)

        def work(cancel: threading.Event, _progress: Any) -> SyncSummary:
            result = sync_services.run_sync(
                workspace, relay.progress.emit, cancel, username=username, password=password, **options
            )
            return result.value

        self.task = self.ctx.tasks.run(
            work,
            name="sync",
            on_finished=self._on_finished,
            on_failed=self._on_failed,
            owner=self,
        )
        self.task.cancelled.connect(self._on_cancelled)
        self._update_buttons()
        return self.task

    def cancel_sync(self) -> None:
        if self.task is None or self.task.done:
            return
        self.task.cancel()
        self.phase_label.setText(self.tr("正在取消：当前这一步完成后停止，已完成的部分会保留…"))
        self._update_buttons()

    def _progress_detail(self, value: SyncProgress) -> str:
        """The step's figures in the interface's language (the service's own message is Chinese, for logs)."""
        if value.phase == "blobs":
            return self.tr("{done} / {total} KB").format(done=value.done // 1024, total=(value.total or 0) // 1024)
        if value.phase == "push":
            return self.tr("已发送 {done} / {total} 条").format(done=value.done, total=value.total or 0)
        if value.phase == "pull":
            return self.tr("已接收 {n} 条").format(n=value.done)
        if value.phase == "connect":
            return self.tr("正在连接服务器")
        if value.phase == "done":
            return self.tr("同步完成")
        return value.message

    def _on_progress(self, value: object) -> None:
        if not isinstance(value, SyncProgress) or self.task is None or self.task.cancel_event.is_set():
            return
        phase = self.phase_labels.get(value.phase, value.phase)
        self.phase_label.setText(self.tr("{phase}：{detail}").format(phase=phase, detail=self._progress_detail(value)))
        if value.total:
            self.progress.setRange(0, max(1, value.total))
            self.progress.setValue(min(value.done, value.total))
        else:
            self.progress.setRange(0, 0)

    def _finish_progress(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.phase_label.setText(text)

    def _on_finished(self, result: object) -> None:
        assert isinstance(result, SyncSummary)
        self.last_summary = result
        self._finish_progress(self.tr("同步完成"))
        text = self.tr("发送 {sent} 条修改，接收 {received} 条数据，冲突 {conflicts} 条，问题 {errors} 条。").format(
            sent=result.sent, received=result.received, conflicts=result.conflicts, errors=len(result.errors)
        )
        if result.blobs_uploaded:
            text += self.tr("上传附件 {n} 个（{kb} KB）。").format(
                n=result.blobs_uploaded, kb=result.bytes_uploaded // 1024
            )
        if result.archived:
            text += self.tr("按区办设定的保留期限，{n} 次已同步的体检在本机只保留摘要。").format(n=result.archived)
        if result.conflicts:
            text += self.tr("请在下方查看冲突。")
        if result.errors:
            text += "\n" + "\n".join(result.errors)
        self.summary_label.setText(text)
        self.ctx.publish(EVERYTHING, self)
        self.refresh()

    def _on_failed(self, error: BaseException) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if isinstance(error, PasswordRequired):
            self.phase_label.setText(self.tr("需要登录"))
            self.ask_password(str(error))
            self.refresh()
            return
        message = error_message(error, self.ctx.tasks.log_dir)
        self.phase_label.setText(self.tr("同步未完成"))
        self.summary_label.setText(message)
        if isinstance(error, ClientTooOld):
            self.error_label.setText(message)
            self.error_label.setProperty("sticky", True)
        self.refresh()

    def _on_cancelled(self) -> None:
        self._finish_progress(self.tr("已取消"))
        self.progress.setValue(0)
        self.summary_label.setText(self.tr("同步已取消；已完成的部分已保存，下次同步会继续。"))
        self.ctx.publish(EVERYTHING, self)
        self.refresh()

    # --------------------------------------------------------------------------------------------- password

    def ask_password(self, reason: str) -> PasswordDialog:
        """Ask for the password; accepting starts the sync with it."""
        self.password_dialog = open_sign_in(
            self.ctx,
            self,
            reason,
            retry=lambda username, password: self.start_sync(username=username, password=password),
            closed=lambda: setattr(self, "password_dialog", None),
        )
        return self.password_dialog

    # ---------------------------------------------------------------------------------------------- conflicts

    def review_selected(self) -> None:
        rows = sorted({index.row() for index in self.conflict_table.selectionModel().selectedRows()})
        self._mark([self._conflicts[row].id for row in rows if row < len(self._conflicts)])

    def review_all(self) -> None:
        self._mark([entry.id for entry in self._conflicts])

    def _mark(self, ids: list[str]) -> None:
        if not ids:
            return
        with self.ctx.session() as session:
            mark_reviewed(session, ids)
        self.ctx.publish(OpChanges(sync=True), self)
        self.refresh()

    # -------------------------------------------------------------------------------------------------- probe

    def probe_now(self) -> Task | None:
        """Look whether the consented server answers (off the UI thread); offers a sync when changes wait."""
        if self.is_syncing() or (self.probe_task is not None and not self.probe_task.done):
            return None
        with self.ctx.session() as session:
            status = sync_status(session)
        if not status.server_url or not status.consent:
            self._set_offer("")
            return None
        url = status.server_url
        factory = self.sync_options.get("client_factory")

        def work(_cancel: threading.Event, _progress: Any) -> ProbeResult:
            return probe(url, client_factory=factory)

        self.probe_task = self.ctx.tasks.run(
            work, name="sync-probe", on_finished=self._on_probe, on_failed=lambda _e: None, owner=self
        )
        return self.probe_task

    def _on_probe(self, result: object) -> None:
        assert isinstance(result, ProbeResult)
        self.last_probe = result
        if not result.reachable:
            self._offer_dismissed = False
            self._set_offer("")
            return
        if result.client_too_old:
            self.error_label.setText(result.message)
            self.error_label.setProperty("sticky", True)
            self._set_offer("")
            return
        with self.ctx.session() as session:
            pending = sync_status(session).pending
        if pending and not self._offer_dismissed and not self.is_syncing():
            self._set_offer(self.tr("已能连接区办服务器，本机有 {n} 条修改尚未同步。").format(n=pending))
        else:
            self._set_offer("")

    def _dismiss_offer(self) -> None:
        self._offer_dismissed = True
        self._set_offer("")

    def _set_offer(self, text: str) -> None:
        self.offer_label.setText(text)
        self.offer_box.setVisible(bool(text))
        self.offer_changed.emit(text)
