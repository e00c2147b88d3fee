"""The passphrase asked at start where no secure keyring can keep the data key (see :mod:`app.storage.keys`).

The dialog says why it asks. A new passphrase is typed twice; a wrong one is shown in the dialog, which asks
again, and nothing on disk changes. The texts are deliberately not ``tr()`` strings: the language setting lives in
the encrypted database, so this dialog appears before any translation can be chosen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from keyring.backend import KeyringBackend
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import Workspace, open_workspace
from app.storage.keys import (
    MIN_PASSPHRASE_LENGTH,
    Argon2Params,
    PassphraseRequest,
    PassphraseRequired,
    WrongPassphrase,
    passphrase_from_environment,
)
from core.errors import LaborCheckError

MAX_ATTEMPTS = 5

Prompt = Callable[[PassphraseRequest, str | None], str | None]
"""Shows the request (and the previous attempt's error); returns the passphrase, or None when cancelled."""


class PassphraseCancelled(LaborCheckError):
    def __init__(self) -> None:
        super().__init__("未输入口令，数据目录没有打开。")


class PassphraseDialog(QDialog):
    """Asks for the passphrase of a data directory (twice when a new one is being set), saying why."""

    def __init__(self, request: PassphraseRequest, error: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setWindowTitle("设置数据口令" if request.new else "输入数据口令")
        self.setMinimumWidth(480)
        what = (
            f"请为数据目录设置口令（至少 {MIN_PASSPHRASE_LENGTH} 个字符）。口令无法找回，请妥善记住；"
            "忘记口令将无法打开本机上的数据（已同步到服务器的数据不受影响）。"
            if request.new
            else "本机上的数据已加密，请输入口令以打开。"
        )
        self.reason = QLabel(f"{request.reason}\n\n{what}\n数据目录：{request.data_dir}")
        self.reason.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmation = QLineEdit()
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(error or "")
        self.error.setObjectName("passphraseError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.setVisible(bool(error))
        form = QFormLayout()
        form.addRow("口令", self.passphrase)
        if request.new:
            form.addRow("再次输入", self.confirmation)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("设置口令并打开" if request.new else "打开")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # Wrapped labels need height-for-width: without this the dialog can open too short and clip the reason.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        for label in (self.reason, self.error):
            label.setMinimumWidth(self.minimumWidth() - 24)
        self.passphrase.setFocus()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def _accept_if_valid(self) -> None:
        text = self.passphrase.text()
        if not text:
            self._show_error("请输入口令。")
        elif self.request.new and len(text) < MIN_PASSPHRASE_LENGTH:
            self._show_error(f"口令太短：至少需要 {MIN_PASSPHRASE_LENGTH} 个字符。")
        elif self.request.new and self.confirmation.text() != text:
            self._show_error("两次输入的口令不一致，请重新输入。")
            self.confirmation.clear()
        else:
            self.accept()


def ask_with_dialog(request: PassphraseRequest, error: str | None, parent: QWidget | None = None) -> str | None:
    dialog = PassphraseDialog(request, error, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.passphrase.text()


def _environment_only(request: PassphraseRequest) -> str:
    found = passphrase_from_environment()
    if found is None:
        raise PassphraseRequired(request.reason)
    return found


def open_workspace_interactively(
    data_dir: str | os.PathLike[str] | None,
    *,
    interactive: bool = True,
    prompt: Prompt = ask_with_dialog,
    keyring: KeyringBackend | None = None,
    argon2_for_tests: Argon2Params | None = None,
) -> Workspace | None:
    """Open the data directory, asking for the passphrase in a dialog when one is needed; None when the user quit.

    ``LABORCHECK_PASSPHRASE`` is used when set (scripts, the frozen build's self-test). ``interactive=False``
    never shows a dialog (the self-test on a headless machine must fail, not wait).
    """
    error: list[str | None] = [None]

    def source(request: PassphraseRequest) -> str:
        found = passphrase_from_environment()
        if found is not None:
            return found
        answer = prompt(request, error[0])
        if answer is None:
            raise PassphraseCancelled
        return answer

    for _ in range(MAX_ATTEMPTS):
        try:
            return open_workspace(
                data_dir,
                passphrase=source if interactive else _environment_only,
                keyring=keyring,
                argon2_for_tests=argon2_for_tests,
            )
        except WrongPassphrase as wrong:
            if not interactive or passphrase_from_environment() is not None:
                _refuse(wrong)
                return None
            error[0] = str(wrong)
        except PassphraseCancelled:
            return None
        except LaborCheckError as failure:
            _refuse(failure)
            return None
    _refuse(WrongPassphrase())
    return None


def _refuse(error: LaborCheckError) -> None:
    """Say why the directory cannot be opened (the GUI has no window yet: a message box, and stderr)."""
    sys.stderr.write(f"{error}\n")
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        QMessageBox.critical(None, "无法打开数据", str(error))


__all__ = [
    "PassphraseCancelled",
    "PassphraseDialog",
    "ask_with_dialog",
    "open_workspace_interactively",
]
