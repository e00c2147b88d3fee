"""The device token, kept in the operating system's keyring and nowhere else.

A token is as good as the password for pushing audits, so it is never written to a plain file. Where the keyring
has no secure backend (a headless Linux machine: keyring's ``fail`` backend, or only a plaintext ``keyrings.alt``
store), :func:`secure_store_available` is false, nothing is stored, and the app asks for the password at each
sync and says why (:data:`NO_SECURE_STORE`). Tests install an in-memory backend with ``keyring.set_keyring``.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE = "laborcheck-sync"
NO_SECURE_STORE = (
    "本机没有安全的凭据保管处（系统密钥环），为安全起见不会把登录凭据保存在文件中：每次同步时需要输入密码。"
)

_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _is_secure(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return False
    try:
        priority = float(backend.priority)
    except (TypeError, ValueError):
        return False
    if priority < 1:
        return False
    children = getattr(backend, "backends", None)
    if children is not None:
        return any(_is_secure(child) for child in children)
    return True


def secure_store_available() -> bool:
    return _is_secure(keyring.get_keyring())


def account(server_url: str, username: str) -> str:
    return f"{username}@{server_url.rstrip('/')}"


def save_token(server_url: str, username: str, token: str) -> bool:
    """Store the token when a secure keyring exists; False (nothing stored) otherwise."""
    if not secure_store_available():
        return False
    try:
        keyring.set_password(SERVICE, account(server_url, username), token)
    except keyring.errors.KeyringError:
        return False
    return True


def load_token(server_url: str, username: str) -> str | None:
    if not secure_store_available():
        return None
    try:
        return keyring.get_password(SERVICE, account(server_url, username))
    except keyring.errors.KeyringError:
        return None


def forget_token(server_url: str, username: str) -> None:
    if not secure_store_available():
        return
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(SERVICE, account(server_url, username))


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring held in memory: for tests, and nothing else."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.secrets:
            raise keyring.errors.PasswordDeleteError(username)
        del self.secrets[(service, username)]


def memory_keyring_unless_secure() -> None:
    """For throw-away data directories (benchmarks, screenshot runs): where the machine has no secure keyring,
    keep keys in this process's memory instead of asking for a passphrase. Never called by the application."""
    if not secure_store_available():
        keyring.set_keyring(MemoryKeyring())
