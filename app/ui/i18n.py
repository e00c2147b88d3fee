"""Interface language: Simplified Chinese (the source text of every ``tr()``) or English (a compiled .qm).

Chinese needs no translation file of ours, since every source string is Chinese; for it only Qt's own
``qtbase_zh_CN`` is loaded so standard buttons (OK/Cancel, file dialogs) read in Chinese too. English loads
``resources/i18n/laborcheck_en.qm`` (compiled by the set-up from ``laborcheck_en.ts``). Switching installs the new
translators and removes the old ones; Qt then sends every widget a ``LanguageChange`` event, and widgets that
re-set their texts in ``changeEvent`` switch live.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("zh_CN", "en")
TRANSLATION_STEM = "laborcheck"

_installed: list[QTranslator] = []
_current = ["zh_CN"]


class LiveTexts:
    """Texts that follow the interface language: ``bind(label.setText, lambda: self.tr("…"))`` sets the text now
    and again whenever :meth:`refresh` is called (a widget's ``changeEvent`` on ``LanguageChange``)."""

    def __init__(self) -> None:
        self._bound: list[tuple[Callable[[str], object], Callable[[], str]]] = []

    def bind(self, setter: Callable[[str], object], make: Callable[[], str]) -> None:
        setter(make())
        self._bound.append((setter, make))

    def refresh(self) -> None:
        for setter, make in self._bound:
            setter(make())


def grade_text(grade: str | None) -> str:
    """A risk grade (stored as 高/中/低, the value the services and exports use) in the interface language."""
    labels = {
        "高": QCoreApplication.translate("RiskGrade", "高"),
        "中": QCoreApplication.translate("RiskGrade", "中"),
        "低": QCoreApplication.translate("RiskGrade", "低"),
    }
    if not grade:
        return QCoreApplication.translate("RiskGrade", "未评级")
    return labels.get(grade, grade)


def resources_dir() -> Path:
    """``resources/`` beside the ``app`` package, or inside the PyInstaller bundle when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def translations_dir() -> Path:
    return resources_dir() / "i18n"


def qm_path(language: str) -> Path:
    return translations_dir() / f"{TRANSLATION_STEM}_{language}.qm"


def _qt_translator(language: str) -> QTranslator | None:
    translator = QTranslator()
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    bundled = resources_dir() / "qt_translations"
    for folder in (directory, str(bundled)):
        if translator.load(f"qtbase_{language}", folder):
            return translator
    return None


def install_translator(app: QCoreApplication, language: str) -> bool:
    """Make ``language`` the interface language; returns False when its translation file could not be loaded.

    Unknown languages fall back to Chinese. Safe to call again to switch: the previous translators are removed.
    """
    if language not in LANGUAGES:
        language = "zh_CN"
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    loaded = True
    if language == "en":
        ours = QTranslator()
        if ours.load(str(qm_path("en"))):
            app.installTranslator(ours)
            _installed.append(ours)
        else:
            loaded = False
        QLocale.setDefault(QLocale("en_US"))
    else:
        QLocale.setDefault(QLocale("zh_CN"))
    _current[0] = language
    qt = _qt_translator("zh_CN" if language == "zh_CN" else "en")
    if qt is not None:
        app.installTranslator(qt)
        _installed.append(qt)
    # Deliver the LanguageChange events now, so every open widget shows the new language when this returns.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return loaded


def current_language() -> str:
    """The language last installed (Chinese before any call)."""
    return _current[0]
