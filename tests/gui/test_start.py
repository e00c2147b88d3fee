"""Start-up: the window's shell appears before the database layer is imported, and attach() fills it.

``make bench`` measures the time to the window shown against a bare PySide6 window; these tests pin what makes it
fast — nothing of SQLAlchemy, the models, the keyring or SQLCipher is imported until the shell is on screen.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.ui.context import UiContext
from app.ui.main_window import NAV_PAGES, MainWindow

ROOT = Path(__file__).resolve().parents[2]

SHELL = """
import sys
from app.cli import build_parser
from app.ui.app import create_application, install_language, remembered_language
from app.ui.main_window import MainWindow
build_parser().parse_args(["gui", "--self-test"])
app = create_application()
install_language(app, remembered_language())
window = MainWindow()
window.show()
app.processEvents()
heavy = ("sqlalchemy", "alembic", "app.db", "app.models", "app.services", "keyring", "sqlcipher3", "pydantic", "yaml")
print(sorted(name for name in sys.modules if name.split(".")[0] in heavy or name.startswith(heavy)))
"""


def test_the_shell_is_shown_without_importing_the_database_layer(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SHELL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_the_shell_waits_for_the_data_directory_then_attach_builds_the_pages(qtbot: QtBot, ui_ctx: UiContext) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert not window.attached
    assert window._nav == [None] * len(NAV_PAGES)
    assert not window.new_visit_action.isEnabled()
    assert not window.settings_action.isEnabled()
    window.show_nav(2)  # a shortcut pressed before the data directory is open does nothing
    assert window._nav == [None] * len(NAV_PAGES)
    assert window.nav.item(0).text() == "企业"
    # Shortcuts come with the data directory: setting one builds Qt's enums, ~12 ms the first paint does not wait
    assert all(action.shortcut().isEmpty() for action in (*window.nav_actions, window.new_visit_action))

    window.attach(ui_ctx)
    assert window.attached
    assert window.current_page() is window.enterprises
    assert window.new_visit_action.isEnabled()
    assert window.statusBar().currentMessage() == str(ui_ctx.workspace.paths.root)
    shortcuts = [action.shortcut().toString() for action in window.nav_actions]
    assert shortcuts == [f"Ctrl+{index}" for index in range(1, len(NAV_PAGES) + 1)]
    assert window.new_visit_action.shortcut().toString() == "Ctrl+N"
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    window.nav_actions[2].trigger()
    assert window.current_page() is window.ledger
    qtbot.waitUntil(lambda: None not in window._nav, timeout=10_000)  # the other pages follow behind
