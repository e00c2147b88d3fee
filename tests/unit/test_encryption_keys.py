"""The data key: kept by the keyring when it is secure, by a passphrase otherwise; never in clear; never lost."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
from pathlib import Path

import pytest
from keyring.backends import fail

from app.cli import main as cli_main
from app.db import DatabaseKeyMismatch
from app.services.workspace import open_workspace
from app.storage.keys import (
    ENV_PASSPHRASE,
    NO_SECURE_KEYRING,
    SERVICE,
    Argon2Params,
    KeyFileMissing,
    KeyringKeyMissing,
    PassphraseRequest,
    PassphraseRequired,
    PassphraseTooShort,
    WrongPassphrase,
    change_passphrase,
    key_method,
    load_data_key,
    secure_keyring_available,
)
from tests.keyrings import ENV as KEYRING_ENV
from tests.keyrings import FileKeyring, ForgetfulKeyring, InsecureKeyring
from tests.unit._encryption_visit import NOTE, scripted_visit

FAST = Argon2Params(time_cost=1, memory_cost=8, parallelism=1)
"""Tiny Argon2 cost, passed explicitly: the production cost (64 MiB) is the default and no setting lowers it."""
PASSPHRASE = "正确的口令 horse battery"  # noqa: S105 - test passphrases
NEW_PASSPHRASE = "新的口令 staple 2026"  # noqa: S105
WRONG_PASSPHRASE = "wrong passphrase"  # noqa: S105
SHORT_PASSPHRASE = "短口令"  # noqa: S105


def _fingerprints(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _passphrase_workspace(root: Path, passphrase: str = PASSPHRASE) -> None:
    ws = open_workspace(root, passphrase=passphrase, keyring=fail.Keyring(), argon2_for_tests=FAST)
    try:
        scripted_visit(ws.db, ws.blobs)
    finally:
        ws.close()


def test_with_a_secure_keyring_the_wrapping_key_lives_there_and_nothing_is_asked(
    tmp_path: Path, suite_keyring: FileKeyring
) -> None:
    def never(request: PassphraseRequest) -> str:
        raise AssertionError("no passphrase should be asked when a secure keyring exists")

    open_workspace(tmp_path / "data", passphrase=never).close()
    assert key_method(tmp_path / "data") == "keyring"
    key_id = json.loads((tmp_path / "data" / "key.json").read_text())["key_id"]
    assert (SERVICE, f"data-key-{key_id}") in suite_keyring.entries()
    assert FileKeyring().get_password(SERVICE, f"data-key-{key_id}")  # a fresh instance (or process) finds it
    document = json.loads((tmp_path / "data" / "key.json").read_text())
    assert set(document) == {"format", "key_id", "method", "kdf", "nonce", "wrapped_key"}
    data_key = load_data_key(tmp_path / "data")
    raw = (tmp_path / "data" / "key.json").read_bytes()
    assert data_key.hex().encode() not in raw
    assert base64.b64encode(data_key) not in raw
    assert len(base64.b64decode(document["wrapped_key"])) == 32 + 16  # the key, sealed with its tag


def test_each_data_directory_has_its_own_key(tmp_path: Path) -> None:
    open_workspace(tmp_path / "a").close()
    open_workspace(tmp_path / "b").close()
    assert load_data_key(tmp_path / "a") != load_data_key(tmp_path / "b")


@pytest.mark.parametrize("kind", ["fail", "plaintext", "forgetful"])
def test_without_a_secure_keyring_a_new_passphrase_is_asked_and_the_reason_given(tmp_path: Path, kind: str) -> None:
    backend = {
        "fail": fail.Keyring,
        "plaintext": lambda: InsecureKeyring(tmp_path / "plaintext-store.json"),
        "forgetful": ForgetfulKeyring,
    }[kind]()
    assert kind == "forgetful" or not secure_keyring_available(backend)
    requests: list[PassphraseRequest] = []

    def ask(request: PassphraseRequest) -> str:
        requests.append(request)
        return PASSPHRASE

    open_workspace(tmp_path / "data", passphrase=ask, keyring=backend, argon2_for_tests=FAST).close()
    assert [(r.new, r.reason) for r in requests] == [(True, NO_SECURE_KEYRING)]
    assert key_method(tmp_path / "data") == "passphrase"
    if isinstance(backend, InsecureKeyring):
        assert backend.entries(SERVICE) == []  # nothing put in the plaintext store
    if isinstance(backend, ForgetfulKeyring):
        assert backend.secrets == {}  # what it could not keep was taken back

    open_workspace(tmp_path / "data", passphrase=ask, keyring=backend).close()
    assert [r.new for r in requests] == [True, False]


def test_a_new_passphrase_must_have_eight_characters(tmp_path: Path) -> None:
    with pytest.raises(PassphraseTooShort):
        open_workspace(tmp_path / "data", passphrase=SHORT_PASSPHRASE, keyring=fail.Keyring(), argon2_for_tests=FAST)
    assert not (tmp_path / "data" / "key.json").exists()


def test_a_wrong_passphrase_is_a_clear_error_and_changes_no_file(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _passphrase_workspace(root)
    before = _fingerprints(root)
    with pytest.raises(WrongPassphrase, match="口令不正确"):
        open_workspace(root, passphrase=WRONG_PASSPHRASE, keyring=fail.Keyring())
    assert _fingerprints(root) == before
    ws = open_workspace(root, passphrase=PASSPHRASE, keyring=fail.Keyring())
    try:
        with ws.db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM answer WHERE note = ?", (NOTE,)).scalar() == 1
    finally:
        ws.close()


def test_a_key_file_that_does_not_fit_the_database_is_a_clear_error_and_changes_no_file(tmp_path: Path) -> None:
    open_workspace(tmp_path / "a").close()
    open_workspace(tmp_path / "b").close()
    (tmp_path / "a" / "key.json").write_bytes((tmp_path / "b" / "key.json").read_bytes())
    before = _fingerprints(tmp_path / "a")
    with pytest.raises(DatabaseKeyMismatch, match="无法用本数据目录的密钥解开"):
        open_workspace(tmp_path / "a")
    assert _fingerprints(tmp_path / "a") == before


def test_a_keyring_that_lost_the_key_is_a_clear_error_and_changes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEYRING_ENV, str(tmp_path / "keyring.json"))
    backend = FileKeyring()
    open_workspace(tmp_path / "data", keyring=backend).close()
    before = _fingerprints(tmp_path / "data")
    (tmp_path / "keyring.json").unlink()
    with pytest.raises(KeyringKeyMissing, match="系统密钥环中找不到"):
        open_workspace(tmp_path / "data", keyring=backend)
    assert _fingerprints(tmp_path / "data") == before


def test_an_encrypted_database_without_its_key_file_is_never_replaced_by_a_new_one(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    scripted_visit(ws.db, ws.blobs)
    ws.close()
    (tmp_path / "data" / "key.json").unlink()
    before = _fingerprints(tmp_path / "data")
    with pytest.raises(KeyFileMissing, match="缺少密钥文件"):
        open_workspace(tmp_path / "data")
    assert _fingerprints(tmp_path / "data") == before


def test_changing_the_passphrase_rewraps_the_key_without_touching_the_data(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _passphrase_workspace(root)
    before = _fingerprints(root)
    data_key = load_data_key(root, passphrase=PASSPHRASE)
    change_passphrase(root, NEW_PASSPHRASE, current=PASSPHRASE, argon2_for_tests=FAST)
    after = _fingerprints(root)
    assert {name for name in after if after[name] != before.get(name)} == {"key.json"}
    assert load_data_key(root, passphrase=NEW_PASSPHRASE) == data_key
    with pytest.raises(WrongPassphrase):
        load_data_key(root, passphrase=PASSPHRASE)


def test_changing_the_passphrase_needs_the_current_one(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _passphrase_workspace(root)
    before = _fingerprints(root)
    with pytest.raises(WrongPassphrase):
        change_passphrase(root, NEW_PASSPHRASE, current="not the passphrase", argon2_for_tests=FAST)
    assert _fingerprints(root) == before


def test_a_keyring_directory_can_move_to_a_passphrase(tmp_path: Path, suite_keyring: FileKeyring) -> None:
    open_workspace(tmp_path / "data").close()
    data_key = load_data_key(tmp_path / "data")
    key_id = json.loads((tmp_path / "data" / "key.json").read_text())["key_id"]
    change_passphrase(tmp_path / "data", PASSPHRASE, argon2_for_tests=FAST)
    assert key_method(tmp_path / "data") == "passphrase"
    assert (SERVICE, f"data-key-{key_id}") not in suite_keyring.entries()
    assert load_data_key(tmp_path / "data", passphrase=PASSPHRASE, keyring=fail.Keyring()) == data_key


def test_an_edited_kdf_parameter_does_not_unlock(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _passphrase_workspace(root)
    document = json.loads((root / "key.json").read_text())
    document["kdf"]["time_cost"] = 2
    (root / "key.json").write_text(json.dumps(document))
    with pytest.raises(WrongPassphrase):
        load_data_key(root, passphrase=PASSPHRASE)


def test_without_a_terminal_or_the_environment_variable_the_passphrase_is_required_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    _passphrase_workspace(root)
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(sys, "stdin", open(Path(__file__)))  # noqa: SIM115  (not a terminal)
    try:
        with pytest.raises(PassphraseRequired, match=ENV_PASSPHRASE):
            open_workspace(root, keyring=fail.Keyring())
    finally:
        sys.stdin.close()


def test_scripts_give_the_passphrase_in_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "data"
    _passphrase_workspace(root)
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    open_workspace(root, keyring=fail.Keyring()).close()


def test_the_cli_takes_the_passphrase_from_the_environment_and_reports_a_wrong_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import keyring

    root = tmp_path / "data"
    _passphrase_workspace(root)
    keyring.set_keyring(fail.Keyring())  # restored by the suite_keyring fixture
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    assert cli_main(["enterprise", "search", "恒达机械", "--data-dir", str(root)]) == 0
    assert "达州恒达机械制造有限公司" in capsys.readouterr().out
    monkeypatch.setenv(ENV_PASSPHRASE, "wrong passphrase")
    assert cli_main(["enterprise", "search", "恒达机械", "--data-dir", str(root)]) == 1
    assert "口令不正确" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_sets_a_new_passphrase_typed_twice_without_touching_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import getpass

    import keyring

    root = tmp_path / "data"
    _passphrase_workspace(root)
    before = _fingerprints(root)
    keyring.set_keyring(fail.Keyring())  # restored by the suite_keyring fixture
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)  # the current passphrase, as a script would give it
    typed = iter([NEW_PASSPHRASE, NEW_PASSPHRASE])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    monkeypatch.setattr(sys, "stdin", _Terminal())
    assert cli_main(["passphrase", "--data-dir", str(root)]) == 0
    assert "已设置新口令" in capsys.readouterr().out
    after = _fingerprints(root)
    assert {name for name in after if after[name] != before.get(name)} == {"key.json"}
    assert load_data_key(root, passphrase=NEW_PASSPHRASE) != b""
