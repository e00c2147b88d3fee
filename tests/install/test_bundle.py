"""The one-folder bundle, as ``make dist`` builds it from a clean clone, starts on xcb and carries only what it must.

``make test`` builds it once (``LABORCHECK_TEST_BUNDLE``); the .deb tests reuse it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from PyInstaller.archive.readers import CArchiveReader

from tests.install.conftest import ROOT, self_test

NOT_FOR_LAPTOPS = {
    # the district server and its stack
    "server", "fastapi", "uvicorn", "psycopg", "starlette",
    # tests and development tools
    "tests", "bench", "scripts", "pytest", "_pytest", "pytestqt", "hypothesis", "schemathesis", "mypy", "ruff",
    "importlinter", "PyInstaller", "pip", "setuptools", "IPython", "rich", "pygments",
}  # fmt: skip


def frozen_modules(bundle: Path) -> set[str]:
    archive = CArchiveReader(str(bundle / "laborcheck"))
    return set(archive.open_embedded_archive("PYZ.pyz").toc)


def test_the_bundle_starts_on_xcb_and_finds_its_templates_migrations_and_fonts(
    bundle: Path, display: str, tmp_path: Path
) -> None:
    result = self_test([str(bundle / "laborcheck")], display, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    inside = bundle / "_internal"
    assert f"templates: 11 modules from {inside / 'app' / 'checklists' / 'templates'}" in result.stdout
    revisions = len(list((ROOT / "app" / "migrations" / "versions").glob("0*.py")))
    assert f"migrations: {revisions} revisions from {inside / 'app' / 'migrations'}" in result.stdout
    assert "notice: " in result.stdout
    assert "on the xcb platform" in result.stdout
    assert not list(inside.rglob("__pycache__")), "running the bundle wrote bytecode into it"


def test_the_bundle_carries_no_server_tests_or_development_tools(bundle: Path) -> None:
    modules = frozen_modules(bundle)
    assert {"app.ui.app", "app.services.self_check", "argon2", "filelock"} <= modules
    assert not {name for name in modules if name.split(".")[0] in NOT_FOR_LAPTOPS}
    top = {path.name for path in (bundle / "_internal").iterdir()}
    assert not top & NOT_FOR_LAPTOPS


def test_the_bundle_holds_only_data_files_git_tracks(bundle: Path) -> None:
    tracked = set(
        subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    )
    inside = bundle / "_internal"
    ours = [path for folder in ("app", "core", "resources") for path in (inside / folder).rglob("*") if path.is_file()]
    assert ours
    for path in ours:
        relative = path.relative_to(inside).as_posix()
        if relative.endswith(".qm"):  # compiled by the spec from the tracked source
            assert relative.removesuffix(".qm") + ".ts" in tracked, relative
        else:
            assert relative in tracked, f"{relative} is in the bundle but not in git"
