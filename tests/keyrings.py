"""Keyring doubles for the tests. They live here, never under ``app/``, and are injected explicitly.

* :class:`FileKeyring` — a persistent keyring: entries in a JSON file named by ``LABORCHECK_TEST_KEYRING``, so a
  fresh instance (or another process, through ``PYTHON_KEYRING_BACKEND=tests.keyrings.FileKeyring``) reads what
  an earlier one stored, as a desktop keyring does. The test suite's default keyring (``tests/conftest.py``).
* :class:`InsecureKeyring` — the same, with the priority of a plaintext store: nothing may be kept there.
* :class:`ForgetfulKeyring` — secure-looking (priority 1) but holding entries in the instance's memory, as the
  in-memory keyring that once locked coordinators out did: nothing may be recorded as kept there.

Defining a backend class registers it with keyring's detection, which is why the app has none: in a test process
the keyring is always chosen explicitly (``keyring.set_keyring`` in a fixture, a ``keyring=`` argument, or
``PYTHON_KEYRING_BACKEND`` for a child process).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import keyring.errors
from filelock import FileLock
from keyring.backend import KeyringBackend
from keyring.compat import properties

ENV = "LABORCHECK_TEST_KEYRING"
_LOCK = threading.Lock()


def _configured_priority(value: float) -> float:
    """Viable only where a test configured it: keyring's detection must never pick a double by accident."""
    if not os.environ.get(ENV):
        raise RuntimeError(f"{ENV} is not set: this test keyring is not configured")
    return value


class FileKeyring(KeyringBackend):
    """Entries ``{service: {account: secret}}`` in the JSON file ``$LABORCHECK_TEST_KEYRING`` (read at each call).

    Each change is a read-modify-write under a lock file as well as the thread lock: processes signing in at
    once (the four laptops of ``bench_sync``) would otherwise each write back a file without the others' tokens."""

    @properties.classproperty
    def priority(cls) -> float:
        return _configured_priority(1)

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        given = path or os.environ.get(ENV)
        if not given:
            raise RuntimeError(f"{ENV} names no keyring file")
        self.path = Path(given)
        self._file_lock = FileLock(self.path.with_name(f".{self.path.name}.lock"))

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        assert isinstance(data, dict)
        return data

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        with _LOCK, self._file_lock:
            return self._read().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        with _LOCK, self._file_lock:  # a sync worker thread and the test may both write; so may other processes
            data = self._read()
            data.setdefault(service, {})[username] = password
            self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        with _LOCK, self._file_lock:
            data = self._read()
            if username not in data.get(service, {}):
                raise keyring.errors.PasswordDeleteError(username)
            del data[service][username]
            self._write(data)

    def entries(self, service: str | None = None) -> list[tuple[str, str]]:
        """``(service, account)`` of every entry (of one service), for assertions."""
        return sorted(
            (name, account)
            for name, accounts in self._read().items()
            if service is None or name == service
            for account in accounts
        )

    def forget(self, keep_service: str) -> None:
        """Drop every entry except those of ``keep_service`` (a fresh keyring for the next test, data keys kept)."""
        with _LOCK:
            data = self._read()
            self._write({name: accounts for name, accounts in data.items() if name == keep_service})


class InsecureKeyring(FileKeyring):
    """Looks like a plaintext store (priority below 1): no secret may be kept there."""

    @properties.classproperty
    def priority(cls) -> float:
        return _configured_priority(0.5)


class ForgetfulKeyring(KeyringBackend):
    """Secure by its priority, but every instance starts empty: what it stores is gone with the process."""

    @properties.classproperty
    def priority(cls) -> float:
        return _configured_priority(1)

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
