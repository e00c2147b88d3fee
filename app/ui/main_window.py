"""The main window: navigation between 企业 / 复查 / 台账 / 统计 / 同步 / 待体检, and the visit workflow in between.

The five navigation pages live in a stack beside a list of large, touch-friendly entries (Ctrl+1 … Ctrl+6). The
workflow screens — an enterprise, answering a visit, reviewing its findings — are pages of the same stack opened
from there, so Back always leads somewhere sensible and one window holds the whole visit. Geometry and the
splitter state are remembered with QSettings.

The window is built in two steps so it can appear before the database is open: ``MainWindow()`` is the shell
(navigation, toolbar, a placeholder page; Qt only, nothing of the database layer is imported), and
:meth:`MainWindow.attach` gives it the open data directory and builds the enterprise list. ``MainWindow(ctx)``
does both at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.ui.autosave import HoldsEdits

if TYPE_CHECKING:
    from app.ui.answer_page import AnswerPage
    from app.ui.context import UiContext
    from app.ui.enterprise_detail import EnterpriseDetail
    from app.ui.enterprises_page import EnterprisesPage
    from app.ui.findings_page import FindingsPage

SETTINGS_ORG = "LaborCheck"
SETTINGS_APP = "LaborCheck"


def _followup_page(ctx: UiContext, parent: QWidget) -> QWidget:
    from app.ui.followup_page import FollowUpPage

    return FollowUpPage(ctx, parent)


def _ledger_page(ctx: UiContext, parent: QWidget) -> QWidget:
    from app.ui.ledger_page import LedgerPage

    return LedgerPage(ctx, parent)


def _statistics_page(ctx: UiContext, parent: QWidget) -> QWidget:
    from app.ui.statistics_page import StatisticsPage

    return StatisticsPage(ctx, parent)


def _sync_panel(ctx: UiContext, parent: QWidget) -> QWidget:
    from app.ui.sync_panel import SyncPanel

    return SyncPanel(ctx, parent)


def _assignments_page(ctx: UiContext, parent: QWidget) -> QWidget:
    from app.ui.assignments_page import AssignmentsPage

    return AssignmentsPage(ctx, parent)


PageFactory = Callable[["UiContext", QWidget], QWidget]  # a string: UiContext is imported for the type checker only
NAV_PAGES: tuple[PageFactory | None, ...] = (
    None,
    _followup_page,
    _ledger_page,
    _statistics_page,
    _sync_panel,
    _assignments_page,
)
"""The navigation pages in order (Ctrl+1 … Ctrl+6); the first, the enterprise list, is built with the window. The
others, whose modules import charts, the HTTP client and more, are built just after the window is first shown (or
when asked for, whichever comes first), so a coordinator sees the enterprise list without waiting for them. Their
modules are imported inside the factories (plain imports the type checker follows, not strings)."""
FOLLOWUP, LEDGER, STATISTICS, SYNC, ASSIGNMENTS = 1, 2, 3, 4, 5
DEFERRED_BUILD_MS = 200


class MainWindow(QMainWindow):
    ctx: UiContext
    enterprises: EnterprisesPage

    def __init__(self, ctx: UiContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(1024, 640))
        self._attached = False
        self._deferred_build_started = False
        self._detail: EnterpriseDetail | None = None
        self._answers: AnswerPage | None = None
        self._findings: FindingsPage | None = None

        self.stack = QStackedWidget()
        self._nav: list[QWidget | None] = [None for _ in NAV_PAGES]
        # Shown until attach(): the data directory is being opened. Centred by stretches, not by an alignment
        # flag: importing PySide6's ``Qt`` namespace costs about 14 ms, which the shell does not spend.
        self.opening = QWidget()
        self.opening_label: QLabel | None = QLabel()
        self.opening_label.setObjectName("openingPlaceholder")
        rows = QVBoxLayout(self.opening)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.opening_label)
        row.addStretch(1)
        rows.addStretch(1)
        rows.addLayout(row)
        rows.addStretch(1)
        self.stack.addWidget(self.opening)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(132)
        self.nav.setSpacing(2)
        for index in range(1, len(NAV_PAGES) + 1):
            item = QListWidgetItem()
            item.setSizeHint(QSize(120, 52))
            item.setToolTip(f"Ctrl+{index}")
            self.nav.addItem(item)

        central = QWidget()
        body = QHBoxLayout(central)
        body.setContentsMargins(4, 4, 4, 4)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)  # the actions have no icons, so the buttons show their text
        self.new_visit_action = QAction(self)
        self.new_enterprise_action = QAction(self)
        self.import_action = QAction(self)
        self.settings_action = QAction(self)
        for action in (self.new_visit_action, self.new_enterprise_action, self.import_action, self.settings_action):
            self.toolbar.addAction(action)
            action.setEnabled(False)  # until attach(): every action needs the open data directory
        self.addToolBar(self.toolbar)
        self.nav_actions: list[QAction] = []
        for index in range(len(NAV_PAGES)):
            action = QAction(self)
            action.triggered.connect(lambda _checked=False, i=index: self.show_nav(i))
            self.addAction(action)
            self.nav_actions.append(action)
        self.sync_offer = QPushButton()  # the sync panel's probe offers a sync here; it never syncs by itself
        self.sync_offer.setObjectName("syncOffer")
        self.sync_offer.hide()
        self.statusBar().addPermanentWidget(self.sync_offer)
        self.sync_offer.clicked.connect(self._accept_sync_offer)

        self.nav.currentRowChanged.connect(self.show_nav)
        self.new_visit_action.triggered.connect(lambda: self.start_visit(self._selected_enterprise()))
        self.new_enterprise_action.triggered.connect(lambda: self.edit_enterprise(None))
        self.settings_action.triggered.connect(self.open_settings)
        self.import_action.triggered.connect(self.import_enterprises)
        self.retranslate()
        self._restore()
        if ctx is not None:
            self.attach(ctx)

    def retranslate(self) -> None:
        """(Re)set the shell's texts in the current language (also on every ``LanguageChange``)."""
        self.setWindowTitle(self.tr("劳动用工法治体检"))
        labels = (
            self.tr("企业"),
            self.tr("复查"),
            self.tr("台账"),
            self.tr("统计"),
            self.tr("同步"),
            self.tr("待体检"),
        )
        for row, label in enumerate(labels):
            item = self.nav.item(row)
            if item is not None:
                item.setText(label)
        self.toolbar.setWindowTitle(self.tr("操作"))
        self.new_visit_action.setText(self.tr("新建体检"))
        self.new_enterprise_action.setText(self.tr("新增企业"))
        self.import_action.setText(self.tr("导入企业名录"))
        self.settings_action.setText(self.tr("设置"))
        if self.opening_label is not None:
            self.opening_label.setText(self.tr("正在打开本机数据…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def attach(self, ctx: UiContext) -> None:
        """Give the shell its open data directory: build the enterprise list, enable the actions."""
        from app.ui.enterprises_page import EnterprisesPage

        self.ctx = ctx
        self.enterprises = EnterprisesPage(ctx, self)
        self._nav[0] = self.enterprises
        self.stack.addWidget(self.enterprises)
        self.stack.setCurrentWidget(self.enterprises)
        self.stack.removeWidget(self.opening)
        self.opening.deleteLater()
        self.opening_label = None
        # Qt's enums are touched only from here on, after the shell's first paint: importing the ``Qt`` namespace
        # costs PySide6 ~14 ms and the first shortcut set builds ~100 of its enums (~12 ms); every action needs
        # the open data directory anyway, so its shortcut is of no use before.
        from PySide6.QtCore import Qt

        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_visit_action.setShortcut(QKeySequence("Ctrl+N"))
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        for index, action in enumerate(self.nav_actions):
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        self.statusBar().showMessage(str(ctx.workspace.paths.root))
        self.enterprises.enterprise_activated.connect(self.show_enterprise)
        self.enterprises.new_visit_requested.connect(self.start_visit)
        self.enterprises.add_requested.connect(lambda: self.edit_enterprise(None))
        ctx.tasks.user_message.connect(self._user_message)
        for action in (self.new_visit_action, self.new_enterprise_action, self.import_action, self.settings_action):
            action.setEnabled(True)
        self._attached = True
        self.nav.setCurrentRow(0)
        if self.isVisible():
            self._schedule_deferred_build()

    @property
    def attached(self) -> bool:
        return self._attached

    # ---------------------------------------------------------------- navigation pages (built after the first show)

    def nav_page(self, index: int) -> QWidget:
        page = self._nav[index]
        if page is None:
            factory = NAV_PAGES[index]
            assert factory is not None  # the first page is built with the window
            page = self._nav[index] = factory(self.ctx, self)
            self.stack.addWidget(page)
            if index == SYNC:
                page.offer_changed.connect(self._show_sync_offer)  # type: ignore[attr-defined]
                page.settings_requested.connect(self.open_settings)  # type: ignore[attr-defined]
            if index == ASSIGNMENTS:
                page.enterprise_activated.connect(self.show_enterprise)  # type: ignore[attr-defined]
                page.new_visit_requested.connect(self.start_visit)  # type: ignore[attr-defined]
        return page

    @property
    def followup(self) -> QWidget:
        return self.nav_page(FOLLOWUP)

    @property
    def ledger(self) -> QWidget:
        return self.nav_page(LEDGER)

    @property
    def statistics(self) -> QWidget:
        return self.nav_page(STATISTICS)

    @property
    def sync_panel(self) -> QWidget:
        return self.nav_page(SYNC)

    @property
    def assignments(self) -> QWidget:
        return self.nav_page(ASSIGNMENTS)

    def build_all_pages(self) -> None:
        """Build the pages not built yet (the sync page's reachability probe starts with it)."""
        for index in range(len(NAV_PAGES)):
            self.nav_page(index)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._attached:
            self._schedule_deferred_build()

    def _schedule_deferred_build(self) -> None:
        if not self._deferred_build_started:
            self._deferred_build_started = True
            QTimer.singleShot(DEFERRED_BUILD_MS, self.build_all_pages)

    # ------------------------------------------------------------------- workflow pages (built on first use: start-up)

    @property
    def detail(self) -> EnterpriseDetail:
        if self._detail is None:
            from app.ui.enterprise_detail import EnterpriseDetail

            self._detail = EnterpriseDetail(self.ctx, self)
            self.stack.addWidget(self._detail)
            self._detail.back_requested.connect(lambda: self.show_nav(0))
            self._detail.open_audit.connect(self.open_audit)
            self._detail.new_visit_requested.connect(self.start_visit)
            self._detail.edit_requested.connect(self.edit_enterprise)
        return self._detail

    @property
    def answers(self) -> AnswerPage:
        if self._answers is None:
            from app.ui.answer_page import AnswerPage

            self._answers = AnswerPage(self.ctx, self)
            self.stack.addWidget(self._answers)
            self._answers.back_requested.connect(self._back_to_enterprise)
            self._answers.finished.connect(self.show_findings)
        return self._answers

    @property
    def findings(self) -> FindingsPage:
        if self._findings is None:
            from app.ui.findings_page import FindingsPage

            self._findings = FindingsPage(self.ctx, self)
            self.stack.addWidget(self._findings)
            self._findings.enterprise_requested.connect(self.show_enterprise)
            self._findings.back_requested.connect(lambda: self.show_nav(0))
        return self._findings

    # ------------------------------------------------------------------------------------------------ navigation

    def flush_edits(self, *, ask: bool = True) -> None:
        """Commit what the current page holds typed (before any other page is shown, and on close)."""
        page: object = self.stack.currentWidget()
        if isinstance(page, HoldsEdits):
            page.flush_edits(ask=ask)

    def _switch_to(self, page: QWidget) -> None:
        if self.stack.currentWidget() is not page:
            self.flush_edits()
        self.stack.setCurrentWidget(page)

    def show_nav(self, index: int) -> None:
        if not self._attached or not 0 <= index < len(NAV_PAGES):
            return
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # comes back here through currentRowChanged
            return
        page = self.nav_page(index)
        self._switch_to(page)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def _show_sync_offer(self, text: str) -> None:
        self.sync_offer.setText(self.tr("{offer} 点此同步").format(offer=text) if text else "")
        self.sync_offer.setVisible(bool(text))

    def _accept_sync_offer(self) -> None:
        self.sync_offer.hide()
        self.show_nav(SYNC)
        start = getattr(self.sync_panel, "start_sync", None)
        if callable(start):
            start()

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def show_enterprise(self, enterprise_id: str) -> None:
        self._switch_to(self.detail)
        self.detail.set_enterprise(enterprise_id)

    def open_audit(self, audit_id: str) -> None:
        from app.models import AuditStatus
        from app.services import visits

        status = visits.header(self.ctx.workspace, audit_id).status
        if status is AuditStatus.FINISHED:
            self.show_findings(audit_id)
        else:
            self._switch_to(self.answers)
            self.answers.set_audit(audit_id)

    def show_findings(self, audit_id: str) -> None:
        self._switch_to(self.findings)
        self.findings.set_audit(audit_id)

    def _back_to_enterprise(self) -> None:
        enterprise_id = self._answers.enterprise_id if self._answers is not None else None
        if enterprise_id is not None:
            self.show_enterprise(enterprise_id)
        else:
            self.show_nav(0)

    def _selected_enterprise(self) -> str | None:
        if self._detail is not None and self.stack.currentWidget() is self._detail:
            return self._detail.enterprise_id
        if self.stack.currentWidget() is self.enterprises:
            return self.enterprises.selected_id()
        return None

    # ------------------------------------------------------------------------------------------------- actions

    def start_visit(self, enterprise_id: str | None = None) -> str | None:
        if self.ctx.coordinator() is None and not self.ask_profile():
            return None
        from app.ui.new_visit_dialog import NewVisitDialog

        dialog = NewVisitDialog(self.ctx, enterprise_id, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.audit_id is None:
            return None
        self.open_audit(dialog.audit_id)
        return dialog.audit_id

    def edit_enterprise(self, enterprise_id: str | None) -> None:
        from app.ui.enterprise_form import EnterpriseForm

        form = EnterpriseForm(self.ctx, enterprise_id, self)
        if form.exec() == QDialog.DialogCode.Accepted and form.enterprise_id:
            self.show_enterprise(form.enterprise_id)

    def import_enterprises(self) -> None:
        from app.ui.import_dialog import ImportDialog

        ImportDialog(self.ctx, self).exec()

    def open_settings(self) -> None:
        from app.services.changes import OpChanges
        from app.ui.settings_dialog import SettingsDialog

        if SettingsDialog(self.ctx, self).exec() == QDialog.DialogCode.Accepted:
            self.ctx.publish(OpChanges(settings=True), self)

    def ask_profile(self) -> bool:
        """The first-run dialog (coordinator profile); whether a profile exists afterwards."""
        from app.ui.settings_dialog import FirstRunDialog

        FirstRunDialog(self.ctx, self).exec()
        return self.ctx.coordinator() is not None

    def _user_message(self, text: str, is_bug: bool) -> None:
        self.statusBar().showMessage(text, 15_000)
        if is_bug:
            QMessageBox.warning(self, self.tr("出现意外错误"), text)
        else:
            QMessageBox.information(self, self.tr("提示"), text)

    # --------------------------------------------------------------------------------------------- geometry

    def _settings(self) -> QSettings:
        return QSettings(SETTINGS_ORG, SETTINGS_APP)

    def _restore(self) -> None:
        settings = self._settings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        state = settings.value("main/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        for index in range(self.stack.count()):  # whatever any page holds typed is committed (or kept as a draft)
            page: object = self.stack.widget(index)
            if isinstance(page, HoldsEdits):
                page.flush_edits(ask=False)
        settings = self._settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/state", self.saveState())
        if self._attached:
            self.ctx.tasks.cancel_all()
        super().closeEvent(event)
