"""The Debian packages the Qt xcb platform needs, derived from ``ldd`` rather than guessed.

    .venv/bin/python scripts/qt_system_packages.py          # prints one package a line

Qt's wheel carries Qt itself but not the X11/xcb libraries its xcb platform plugin links against; on a fresh
Debian several are missing (libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, ...) and the window cannot open. This
runs ``ldd`` on the xcb platform plugin, its GL integrations and the PySide6 modules the application imports,
and maps every library found outside the wheel to its package with ``dpkg -S`` (libc6 and the like included:
installing what is there costs nothing, and the list stays literally what ``ldd`` said). The Makefile's
``QT_XCB_PACKAGES`` is this list, and ``tests/install/test_system_libraries.py`` fails when it is incomplete or
when ``ldd`` finds a library missing.
Libraries ``ldd`` reports as not found cannot be mapped (they are not installed): they are printed to stderr
and the exit status is 1.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parents[1]
PYSIDE = Path(PySide6.__file__).resolve().parent
WHEELS = PYSIDE.parent
QT_IMPORT = re.compile(r"\bPySide6\.(Qt\w+)")


def application_qt_modules() -> list[str]:
    """The PySide6 modules the application imports (``from PySide6.QtX import ...``), read from its source."""
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        found.update(QT_IMPORT.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


def elf_files() -> list[Path]:
    """What the application loads of Qt under X11: its PySide6 modules, the xcb plugin and its GL integrations."""
    files = [path for module in application_qt_modules() for path in PYSIDE.glob(f"{module}.*.so")]
    plugins = PYSIDE / "Qt" / "plugins"
    files.append(plugins / "platforms" / "libqxcb.so")
    files.extend(sorted((plugins / "xcbglintegrations").glob("*.so")))
    return files


def system_libraries(files: list[Path]) -> tuple[set[Path], set[str]]:
    """(the libraries outside the wheel that ``ldd`` resolves, the sonames it cannot find)."""
    found: set[Path] = set()
    missing: set[str] = set()
    for file in files:
        output = subprocess.run(["ldd", str(file)], capture_output=True, text=True, check=True).stdout
        for line in output.splitlines():
            name, arrow, target = line.strip().partition(" => ")
            if not arrow:
                continue
            if target.startswith("not found"):
                missing.add(name)
                continue
            path = Path(target.split(" (", 1)[0])
            if WHEELS not in path.resolve().parents:  # Qt and shiboken libraries come with the wheels
                found.add(path)
    return found, missing


def _candidates(path: Path) -> list[str]:
    """Names dpkg may know the file by: as given, under /usr (merged /usr), and with links resolved."""
    names = [str(path), str(path.resolve())]
    if not str(path).startswith("/usr/"):
        names.append("/usr" + str(path))
    return list(dict.fromkeys(names))


def owning_packages(paths: set[Path]) -> set[str]:
    """The packages owning these files (one ``dpkg -S`` for all: it is slow to start)."""
    names = {name: path for path in paths for name in _candidates(path)}
    result = subprocess.run(["dpkg", "-S", *sorted(names)], capture_output=True, text=True, check=False)
    packages: set[str] = set()
    owned: set[Path] = set()
    for line in result.stdout.splitlines():
        owners, _, name = line.partition(": ")
        if name in names:
            owned.add(names[name])
            packages.update(owner.split(":", 1)[0].strip() for owner in owners.split(","))
    unowned = sorted(str(path) for path in paths - owned)
    if unowned:
        raise SystemExit("no Debian package owns " + ", ".join(unowned))
    return packages


def derive() -> tuple[list[str], list[str]]:
    """(the packages to install, the sonames ``ldd`` could not find)."""
    libraries, missing = system_libraries(elf_files())
    return sorted(owning_packages(libraries)), sorted(missing)


def main() -> int:
    packages, missing = derive()
    for package in packages:
        sys.stdout.write(package + "\n")
    if missing:
        sys.stderr.write("not found (install them, then run this again): " + " ".join(missing) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
