"""Fixtures for testing LaborCheck the way coordinators get it: the one-folder bundle and the .deb, on Xvfb.

``make test`` builds the bundle and the .deb once, before pytest, and names them in ``LABORCHECK_TEST_BUNDLE`` and
``LABORCHECK_TEST_DEB``; run alone, these fixtures build them into a temporary directory (a few minutes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.install.xserver import xcb_environment, xvfb

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "self-test passphrase"  # noqa: S105 - a throw-away data directory's passphrase


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    with xvfb() as name:
        yield name


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("LABORCHECK_TEST_BUNDLE")
    if given:
        return Path(given).resolve()
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    return work / "dist" / "laborcheck"


@pytest.fixture(scope="session")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("LABORCHECK_TEST_DEB")
    if given:
        return Path(given).resolve()
    from scripts.build_deb import build_deb

    work = tmp_path_factory.mktemp("deb")
    return build_deb(bundle, work / "out", work / "work")


def self_test(command: list[str], display: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``COMMAND gui --self-test`` on the xcb platform of ``display``, on a fresh data directory under ``home``.

    The data key is protected by the passphrase from the environment (keyring's ``fail`` backend is forced, so a
    developer's desktop keyring is never written to) and the Qt settings go under ``home``. The converted-font
    cache stays the user's, so the one-time font conversion is shared with the rest of the run."""
    env = xcb_environment(
        display,
        LABORCHECK_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        XDG_CONFIG_HOME=str(home / "config"),
    )
    env.pop("LABORCHECK_HOME", None)
    return subprocess.run(
        [*command, "gui", "--self-test", "--data-dir", str(home / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
