"""Starting the desktop application: Qt set-up, fonts, language, the error hook, and the self-test.

* High DPI: Qt 6 scales by default, and its default rounding policy is pass-through, so a 150 % laptop screen
  gets crisp 1.5× layouts instead of being rounded to 2×. (Not set here: touching the ``Qt`` namespace costs
  PySide6 about 12 ms at start.)
* Fonts: the interface font is a family list that starts with the platform's Chinese UI font and falls back to
  any installed CJK face (WenQuanYi, Noto/Source Han, AR PL), so no text is drawn as empty boxes.
* Errors: an exception that escapes a slot is logged with its traceback to the data directory's log and shown
  as one short message naming that file; the window stays open and nothing typed is lost.
* Start: the window's shell (navigation, toolbar) is shown first and painted; only then is the database layer
  imported, the data directory opened (asking for its passphrase over the shell where needed) and the pages
  built behind it. This module and the shell import Qt and nothing of the database layer, so the window appears
  about as fast as a bare PySide6 window (``make bench`` prints both).
* ``run_gui(data_dir, self_test=True)`` goes the same way, then runs :mod:`app.services.self_check` (templates,
  migrations, a notice rendered with the discovered fonts, a database round-trip) and checks for a CJK
  interface font; it exits 0 (1 with the reasons on stderr). Frozen builds and the .deb are started this way to
  prove they work; it prints when the window was shown, for the cold-start benchmark.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.ui.i18n import current_language, install_translator, resources_dir
from core.errors import LaborCheckError

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from app.ui.context import UiContext
    from app.ui.main_window import MainWindow

log = logging.getLogger("app.ui")

CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
    "SimSun",
)

STYLE_SHEET = """
QLabel#pageTitle { font-size: 15pt; font-weight: bold; }
QLabel#itemHeading { font-size: 11pt; color: #455a64; font-weight: bold; }
QLabel#itemText { font-size: 14pt; }
QLabel#figures { background: #fff8e1; border: 1px solid #ffcc80; padding: 6px; border-radius: 4px; }
QListWidget#navigation { font-size: 13pt; }
QListWidget#navigation::item { padding: 8px; }
QListWidget#navigation::item:selected { background: #1565c0; color: white; }
QListWidget#itemList::item { padding: 6px; border-bottom: 1px solid #e0e0e0; color: palette(text); }
QListWidget#itemList::item:selected { background: #bbdefb; color: black; }
QPushButton { padding: 4px 12px; }
QPushButton:checked { background: #1565c0; color: white; font-weight: bold; }
QPushButton#primaryButton { background: #1565c0; color: white; font-weight: bold; }
QPushButton#primaryButton:disabled { background: #90a4ae; }
"""


ICON = resources_dir() / "icons" / "laborcheck.png"
EXPOSE_FALLBACK_MS = 1_000
LANGUAGE_KEY = "ui/language"
"""QSettings key: the language last used, so the shell is drawn in it before the database (which holds the
setting) is open. The database's value wins once it is read."""


def cjk_families() -> list[str]:
    """The installed CJK-capable families, in our order of preference."""
    installed = set(QFontDatabase.families())
    return [family for family in CJK_FAMILIES if family in installed]


def install_font(app: QApplication) -> None:
    """The interface font: our CJK preference list before the platform's default. Qt passes over the families
    that are not installed when it matches a font, so the list is set as it is: asking the font database which
    families exist (:func:`cjk_families`, for the self-test) would cost ~5 ms before the window's first paint."""
    font = QFont(app.font())
    font.setFamilies([*CJK_FAMILIES, *font.families()])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists, as under pytest-qt), with our names, DPI policy and style."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName("LaborCheck")
    QCoreApplication.setApplicationName("LaborCheck")
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(QCoreApplication.translate("app", "劳动用工法治体检"))
    app.setWindowIcon(QIcon(str(ICON)))
    app.setDesktopFileName("laborcheck")  # the .deb's menu entry: docks group the window under its icon
    install_font(app)
    app.setStyleSheet(STYLE_SHEET)
    return app


def install_language(app: QApplication, language: str) -> None:
    try:
        install_translator(app, language)
    except Exception:  # a broken translation must not keep the coordinator out: log it, run in Chinese
        log.exception("installing the %s translation failed", language)
    QSettings("LaborCheck", "LaborCheck").setValue(LANGUAGE_KEY, current_language())


def remembered_language() -> str:
    value = QSettings("LaborCheck", "LaborCheck").value(LANGUAGE_KEY, "zh_CN")
    return value if isinstance(value, str) else "zh_CN"


def install_exception_hook(log_path: Path) -> None:
    """Log uncaught exceptions and show a short message naming the log; user errors are shown as they are."""

    def hook(kind: type[BaseException], error: BaseException, trace: types.TracebackType | None) -> None:
        if isinstance(error, LaborCheckError):
            text = str(error)
        else:
            log.error("uncaught exception", exc_info=(kind, error, trace))
            text = QCoreApplication.translate("app", "出现意外错误（{kind}），详情已记入日志：{path}").format(
                kind=kind.__name__, path=str(log_path)
            )
        sys.stderr.write(text + "\n")
        if QApplication.instance() is not None and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
            QMessageBox.warning(None, QCoreApplication.translate("app", "出现意外错误"), text)

    sys.excepthook = hook


def self_test(ctx: UiContext) -> list[str]:
    """Problems found by the self-test (empty: all good); what was checked goes to stdout."""
    from app.services.self_check import check_installation

    report = check_installation(ctx.workspace)
    for line in report.lines:
        sys.stdout.write(f"self-test: {line}\n")
    problems = list(report.problems)
    families = cjk_families()
    if not families:
        problems.append("no CJK font installed")
    family = families[0] if families else "-"
    sys.stdout.write(f"self-test: interface font {family} on the {QGuiApplication.platformName()} platform\n")
    return problems


class _FirstExpose(QObject):
    """Calls back once, from the event loop, after the window was first exposed (so its first paint is done), or
    after :data:`EXPOSE_FALLBACK_MS` if no expose comes (a window started minimised is never exposed)."""

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._callback: Callable[[], None] | None = callback
        window.winId()  # creates the native window, so its handle exists before it is shown
        handle = window.windowHandle()
        assert handle is not None
        handle.installEventFilter(self)
        QTimer.singleShot(EXPOSE_FALLBACK_MS, self._fire)

    def _fire(self) -> None:
        if self._callback is not None:
            callback, self._callback = self._callback, None
            callback()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and self._callback is not None:
            QTimer.singleShot(0, self._fire)  # after the expose is handled, i.e. after the paint
        return False


class _Start:
    """The part of the start that follows the shell: open the data directory, build the pages, maybe self-test."""

    def __init__(
        self, app: QApplication, window: MainWindow, data_dir: str | os.PathLike[str] | None, *, self_test: bool
    ) -> None:
        self.app = app
        self.window = window
        self.data_dir = data_dir
        self.self_test = self_test
        self.ctx: UiContext | None = None
        self.workspace: Workspace | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            status = self._open_and_attach()
        except BaseException as error:  # re-raised by run_gui once the event loop has stopped
            self.error = error
            self.app.exit(2)
            return
        if status is not None:
            self.app.exit(status)

    def _open_and_attach(self) -> int | None:
        """The exit status when the start ends here, None to keep running."""
        if self.self_test:
            sys.stdout.write(f"self-test: window shown at {time.time():.3f}\n")
            sys.stdout.flush()
        from app.applog import setup_logging
        from app.ui.context import UiContext
        from app.ui.passphrase_dialog import ask_with_dialog, open_workspace_interactively

        self.workspace = open_workspace_interactively(
            self.data_dir,
            interactive=not self.self_test,
            prompt=lambda request, error: ask_with_dialog(request, error, parent=self.window),
        )
        if self.workspace is None:
            return 1
        from app.applog import LOG_NAME

        # The log file, or standard error where the data directory cannot take one (the hook names the file).
        install_exception_hook(setup_logging(self.workspace.paths.logs) or self.workspace.paths.logs / LOG_NAME)
        self.ctx = UiContext(self.workspace)
        language = self.ctx.settings().language
        if language != current_language():
            install_language(self.app, language)
        self.window.attach(self.ctx)
        if self.self_test:
            return self._self_test(self.ctx)
        if self.ctx.coordinator() is None:
            from app.ui.settings_dialog import FirstRunDialog

            accepted = FirstRunDialog(self.ctx, self.window).exec() == QDialog.DialogCode.Accepted
            if not accepted and self.ctx.coordinator() is None:
                return 0
        return None

    def _self_test(self, ctx: UiContext) -> int:
        self.app.processEvents()
        problems = self_test(ctx)
        if not self.window.isVisible():
            problems.append("main window not shown")
        if problems:
            sys.stderr.write("self-test failed: " + "; ".join(problems) + "\n")
            return 1
        sys.stdout.write(f"self-test ok: {ctx.workspace.paths.root}\n")
        return 0

    def close(self) -> None:
        if self.ctx is not None:
            self.ctx.tasks.cancel_all()
            self.ctx.tasks.wait_for_done(5_000)
        if self.workspace is not None:
            self.workspace.close()


def run_gui(data_dir: str | os.PathLike[str] | None, *, self_test: bool = False) -> int:
    """Run the desktop application on ``data_dir``; returns the exit status.

    The shell is shown and painted before anything of the database layer is imported; the data directory is
    opened right after, behind it (see the module docstring)."""
    from app.ui.main_window import MainWindow

    app = create_application()
    install_language(app, remembered_language())
    window = MainWindow()
    start = _Start(app, window, data_dir, self_test=self_test)
    _FirstExpose(window, start.run)
    window.show()
    try:
        status = app.exec()
    finally:
        window.close()
        start.close()
    if start.error is not None:
        raise start.error
    return status
