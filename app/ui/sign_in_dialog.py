"""Signing in to the district server for one request (a sync, a pull-back) when no token is stored."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.sync.pull import get_cursor
from app.sync.service import USER_CURSOR
from app.ui.context import UiContext


class PasswordDialog(QDialog):
    """Asks for the user name and password for one server request, showing why it is asked (e.g. no secure
    keyring). Used by the sync panel and by pulling an archived audit back; the password is never stored."""

    def __init__(self, reason: str, username: str, parent: QWidget | None = None, *, action: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登录同步服务器"))
        self.setMinimumWidth(460)
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(action or self.tr("登录并同步"))
        buttons.accepted.connect(self._accept_if_filled)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()

    def _accept_if_filled(self) -> None:
        if self.username.text().strip() and self.password.text():
            self.accept()


def open_sign_in(
    ctx: UiContext,
    parent: QWidget,
    reason: str,
    *,
    retry: Callable[[str, str], object],
    closed: Callable[[], None],
    action: str = "",
) -> PasswordDialog:
    """Open the window-modal, non-blocking sign-in dialog with the last user name filled in. OK runs
    ``retry(username, password)`` (the request again, with the password for that one request); ``closed`` runs
    first, on OK and on Cancel alike."""
    with ctx.session() as session:
        known_user = get_cursor(session, USER_CURSOR) or ""
    dialog = PasswordDialog(reason, known_user, parent, action=action)

    def accepted() -> None:
        closed()
        retry(dialog.username.text().strip(), dialog.password.text())

    dialog.accepted.connect(accepted)
    dialog.rejected.connect(closed)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
