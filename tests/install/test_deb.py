"""The .deb (``make deb``): under /opt, a menu entry with icon and Chinese name, Depends on the Qt xcb libraries
and a Chinese font; it installs with dpkg -i (+ apt-get install -f), the installed program passes its self-test on
xcb, and removal leaves nothing behind.

The install test changes the machine, so it runs as root only (CI does) and holds a lock for the whole cycle,
so two work trees testing at once on one machine take turns instead of installing over each other.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock

from core.fonts import DEBIAN_PACKAGES
from tests.install.conftest import self_test

INSTALLED = Path("/opt/laborcheck")
MENU_ENTRY = Path("/usr/share/applications/laborcheck.desktop")
ICON = Path("/usr/share/icons/hicolor/256x256/apps/laborcheck.png")
COMMAND = Path("/usr/bin/laborcheck")
CYCLE_LOCK = Path(tempfile.gettempdir()) / "laborcheck-deb-test.lock"


def field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()


def package_files(deb: Path) -> list[str]:
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    return [line.split()[5] for line in listing.splitlines()]


def extract(deb: Path, member: str, target: Path) -> Path:
    with subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE) as archive:
        subprocess.run(["tar", "-x", "--occurrence", "-C", str(target), member], stdin=archive.stdout, check=True)
        assert archive.stdout is not None
        archive.stdout.close()
    return target / member


def installed_status() -> str:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status}", "laborcheck"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else "not installed"


@contextmanager
def dpkg_lock() -> Iterator[dict[str, str]]:
    """Wait for dpkg's frontend lock (apt or another dpkg may be running) and hold it, as apt does for dpkg."""
    descriptor = os.open("/var/lib/dpkg/lock-frontend", os.O_RDWR | os.O_CREAT, 0o640)
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX)
        yield {**os.environ, "DPKG_FRONTEND_LOCKED": "1"}
    finally:
        os.close(descriptor)


def test_the_package_installs_under_opt_with_a_command_a_menu_entry_and_an_icon(deb: Path, tmp_path: Path) -> None:
    files = package_files(deb)
    assert "./opt/laborcheck/laborcheck" in files
    assert "./usr/bin/laborcheck" in files
    assert "./usr/share/applications/laborcheck.desktop" in files
    for size in ("48x48", "128x128", "256x256"):
        assert f"./usr/share/icons/hicolor/{size}/apps/laborcheck.png" in files
    assert "./usr/share/icons/hicolor/scalable/apps/laborcheck.svg" in files
    outside = [name for name in files if not name.startswith(("./opt/laborcheck", "./usr/bin", "./usr/share", "./"))]
    assert not outside
    assert not [name for name in files if name.startswith(("./etc", "./var", "./home"))]
    entry = extract(deb, "./usr/share/applications/laborcheck.desktop", tmp_path)
    text = entry.read_text(encoding="utf-8")
    assert "\nName=劳动用工法治体检\n" in text
    assert "\nName[zh_CN]=劳动用工法治体检\n" in text
    assert "\nIcon=laborcheck\n" in text
    assert "\nExec=/opt/laborcheck/laborcheck gui\n" in text
    validator = shutil.which("desktop-file-validate")
    assert validator is not None, "desktop-file-utils is part of the set-up"
    subprocess.run([validator, str(entry)], check=True)


def test_the_package_depends_on_the_qt_xcb_libraries_and_a_chinese_font(deb: Path) -> None:
    depends = field(deb, "Depends")
    names = {alternative.split()[0] for part in depends.split(",") for alternative in part.split("|")}
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libfontconfig1"} <= names
    assert "fonts-wqy-microhei | fonts-wqy-zenhei" in depends
    recommends = {name.strip() for name in field(deb, "Recommends").split(",")}
    assert set(DEBIAN_PACKAGES.split()) - {"fonts-wqy-microhei"} == recommends  # the faces core.fonts prefers
    assert field(deb, "Package") == "laborcheck"
    assert int(field(deb, "Installed-Size")) > 50_000  # KiB: the bundle, not an empty shell
    assert not [name for name in subprocess.run(
        ["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True, check=True
    ).stdout.split(b"\0") if name.endswith((b"postinst", b"prerm", b"postrm", b"preinst"))]  # fmt: skip


@pytest.mark.skipif(os.geteuid() != 0, reason="installing a .deb needs root; CI runs as root")
def test_the_package_installs_starts_on_xcb_and_removes_cleanly(deb: Path, display: str, tmp_path: Path) -> None:
    with FileLock(CYCLE_LOCK):
        assert installed_status() == "not installed", "laborcheck is installed here already: this test would remove it"
        try:
            with dpkg_lock() as env:
                subprocess.run(["dpkg", "-i", str(deb)], env=env, capture_output=True, check=False)
            subprocess.run(  # whatever Depends dpkg found missing; a Depends apt cannot satisfy removes the package
                ["apt-get", "install", "-f", "-y", "-q", "-o", "DPkg::Lock::Timeout=600"],
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                capture_output=True,
                check=True,
            )
            assert installed_status() == "install ok installed"
            assert os.access(INSTALLED / "laborcheck", os.X_OK)
            assert COMMAND.resolve() == INSTALLED / "laborcheck"
            assert MENU_ENTRY.is_file()
            assert ICON.is_file()

            result = self_test([str(COMMAND)], display, tmp_path)
            assert result.returncode == 0, result.stdout + result.stderr
            assert f"templates: 11 modules from {INSTALLED / '_internal'}" in result.stdout
            assert "on the xcb platform" in result.stdout
        finally:
            with dpkg_lock() as env:
                subprocess.run(["dpkg", "--purge", "laborcheck"], env=env, capture_output=True, check=False)
        assert installed_status() == "not installed"
        for path in (INSTALLED, MENU_ENTRY, ICON, COMMAND):
            assert not path.is_symlink(), f"{path} is left after removal"
            assert not path.exists(), f"{path} is left after removal"
