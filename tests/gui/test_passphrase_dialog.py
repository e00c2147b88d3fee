"""The passphrase dialog at start: says why, asks twice for a new passphrase, asks again after a wrong one."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.storage.keys import ENV_PASSPHRASE, NO_SECURE_KEYRING, Argon2Params, PassphraseRequest, key_method
from app.ui.passphrase_dialog import PassphraseDialog, open_workspace_interactively

FAST = Argon2Params(time_cost=1, memory_cost=8, parallelism=1)
PASSPHRASE = "正确的口令 horse battery"  # noqa: S105 - a test passphrase


@pytest.fixture(autouse=True)
def no_environment_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)


def _dialog(qtbot: QtBot, tmp_path: Path, *, new: bool, error: str | None = None) -> PassphraseDialog:
    dialog = PassphraseDialog(PassphraseRequest(tmp_path, new=new, reason=NO_SECURE_KEYRING), error)
    qtbot.addWidget(dialog)
    return dialog


def test_a_new_passphrase_is_typed_twice_and_the_reason_is_shown(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, new=True)
    assert NO_SECURE_KEYRING in dialog.reason.text()
    assert "无法找回" in dialog.reason.text()
    assert dialog.confirmation.isVisibleTo(dialog)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.confirmation.setText(PASSPHRASE + "x")
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "不一致" in dialog.error.text()
    assert not dialog.error.isHidden()
    dialog.confirmation.setText(PASSPHRASE)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_short_new_passphrase_is_refused_in_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, new=True)
    dialog.passphrase.setText("短")
    dialog.confirmation.setText("短")
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "太短" in dialog.error.text()


def test_an_existing_passphrase_is_asked_once_and_a_previous_error_is_shown(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, new=False, error="口令不正确")
    assert not dialog.confirmation.isVisibleTo(dialog)
    assert dialog.error.text() == "口令不正确"
    assert not dialog.error.isHidden()


def test_start_up_asks_again_after_a_wrong_passphrase_and_opens_with_the_right_one(tmp_path: Path) -> None:
    root = tmp_path / "data"
    asked: list[tuple[bool, str | None]] = []

    def first_start(request: PassphraseRequest, error: str | None) -> str | None:
        asked.append((request.new, error))
        return PASSPHRASE

    ws = open_workspace_interactively(root, prompt=first_start, keyring=fail.Keyring(), argon2_for_tests=FAST)
    assert ws is not None
    ws.close()
    assert asked == [(True, None)]
    assert key_method(root) == "passphrase"

    answers = iter(["wrong passphrase", PASSPHRASE])

    def later_start(request: PassphraseRequest, error: str | None) -> str | None:
        asked.append((request.new, error))
        return next(answers)

    ws = open_workspace_interactively(root, prompt=later_start, keyring=fail.Keyring())
    assert ws is not None
    ws.close()
    assert [new for new, _ in asked[1:]] == [False, False]
    assert asked[1][1] is None
    assert "口令不正确" in str(asked[2][1])


def test_quitting_the_dialog_opens_nothing(tmp_path: Path) -> None:
    ws = open_workspace_interactively(tmp_path / "data", prompt=lambda request, error: None, keyring=fail.Keyring())
    assert ws is None
    assert not (tmp_path / "data" / "key.json").exists()


def test_the_self_test_never_waits_for_a_dialog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def never(request: PassphraseRequest, error: str | None) -> str | None:
        raise AssertionError("no dialog in the self-test")

    assert (
        open_workspace_interactively(tmp_path / "data", interactive=False, prompt=never, keyring=fail.Keyring()) is None
    )
    assert ENV_PASSPHRASE in capsys.readouterr().err
