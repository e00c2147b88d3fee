"""Starting the desktop application: Qt set-up, fonts, language, the error hook, and the self-test.

* High DPI: Qt 6 scales by default; the rounding policy is set to pass-through so a 150 % laptop screen gets
  crisp 1.5× layouts instead of being rounded to 2×.
* Fonts: the interface font is a family list that starts with the platform's Chinese UI font and falls back to
  any installed CJK face (WenQuanYi, Noto/Source Han, AR PL), so no text is drawn as empty boxes.
* Errors: an exception that escapes a slot is logged with its traceback to the data directory's log and shown
  as one short message naming that file; the window stays open and nothing typed is lost.
* ``run_gui(data_dir, self_test=True)`` opens the main window on the data directory, writes and reads the
  database, loads the templates and checks for a CJK font, then exits 0 (1 with the reason on stderr): the
  frozen build is started this way to prove it works.
"""

from __future__ import annotations

import logging
import os
import sys
import types
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.applog import setup_logging
from app.models.setting import load_settings, save_settings
from app.services.workspace import Workspace
from app.ui.context import UiContext
from core.errors import LaborCheckError

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


def cjk_families() -> list[str]:
    """The installed CJK-capable families, in our order of preference."""
    installed = set(QFontDatabase.families())
    return [family for family in CJK_FAMILIES if family in installed]


def install_font(app: QApplication) -> list[str]:
    families = cjk_families()
    if families:
        font = QFont(app.font())
        font.setFamilies([*families, *font.families()])
        if font.pointSizeF() < 10:
            font.setPointSizeF(10)
        app.setFont(font)
    return families


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists, as under pytest-qt), with our names, DPI policy and style."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName("LaborCheck")
    QCoreApplication.setApplicationName("LaborCheck")
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(QCoreApplication.translate("app", "劳动用工法治体检"))
    install_font(app)
    app.setStyleSheet(STYLE_SHEET)
    return app


def install_language(app: QApplication, language: str) -> None:
    from app.ui.i18n import install_translator

    try:
        install_translator(app, language)
    except Exception:  # a broken translation must not keep the coordinator out: log it, run in Chinese
        log.exception("installing the %s translation failed", language)


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
    """Problems found by the self-test (empty: all good)."""
    from app.audit.template_store import current_templates

    problems: list[str] = []
    with ctx.session() as session:
        language = load_settings(session).language
        save_settings(session, language=language)
        if not current_templates(session):
            problems.append("no checklist templates")
    with ctx.session() as session:
        if load_settings(session).language != language:
            problems.append("settings did not read back")
    if not cjk_families():
        problems.append("no CJK font installed")
    return problems


def run_gui(data_dir: str | os.PathLike[str] | None, *, self_test: bool = False) -> int:
    """Run the desktop application on ``data_dir``; returns the exit status."""
    from app.ui.main_window import MainWindow
    from app.ui.passphrase_dialog import open_workspace_interactively

    app = create_application()
    opened = open_workspace_interactively(data_dir, interactive=not self_test)  # asks for a passphrase if needed
    if opened is None:
        return 1
    workspace: Workspace = opened
    log_path = setup_logging(workspace.paths.logs)
    install_exception_hook(log_path)
    ctx = UiContext(workspace)
    try:
        install_language(app, ctx.settings().language)
        window = MainWindow(ctx)
        if self_test:
            return _run_self_test(app, ctx, window)
        if ctx.coordinator() is None:
            from app.ui.settings_dialog import FirstRunDialog

            if FirstRunDialog(ctx, None).exec() != QDialog.DialogCode.Accepted and ctx.coordinator() is None:
                return 0
        window.show()
        return app.exec()
    finally:
        ctx.tasks.cancel_all()
        ctx.tasks.wait_for_done(5_000)
        workspace.close()


def _run_self_test(app: QApplication, ctx: UiContext, window: QDialog | object) -> int:
    from app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.show()
    app.processEvents()
    problems = self_test(ctx)
    if not window.isVisible():
        problems.append("main window not shown")
    window.close()
    app.processEvents()
    if problems:
        sys.stderr.write("self-test failed: " + "; ".join(problems) + "\n")
        return 1
    sys.stdout.write(f"self-test ok: {ctx.workspace.paths.root}\n")
    return 0
