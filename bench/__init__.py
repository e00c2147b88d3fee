"""Benchmarks (``make bench``): figures to read, never assertions in the test suite.

Where the machine has no secure keyring (headless Linux: keyring's ``fail`` backend), the benchmarks keep the
data key in an in-memory keyring, so opening a workspace neither prompts for a passphrase nor pays Argon2id each
time; ``bench_encryption`` measures both unwrap paths on their own. Benchmarks that start child processes hand
them the entries through the environment (:func:`keyring_environment`, :func:`keyring_from_environment`).
"""

from __future__ import annotations

import json
import os

import keyring

from app.sync.credentials import MemoryKeyring, memory_keyring_unless_secure

ENV = "LABORCHECK_BENCH_KEYRING"

memory_keyring_unless_secure()


def keyring_environment() -> dict[str, str]:
    """The in-memory keyring's entries for a child process (empty when a real keyring is in use)."""
    backend = keyring.get_keyring()
    if not isinstance(backend, MemoryKeyring):
        return {}
    return {ENV: json.dumps([[service, user, secret] for (service, user), secret in backend.secrets.items()])}


def keyring_from_environment() -> None:
    """In a child process: an in-memory keyring holding the parent's entries (see :func:`keyring_environment`)."""
    entries = os.environ.get(ENV)
    if entries is None:
        return
    backend = MemoryKeyring()
    backend.secrets = {(service, user): secret for service, user, secret in json.loads(entries)}
    keyring.set_keyring(backend)
