"""The set-up installs every system library Qt's xcb platform needs: the list is derived from ``ldd``.

On a fresh Debian ``make run`` used to abort with "xcb-cursor0 or libxcb-cursor0 is needed"; libxcb-icccm4 and
libxcb-keysyms1 were missing too. ``scripts/qt_system_packages.py`` maps what ``ldd`` reports for the xcb plugin
and the PySide6 modules the application imports to Debian packages; the Makefile must install all of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from scripts.qt_system_packages import application_qt_modules, derive, elf_files

ROOT = Path(__file__).resolve().parents[2]


def makefile_packages() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.search(r"^QT_XCB_PACKAGES :=(.*)$", text, re.MULTILINE)
    assert found is not None, "the Makefile has no QT_XCB_PACKAGES list"
    return set(found.group(1).split())


def test_the_derivation_reads_the_xcb_plugin_and_the_modules_the_application_imports() -> None:
    modules = application_qt_modules()
    assert {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport"} <= set(modules)
    names = [path.name for path in elf_files()]
    assert "libqxcb.so" in names
    assert any(name.startswith("QtWidgets.") for name in names)


def test_every_library_the_xcb_platform_needs_is_installed_and_in_the_setup_list() -> None:
    packages, missing = derive()
    assert not missing, f"ldd finds these missing (add their packages to QT_XCB_PACKAGES): {missing}"
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0"} <= set(packages)
    not_listed = sorted(set(packages) - makefile_packages())
    assert not not_listed, f"add to QT_XCB_PACKAGES in the Makefile: {not_listed}"
