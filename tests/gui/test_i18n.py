"""English is complete and switches live: every tr() string of app/ui has a finished English translation."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models import Coordinator, load_settings
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.i18n import current_language, install_translator, qm_path, translations_dir
from app.ui.ledger_page import LedgerPage
from app.ui.settings_dialog import SettingsDialog

ROOT = Path(__file__).resolve().parents[2]
TS = translations_dir() / "laborcheck_en.ts"


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    messages: dict[tuple[str, str], ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):  # noqa: S314 - our own file and lupdate's
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            messages[(name, message.findtext("source") or "")] = message
    return messages


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    install_translator(qapp, "en")
    try:
        yield
    finally:
        install_translator(qapp, "zh_CN")


def test_every_tr_string_in_app_ui_has_a_finished_english_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(path) for path in (ROOT / "app" / "ui").glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-silent"], check=True, cwd=ROOT, timeout=120)
    wanted = _messages(fresh)
    assert len(wanted) > 100
    have = _messages(TS)
    missing = [f"{context}: {source}" for context, source in wanted if (context, source) not in have]
    assert not missing, "run `make lupdate` and translate:\n" + "\n".join(missing)
    unfinished = [
        f"{context}: {source}"
        for (context, source), message in have.items()
        if (context, source) in wanted
        and (message.find("translation").get("type") == "unfinished" or not message.findtext("translation"))  # type: ignore[union-attr]
    ]
    assert not unfinished, "translate in resources/i18n/laborcheck_en.ts:\n" + "\n".join(unfinished)


def test_placeholders_survive_translation() -> None:
    for (context, source), message in _messages(TS).items():
        translation = message.findtext("translation") or ""
        for placeholder in ("{" + part.split("}")[0] + "}" for part in source.split("{")[1:]):
            assert placeholder in translation, f"{context}: {source!r} → {translation!r} lacks {placeholder}"


def test_the_compiled_english_file_is_built_and_loads(qapp: QApplication, english: None) -> None:
    assert qm_path("en").is_file(), "the set-up (make venv) compiles resources/i18n/*.qm"
    assert current_language() == "en"
    assert QCoreApplication.translate("LedgerPage", "导出台账…") == "Export ledger…"


def test_switching_language_changes_visible_strings_live(
    qtbot: QtBot, qapp: QApplication, ui_ctx: UiContext, coordinator: Coordinator
) -> None:
    page = LedgerPage(ui_ctx)
    qtbot.addWidget(page)
    assert page.export_button.text() == "导出台账…"
    install_translator(qapp, "en")
    try:
        assert page.export_button.text() == "Export ledger…"
        assert page.model.headerData(1, Qt.Orientation.Horizontal) == "Enterprise name"
        assert page.status.itemText(0) == "All statuses"
    finally:
        install_translator(qapp, "zh_CN")
    assert page.export_button.text() == "导出台账…"
    assert page.model.headerData(1, Qt.Orientation.Horizontal) == "单位名称"


def test_choosing_english_in_settings_applies_it_and_stores_it(
    qtbot: QtBot, qapp: QApplication, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator
) -> None:
    dialog = SettingsDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.preferences.language.setCurrentIndex(dialog.preferences.language.findData("en"))
    try:
        assert dialog.save()
        assert current_language() == "en"
        assert dialog.windowTitle() == "Settings"
        with ws.db.session() as session:
            assert load_settings(session).language == "en"
    finally:
        install_translator(qapp, "zh_CN")
    assert dialog.windowTitle() == "设置"


def test_risk_grades_read_in_the_interface_language(qapp: QApplication, english: None) -> None:
    from app.ui.i18n import grade_text

    assert [grade_text(grade) for grade in ("高", "中", "低", None)] == ["High", "Medium", "Low", "Not graded"]
    install_translator(qapp, "zh_CN")
    assert [grade_text(grade) for grade in ("高", "中", "低", None)] == ["高", "中", "低", "未评级"]


def test_the_settings_page_shows_the_language_on_screen(
    qtbot: QtBot, qapp: QApplication, ui_ctx: UiContext, coordinator: Coordinator, english: None
) -> None:
    dialog = SettingsDialog(ui_ctx)
    qtbot.addWidget(dialog)
    assert dialog.preferences.language.currentData() == "en"
    assert dialog.preferences.language.currentText() == "English"


def test_leaving_the_first_run_without_saving_puts_the_stored_language_back(
    qtbot: QtBot, qapp: QApplication, ui_ctx: UiContext
) -> None:
    from app.ui.settings_dialog import FirstRunDialog

    dialog = FirstRunDialog(ui_ctx)
    qtbot.addWidget(dialog)
    try:
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        assert current_language() == "en"
        assert dialog.windowTitle() != "首次使用设置"
        dialog.reject()
        assert current_language() == "zh_CN"  # nothing was saved: the interface follows the stored setting
    finally:
        install_translator(qapp, "zh_CN")
