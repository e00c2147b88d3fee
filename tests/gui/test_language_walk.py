"""Every string a user reads follows the chosen language at once: a walk over every page and dialog.

The window is opened in Chinese and every screen visited; the language is then switched to English *with the
window open* (what 设置 does) and every screen walked again, then back to Chinese. In English no Han character
may remain except in data (enterprise names, notes, template content: :func:`tests.gui.screens.data_texts`); in
Chinese no untranslated English and no internal code (``WAGE-09``) may show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models import save_settings
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.i18n import install_translator
from app.ui.main_window import MainWindow
from core.fonts import plan_notice_fonts, report_lines, summary_text
from tests.gui.conftest import GUI_TODAY
from tests.gui.screens import SCREEN_SIZE, SCREENS, Scene, build_scene, close_screen, data_texts, open_screen
from tests.gui.screens import widget_texts as texts_of

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MODULES = ("CONTRACT", "WAGE", "HOURS", "INSURANCE", "LAYOFF", "DEMOCRACY", "COLLECTIVE", "PROTECT", "DISPATCH")
INTERNAL_CODE = re.compile(r"\b(" + "|".join((*MODULES, "SITEPAY", "PLATFORM")) + r")-\d{2}\b")
LANGUAGE_NAMES = ("简体中文", "English")
"""Each language is offered under its own name in both interfaces."""
FONT_ADVICE = tuple(
    line for line in (*summary_text(plan_notice_fonts()).splitlines(), *report_lines(plan_notice_fonts())) if line
)
"""Which typefaces stand in for the official ones and how to install them: system advice with package and font
names, given in Chinese in both interfaces (the English screens say "details in Chinese")."""
IMPORT_HEADERS = ("单位名称", "统一社会信用代码")
"""The column headers an enterprise file must have (data the user's spreadsheet holds, named in the hint)."""
WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_WORDS = {
    "PDF",  # 另存为 PDF…: the format's name
    "Ctrl",  # shortcuts
    "Shift",
    "xlsx",
    "xls",  # the spreadsheet formats the wage check reads
    "ods",
    "csv",
    "https",  # the example server address
    "tj",
    "example",
    "gov",
    "cn",
    "hdjx",  # the pinyin-initials example in the search placeholder
    "DC",  # the badge number example
    "TrueType",
    "ttf",
    "ttc",
    "jpg",
    "jpeg",
    "png",
    "webp",
    "bmp",
    "tif",
    "tiff",
    "KB",
    "QR",
}


@pytest.fixture(scope="module")
def scene_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("walk")


@pytest.fixture
def walk(qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, tmp_path: Path) -> Iterator[tuple[MainWindow, Scene]]:
    scene = build_scene(ws, GUI_TODAY, tmp_path)
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    window.resize(*SCREEN_SIZE)
    window.show()
    yield window, scene
    window.close()


def _without_data(value: str, data: list[str], root: str, prefixes: set[str]) -> str:
    value = value.replace(root, "")
    while "…" in value:  # data shortened for a title: "存在自用工之日起…"
        cut = value.index("…")
        start = next((cut - n for n in range(min(cut, 60), 5, -1) if value[cut - n : cut] in prefixes), cut)
        value = value[:start] + value[cut + 1 :]
    for piece in (*LANGUAGE_NAMES, *data):
        if piece in value:
            value = value.replace(piece, "")
    return value


def _prefixes(data: list[str]) -> set[str]:
    return {piece[:n] for piece in data for n in range(6, min(len(piece), 60) + 1)}


def _offences(widget_texts: list[tuple[str, str]], language: str, data: list[str], root: str) -> list[str]:
    found: list[str] = []
    prefixes = _prefixes(data)
    for where, value in widget_texts:
        rest = _without_data(value, data, root, prefixes)
        if language == "en":
            if HAN.search(rest):
                found.append(f"{where}: {value!r}")
        else:
            if INTERNAL_CODE.search(value):
                found.append(f"{where}: internal code in {value!r}")
            words = [w for w in WORD.findall(rest) if w not in ALLOWED_WORDS]
            if words:
                found.append(f"{where}: English {words} in {value!r}")
    return found


def test_every_screen_reads_in_the_chosen_language_switched_live(
    qapp: QApplication, walk: tuple[MainWindow, Scene], ws: Workspace
) -> None:
    window, scene = walk
    root = str(ws.paths.root)
    problems: dict[str, list[str]] = {}
    try:
        for language in ("zh_CN", "en", "zh_CN"):
            with ws.db.session() as session:  # as 设置 does: stored, then applied to the open window
                save_settings(session, language=language)
            install_translator(qapp, language)
            for name in SCREENS:
                widget = open_screen(name, window, scene)
                data = [*data_texts(ws), scene.photo.name, *(f"“{h}”" for h in IMPORT_HEADERS), *FONT_ADVICE]
                found = _offences(texts_of(widget), language, data, root)
                if widget is not window:  # the page under a dialog must follow too
                    found += _offences(texts_of(window), language, data, root)
                if found:
                    problems[f"{language} {name}"] = sorted(set(found))
                close_screen(widget, window)
    finally:
        install_translator(qapp, "zh_CN")
    report = "\n".join(f"[{screen}]\n  " + "\n  ".join(lines) for screen, lines in problems.items())
    assert not problems, report
