"""The app never brings its own keyring: keyring's detection (or the caller) chooses, and only what persists counts.

A keyring backend class defined anywhere in the app would be registered with keyring's detection just by being
imported, and a secure-looking one that forgets (the in-memory keyring that locked laptops) would then keep data
keys until the process ends. These tests fail if any module under ``app/`` (or ``core/``) defines, registers or
installs a backend, and if a secret is ever recorded as kept by a keyring that does not give it back.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

from app.storage.keyring_store import store_secret
from app.sync import credentials
from tests.keyrings import ENV as KEYRING_ENV
from tests.keyrings import FileKeyring, ForgetfulKeyring, InsecureKeyring

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "core")

IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import keyring.backend
names = []
for package in sys.argv[1:]:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        if info.name.endswith("__main__") or ".migrations." in info.name:
            continue
        importlib.import_module(info.name)
        names.append(info.name)
backends = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in keyring.backend.KeyringBackend._classes)
chosen = type(keyring.get_keyring())
print(json.dumps({"modules": names, "backends": backends, "chosen": chosen.__module__}))
"""


def test_importing_every_module_of_the_app_registers_no_keyring_backend(tmp_path: Path) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS", KEYRING_ENV)
    }
    env.update({"XDG_CONFIG_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)})
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING, *PACKAGES],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=ROOT,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert "app.ui.main_window" in found["modules"]
    assert "app.sync.credentials" in found["modules"]
    assert len(found["modules"]) > 100
    foreign = [name for name in found["backends"] if not name.startswith(("keyring.", "keyrings."))]
    assert foreign == []
    assert found["chosen"] == "keyring.backends.fail"  # nothing of ours won keyring's detection


def _python_files() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def _offences(tree: ast.AST, where_file: str) -> list[str]:
    """Keyring backend classes and calls that install or disable a keyring; ``gc.disable`` (pausing the garbage
    collector for bulk loading) is not keyring's ``disable``."""
    offences: list[str] = []
    for node in ast.walk(tree):
        where = f"{where_file}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ClassDef):
            bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
            if bases & {"KeyringBackend", "Keyring", "ChainerBackend"}:
                offences.append(f"{where}: class {node.name} is a keyring backend")
        elif isinstance(node, ast.Attribute | ast.Name):
            name = node.attr if isinstance(node, ast.Attribute) else node.id
            garbage_collector = isinstance(node, ast.Attribute) and ast.unparse(node.value) == "gc"
            if name in ("set_keyring", "init_backend") or (name == "disable" and not garbage_collector):
                offences.append(f"{where}: {name}")
    return offences


def test_the_source_check_tells_keyring_calls_from_the_garbage_collector() -> None:
    source = "import gc, keyring\nfrom keyring.core import disable\ngc.disable()\nkeyring.disable()\ndisable()\n"
    assert _offences(ast.parse(source), "x.py") == ["x.py:4: disable", "x.py:5: disable"]


def test_no_source_under_app_defines_or_installs_a_keyring_backend() -> None:
    """Also the code paths an import does not run (a function that would call ``set_keyring`` later)."""
    offences: list[str] = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offences += _offences(tree, str(path.relative_to(ROOT)))
    assert offences == []


def test_a_secret_counts_as_kept_only_when_a_fresh_instance_reads_it_back(tmp_path: Path) -> None:
    assert store_secret(FileKeyring(), "svc", "account", "secret")
    assert FileKeyring().get_password("svc", "account") == "secret"

    forgetful = ForgetfulKeyring()
    assert not store_secret(forgetful, "svc", "account", "secret")
    assert forgetful.secrets == {}  # the half-kept entry was taken back

    plaintext = InsecureKeyring(tmp_path / "plain.json")
    assert not store_secret(plaintext, "svc", "account", "secret")
    assert plaintext.entries() == []


def test_a_sync_token_is_not_kept_by_a_keyring_that_forgets(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(ForgetfulKeyring())  # restored by the suite's keyring fixture
    assert not credentials.save_token("http://127.0.0.1:8600", "li", "token-1")
    assert credentials.load_token("http://127.0.0.1:8600", "li") is None
