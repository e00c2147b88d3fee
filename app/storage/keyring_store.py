"""Secrets in the operating system's keyring, kept only where they will still be there tomorrow.

Two secrets live in the keyring: the wrapping key of a data directory's data key (:mod:`app.storage.keys`) and the
sync device token (:mod:`app.sync.credentials`). Losing the first locks the coordinator out of every record on the
laptop, so a secret counts as *kept* only when:

* the backend is secure — not keyring's ``fail`` or ``null`` backend, not a plaintext store (``keyrings.alt``),
  nothing of priority below 1 (a chainer counts when one of its backends does); and
* after storing it, a **fresh instance** of the backend's class reads the same value back. A backend that holds
  secrets in its own memory (or silently drops them) fails this, and the caller takes the passphrase path (data
  key) or asks for the password at the next sync (token) instead of trusting a store that forgets.

Nothing under ``app/`` defines or registers a keyring backend: which backend runs is keyring's choice (or the
caller's, passed explicitly — tests and benchmarks do that).
"""

from __future__ import annotations

import contextlib
import logging

import keyring as keyring_module
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

log = logging.getLogger(__name__)

_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def system_keyring() -> KeyringBackend:
    """The backend keyring chose for this process (``PYTHON_KEYRING_BACKEND``, its config file, or detection)."""
    return keyring_module.get_keyring()


def secure_keyring_available(backend: KeyringBackend | None = None) -> bool:
    """False for keyring's ``fail``/``null`` backends, plaintext stores and anything of priority below 1."""
    return _is_secure(backend if backend is not None else system_keyring())


def _is_secure(backend: KeyringBackend) -> bool:
    if type(backend).__module__.startswith(_INSECURE_MODULES):
        return False
    try:
        priority = float(backend.priority)
    except (TypeError, ValueError, RuntimeError):
        return False
    if priority < 1:
        return False
    children = getattr(backend, "backends", None)
    if children is not None:
        return any(_is_secure(child) for child in children)
    return True


def _fresh_instance(backend: KeyringBackend) -> KeyringBackend | None:
    """A new instance of the backend's class, as the next start of the app would get; None if none can be made."""
    try:
        return type(backend)()
    except Exception:  # a backend that cannot be made again cannot be trusted to give the secret back
        log.warning("keyring backend %s cannot be instantiated again", type(backend).__name__)
        return None


def store_secret(backend: KeyringBackend, service: str, account: str, secret: str) -> bool:
    """Store ``secret`` and return True only if a fresh backend instance reads it back unchanged.

    On False nothing is left behind (a half-kept entry is deleted, best effort): the caller must not record the
    secret as kept in the keyring.
    """
    if not secure_keyring_available(backend):
        return False
    try:
        backend.set_password(service, account, secret)
    except KeyringError:
        return False
    fresh = _fresh_instance(backend)
    try:
        read_back = fresh.get_password(service, account) if fresh is not None else None
    except KeyringError:
        read_back = None
    if read_back == secret:
        return True
    log.warning("keyring backend %s did not keep a secret: not using it", type(backend).__name__)
    delete_secret(backend, service, account)
    return False


def read_secret(backend: KeyringBackend, service: str, account: str) -> str | None:
    try:
        return backend.get_password(service, account)
    except KeyringError:
        return None


def delete_secret(backend: KeyringBackend, service: str, account: str) -> None:
    with contextlib.suppress(KeyringError):
        backend.delete_password(service, account)


__all__ = ["delete_secret", "read_secret", "secure_keyring_available", "store_secret", "system_keyring"]
