"""The device token, kept in the operating system's keyring and nowhere else.

A token is as good as the password for pushing audits, so it is never written to a plain file. Where the keyring
has no secure backend (a headless Linux machine: keyring's ``fail`` backend, or only a plaintext ``keyrings.alt``
store), :func:`secure_store_available` is false, nothing is stored, and the app asks for the password at each
sync and says why (:data:`NO_SECURE_STORE`). A token counts as kept only once a fresh backend instance has read
it back (:func:`app.storage.keyring_store.store_secret`). Tests pass their own keyring doubles (``tests/``).
"""

from __future__ import annotations

from app.storage.keyring_store import (
    delete_secret,
    read_secret,
    secure_keyring_available,
    store_secret,
    system_keyring,
)

SERVICE = "laborcheck-sync"
NO_SECURE_STORE = (
    "本机没有安全的凭据保管处（系统密钥环），为安全起见不会把登录凭据保存在文件中：每次同步时需要输入密码。"
)


def secure_store_available() -> bool:
    return secure_keyring_available(system_keyring())


def account(server_url: str, username: str) -> str:
    return f"{username}@{server_url.rstrip('/')}"


def save_token(server_url: str, username: str, token: str) -> bool:
    """Store the token when a secure keyring keeps it; False (nothing stored) otherwise."""
    return store_secret(system_keyring(), SERVICE, account(server_url, username), token)


def load_token(server_url: str, username: str) -> str | None:
    backend = system_keyring()
    if not secure_keyring_available(backend):
        return None
    return read_secret(backend, SERVICE, account(server_url, username))


def forget_token(server_url: str, username: str) -> None:
    backend = system_keyring()
    if secure_keyring_available(backend):
        delete_secret(backend, SERVICE, account(server_url, username))
