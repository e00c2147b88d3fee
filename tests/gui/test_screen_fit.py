"""Every page and dialog fits a 1366×768 laptop screen, in Chinese and in English.

Each screen of the catalogue (:mod:`tests.gui.screens`) is opened on a 1366×768 window. Checked: the window or
dialog is within the screen; every visible button lies fully within the screen and is not clipped by its parents
(a button inside a scroll area only needs its scroll area on screen); no label, button or drop-down shows its text
cut short (a label that does not wrap must be as wide as its text, a wrapping one as tall as its lines); table
headers are not cut. A PNG of each screen is written under the test's tmp_path, for looking at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.models import save_settings
from app.services.workspace import Workspace
from app.ui.app import STYLE_SHEET, install_font
from app.ui.context import UiContext
from app.ui.i18n import install_translator
from app.ui.main_window import MainWindow
from tests.gui.conftest import GUI_TODAY
from tests.gui.screens import SCREEN_SIZE, SCREENS, Scene, build_scene, close_screen, open_screen

SCREEN = QRect(0, 0, *SCREEN_SIZE)
SLACK = 2
"""Pixels of rounding a text measurement may differ by."""


@pytest.fixture
def laptop(
    qtbot: QtBot, qapp: QApplication, ui_ctx: UiContext, ws: Workspace, tmp_path: Path
) -> Iterator[tuple[MainWindow, Scene]]:
    font, sheet = qapp.font(), qapp.styleSheet()
    install_font(qapp)  # as the application starts: its CJK fonts and style sheet
    qapp.setStyleSheet(STYLE_SHEET)
    scene = build_scene(ws, GUI_TODAY, tmp_path)
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    window.setGeometry(SCREEN)
    window.show()
    yield window, scene
    window.close()
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def _on_screen(widget: QWidget) -> QRect:
    """The widget's rectangle in screen coordinates (the window sits at the screen's origin)."""
    return QRect(widget.mapToGlobal(QPoint(0, 0)) - widget.window().mapToGlobal(QPoint(0, 0)), widget.size())


def _in_scroll_area(widget: QWidget, top: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _visible(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.width() > 0 and widget.height() > 0


def _problems(top: QWidget) -> list[str]:
    found: list[str] = []
    window = top.window()
    origin = window.mapToGlobal(QPoint(0, 0))
    frame = QRect(origin - window.mapToGlobal(QPoint(0, 0)), window.size())
    if not SCREEN.contains(QRect(0, 0, window.width(), window.height())):
        found.append(f"{type(window).__name__} is {window.width()}×{window.height()}, larger than the screen")
    for widget in top.findChildren(QWidget):
        if not _visible(widget, top):
            continue
        name = f"{type(widget).__name__}#{widget.objectName() or '?'}"
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        label = f"{name} {text!r}" if text else name
        if isinstance(widget, QAbstractButton) and not isinstance(widget, QHeaderView):
            scroll = _in_scroll_area(widget, top)
            holder = scroll if scroll is not None else widget
            where = _on_screen(holder)
            if not frame.contains(where) or not SCREEN.contains(where):
                found.append(f"{label} is off the screen at {where.getRect()}")
            elif scroll is None and widget.visibleRegion().boundingRect() != widget.rect():
                found.append(f"{label} is cut off by its parent")
            metrics = widget.fontMetrics()
            if isinstance(widget, QPushButton) and text and "\n" not in text:
                need = metrics.horizontalAdvance(text.replace("&", "")) + 2 * 6
                if need > widget.width() + SLACK:
                    found.append(f"{label} is {widget.width()}px wide, its text needs {need}px")
            if (
                isinstance(widget, QCheckBox | QRadioButton)
                and text
                and widget.sizeHint().width() > widget.width() + SLACK
            ):
                found.append(f"{label} is cut: {widget.width()}px of {widget.sizeHint().width()}px")
        elif isinstance(widget, QLabel) and text:
            if _in_scroll_area(widget, top) is None and not frame.contains(_on_screen(widget)):
                found.append(f"{label} is off the screen")
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if need > widget.height() + SLACK:
                    found.append(f"{label} needs {need}px of height, has {widget.height()}px")
            elif widget.textFormat() != 1 and widget.sizeHint().width() > widget.width() + SLACK:  # 1: RichText
                found.append(f"{label} is {widget.width()}px wide, its text needs {widget.sizeHint().width()}px")
        elif isinstance(widget, QLineEdit) and not widget.text() and widget.placeholderText():
            need = widget.fontMetrics().horizontalAdvance(widget.placeholderText()) + 12
            if need > widget.width() + SLACK:
                found.append(f"{name} placeholder {widget.placeholderText()!r} is cut: {widget.width()}px of {need}px")
        elif isinstance(widget, QComboBox) and widget.currentText():
            need = widget.fontMetrics().horizontalAdvance(widget.currentText()) + 28
            if need > widget.width() + SLACK:
                found.append(f"{name} {widget.currentText()!r} is cut: {widget.width()}px of {need}px")
        elif isinstance(widget, QTableView):
            header = widget.horizontalHeader()
            margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
            model = widget.model()
            if model is None or not header.isVisible():
                continue
            for column in range(header.count()):
                if widget.isColumnHidden(column) or header.sectionSize(column) == 0:
                    continue
                title = model.headerData(column, header.orientation())
                if isinstance(title, str) and title:
                    need = header.fontMetrics().horizontalAdvance(title) + 2 * margin
                    if need > header.sectionSize(column) + SLACK:
                        found.append(f"{name} header {title!r} is cut: {header.sectionSize(column)}px of {need}px")
    return found


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_screen_fits_a_1366_by_768_laptop(
    qapp: QApplication, laptop: tuple[MainWindow, Scene], ws: Workspace, tmp_path: Path, language: str
) -> None:
    window, scene = laptop
    with ws.db.session() as session:
        save_settings(session, language=language)
    install_translator(qapp, language)
    problems: dict[str, list[str]] = {}
    try:
        for name in SCREENS:
            widget = open_screen(name, window, scene)
            QApplication.processEvents()
            widget.grab().save(str(tmp_path / f"{name}-{language}.png"))
            found = _problems(widget)
            if found:
                problems[name] = found
            close_screen(widget, window)
    finally:
        install_translator(qapp, "zh_CN")
    report = "\n".join(f"[{screen}]\n  " + "\n  ".join(lines) for screen, lines in problems.items())
    assert not problems, report
