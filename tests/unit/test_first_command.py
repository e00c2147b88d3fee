"""No first command may lock a coordinator out of a new data directory, whatever keyring the machine has.

Each CLI subcommand, and the GUI's first run, is the first command on a new data directory, in a fresh process
(the keyring backend is chosen there, by keyring itself, as on a coordinator's laptop):

* ``fail`` — a machine without a secure keyring (keyring's detection finds nothing: no D-Bus session, no config),
  with ``LABORCHECK_PASSPHRASE`` set: the data key must be protected by the passphrase;
* ``keyring`` — a machine with a working, persistent keyring (``tests.keyrings.FileKeyring`` through
  ``PYTHON_KEYRING_BACKEND``): the data key may be kept there.

Then a second command must open the directory, as a later start of the app would: through the same CLI entry point,
with a fresh instance of that machine's keyring. Until the in-memory keyring went, ``sync`` as the first command
on the ``fail`` machine recorded ``"method": "keyring"`` for a key that died with the process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.audit.uscc import make_uscc
from app.cli import build_parser
from app.cli import main as cli_main
from app.storage.keys import ENV_PASSPHRASE, SERVICE
from tests.keyrings import ENV as KEYRING_ENV
from tests.keyrings import FileKeyring

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "first command passphrase"  # noqa: S105 - a test passphrase


@dataclass(frozen=True)
class Machine:
    name: str
    env: dict[str, str]
    expected_method: str

    def keyring(self) -> keyring.backend.KeyringBackend:
        """A fresh instance of the backend a new process on this machine gets."""
        return fail.Keyring() if self.name == "fail" else FileKeyring()


def _base_env(tmp_path: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS", KEYRING_ENV, ENV_PASSPHRASE)
    }
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "share").mkdir(exist_ok=True)
    env.update(
        {
            "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no keyringrc.cfg chooses a backend
            "XDG_DATA_HOME": str(tmp_path / "share"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _machine(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Machine:
    env = _base_env(tmp_path)
    if name == "fail":
        env[ENV_PASSPHRASE] = PASSPHRASE
        monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
        return Machine(name, env, "passphrase")
    env["PYTHON_KEYRING_BACKEND"] = "tests.keyrings.FileKeyring"
    env[KEYRING_ENV] = str(tmp_path / "machine-keyring.json")
    monkeypatch.setenv(KEYRING_ENV, env[KEYRING_ENV])
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    return Machine(name, env, "keyring")


def _run(machine: Machine, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=machine.env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def _registry(tmp_path: Path) -> Path:
    path = tmp_path / "registry.csv"
    path.write_text(f"统一社会信用代码,企业名称\n{make_uscc('91511703MA62XXXX0')},达州恒达机械制造有限公司\n", "utf-8")
    return path


# (first command, whether it opens the data directory); ``D`` is the data directory, ``T`` the test's tmp_path.
FIRST_COMMANDS: dict[str, tuple[Callable[[str, Path], list[str]], bool]] = {
    "gui (first run, self-test)": (lambda d, t: ["gui", "--self-test", "--data-dir", d], True),
    "demo": (lambda d, t: ["demo", "--enterprises", "3", "--audits", "1", "--data-dir", d], True),
    "check-templates": (lambda d, t: ["check-templates", "--data-dir", d], False),
    "profile show": (lambda d, t: ["profile", "show", "--data-dir", d], True),
    "profile set": (lambda d, t: ["profile", "set", "--name", "李明", "--device-code", "A3", "--data-dir", d], True),
    "enterprise import": (lambda d, t: ["enterprise", "import", str(_registry(t)), "--data-dir", d], True),
    "enterprise add": (
        lambda d, t: ["enterprise", "add", "--uscc", make_uscc("91511703MA62XXXX0"), "--name", "恒达", "--data-dir", d],
        True,
    ),
    "enterprise search": (lambda d, t: ["enterprise", "search", "恒达", "--data-dir", d], True),
    "enterprise check-code": (lambda d, t: ["enterprise", "check-code", make_uscc("91511703MA62XXXX0")], False),
    "audit list": (lambda d, t: ["audit", "list", "--data-dir", d], True),
    "audit export": (lambda d, t: ["audit", "export", "no-such-audit", "-o", str(t / "a.json"), "--data-dir", d], True),
    "audit import": (lambda d, t: ["audit", "import", str(t / "missing.json"), "--data-dir", d], True),
    "audit pull-back": (lambda d, t: ["audit", "pull-back", "no-such-audit", "--user", "li", "--data-dir", d], True),
    "ledger": (lambda d, t: ["ledger", "-o", str(t / "ledger.xlsx"), "--data-dir", d], True),
    "notice": (lambda d, t: ["notice", "no-such-audit", "-o", str(t / "n.pdf"), "--data-dir", d], True),
    "summary": (lambda d, t: ["summary", "-o", str(t / "summary.pdf"), "--data-dir", d], True),
    "fonts": (lambda d, t: ["fonts", "--data-dir", d], True),
    "statistics": (lambda d, t: ["statistics", "--data-dir", d], True),
    "sync (unreachable server)": (
        lambda d, t: ["--data-dir", d, "sync", "--server", "http://127.0.0.1:9", "--yes"],
        True,
    ),
    "sync with a password": (
        lambda d, t: [
            "--data-dir",
            d,
            "sync",
            "--server",
            "http://127.0.0.1:9",
            "--yes",
            "--user",
            "li",
            "--password-stdin",
        ],
        True,
    ),
    "export-templates": (lambda d, t: ["export-templates", str(t / "snapshots"), "--data-dir", d], False),
    "passphrase": (lambda d, t: ["passphrase", "--data-dir", d], False),
}


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                nested = _subcommands(child, f"{prefix}{name} ")
                found |= nested or {prefix + name}
    return found


def test_the_matrix_has_every_subcommand() -> None:
    """A new subcommand joins the matrix below, or this fails."""
    covered = {name.split(" (")[0].removesuffix(" with a password") for name in FIRST_COMMANDS}
    assert _subcommands(build_parser()) - covered == set()


def test_the_fail_machine_really_has_no_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The matrix's ``fail`` machine is what keyring detects on a headless laptop: nothing secure."""
    machine = _machine("fail", tmp_path, monkeypatch)
    probe = subprocess.run(
        [sys.executable, "-c", "import keyring; print(type(keyring.get_keyring()).__module__)"],
        env=machine.env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert probe.stdout.strip() == "keyring.backends.fail"


@pytest.mark.parametrize("machine_name", ["fail", "keyring"])
@pytest.mark.parametrize("command", list(FIRST_COMMANDS))
def test_a_first_command_leaves_a_directory_the_next_command_opens(
    command: str, machine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    machine = _machine(machine_name, tmp_path, monkeypatch)
    data = tmp_path / "data"
    build, opens = FIRST_COMMANDS[command]
    first = _run(machine, *build(str(data), tmp_path), stdin="not-the-password\n")
    assert "Traceback" not in first.stderr
    assert "内部错误" not in first.stderr, first.stderr

    key_file = data / "key.json"
    if opens:
        assert key_file.is_file(), first.stderr
        document = json.loads(key_file.read_text(encoding="utf-8"))
        assert document["method"] == machine.expected_method
        if machine.expected_method == "keyring":
            assert FileKeyring().get_password(SERVICE, f"data-key-{document['key_id']}")
    else:
        assert not key_file.exists()

    keyring.set_keyring(machine.keyring())  # the next start on this machine (restored by the suite's fixture)
    capsys.readouterr()
    assert cli_main(["audit", "list", "--data-dir", str(data)]) == 0, capsys.readouterr().err
    assert json.loads(key_file.read_text(encoding="utf-8"))["method"] == machine.expected_method


def test_sync_first_then_a_new_process_opens_the_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported sequence, both commands in their own processes, on a machine without a keyring."""
    machine = _machine("fail", tmp_path, monkeypatch)
    data = str(tmp_path / "data")
    first = _run(machine, "--data-dir", data, "sync", "--server", "http://127.0.0.1:9", "--yes")
    assert first.returncode == 1
    assert "密钥环" in first.stderr  # the password is needed, and the reason is given
    second = _run(machine, "--data-dir", data, "audit", "list")
    assert second.returncode == 0, second.stderr
    assert "还没有体检记录" in second.stdout


def test_without_a_keyring_or_a_passphrase_the_first_command_says_so_and_locks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = _machine("fail", tmp_path, monkeypatch)
    env = {name: value for name, value in machine.env.items() if name != ENV_PASSPHRASE}
    data = tmp_path / "data"
    first = Machine("fail", env, "passphrase")
    result = _run(first, "--data-dir", str(data), "sync", "--server", "http://127.0.0.1:9", "--yes")
    assert result.returncode == 1
    assert ENV_PASSPHRASE in result.stderr
    assert not (data / "key.json").exists()
    again = _run(machine, "--data-dir", str(data), "audit", "list")
    assert again.returncode == 0, again.stderr
    assert json.loads((data / "key.json").read_text(encoding="utf-8"))["method"] == "passphrase"
