"""Encryption at rest for a data directory: unlocking its key, and converting a directory made before encryption.

Converting (on first start of a build with encryption) must survive a SIGKILL or a power cut at any instant, so
it runs in two phases around one commit point:

1. *Prepare* (nothing old is touched): the plaintext database is checkpointed and copied with SQLCipher's
   ``sqlcipher_export`` into ``laborcheck.db.encrypting``, which is fsynced and verified (``integrity_check`` and
   the row count of every table equal to the original's); each plaintext blob gets a sealed sibling
   ``<name>.encrypted``, fsynced and verified by decrypting it. Interrupted here, the next start throws the
   half-made files away and prepares again: the old files are intact.
2. *Commit*: ``encryption-migration.json`` is written atomically. From here on, everything needed is on disk.
3. *Finish* (idempotent, so a restart simply repeats it): each sibling is renamed over its plaintext blob, the
   old database's WAL and shared-memory files are removed (a stale WAL must never be replayed onto the new
   file), the new database is renamed over the old one, leftover temporary files are removed, and the journal
   is deleted last.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend

from app.config import Paths
from app.storage.aead import UnsealError
from app.storage.blobstore import INCOMING_PREFIX
from app.storage.durable_files import fsync_directory, fsync_file, write_atomically
from app.storage.encrypted_blobstore import EncryptedBlobStore
from app.storage.keys import (
    KEY_FILE,
    Argon2Params,
    KeyFileMissing,
    PassphraseSource,
    create_data_key,
    key_file_path,
    load_data_key,
)
from core.errors import LaborCheckError

PLAINTEXT_HEADER = b"SQLite format 3\x00"
JOURNAL = "encryption-migration.json"
NEW_DATABASE_SUFFIX = ".encrypting"
SEALED_SUFFIX = ".encrypted"


class EncryptionMigrationFailed(LaborCheckError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"加密原有数据时校验未通过（{detail}）。原有数据没有被改动；请把数据目录备份后联系技术支持。")


def database_state(path: Path) -> str:
    """``missing`` (no file or an empty one), ``plaintext`` (an SQLite header) or ``encrypted``."""
    try:
        with path.open("rb") as file:
            header = file.read(len(PLAINTEXT_HEADER))
    except FileNotFoundError:
        return "missing"
    if not header:
        return "missing"
    return "plaintext" if header == PLAINTEXT_HEADER else "encrypted"


def unlock_data_key(
    paths: Paths,
    *,
    passphrase: str | PassphraseSource | None = None,
    keyring: KeyringBackend | None = None,
    argon2_for_tests: Argon2Params | None = None,
) -> bytes:
    """The data key of ``paths.root``: unwrapped from ``key.json``, or made now for a new or plaintext directory.

    An encrypted database without ``key.json`` is :class:`KeyFileMissing`: a new key (and so an empty database)
    is never made over data that exists.
    """
    for stale in paths.root.glob(f".{KEY_FILE}-*.tmp"):  # a key file write cut short (it held no secret in clear)
        _remove(stale)
    if key_file_path(paths.root).is_file():
        return load_data_key(paths.root, passphrase=passphrase, keyring=keyring)
    if database_state(paths.database) == "encrypted":
        raise KeyFileMissing(paths.root)
    return create_data_key(paths.root, passphrase=passphrase, keyring=keyring, argon2_for_tests=argon2_for_tests)


def needs_migration(paths: Paths) -> bool:
    return (paths.root / JOURNAL).exists() or database_state(paths.database) == "plaintext"


@dataclass(frozen=True)
class MigrationReport:
    tables: int
    blobs: int


def migrate_to_encrypted(paths: Paths, key: bytes) -> MigrationReport:
    """Convert a plaintext data directory in place (see the module docstring); safe to call again after a crash."""
    journal = paths.root / JOURNAL
    for stale in paths.root.glob(f".{JOURNAL}-*.tmp"):  # a journal write cut short: that run had not committed
        _remove(stale)
    tables = blobs = 0
    if not journal.exists():
        tables = _prepare_database(paths.database, key)
        blobs = _prepare_blobs(EncryptedBlobStore(paths.blobs, key))
        write_atomically(journal, json.dumps({"format": 1, "state": "commit"}).encode("utf-8"))
    _finish(paths)
    journal.unlink()
    fsync_directory(paths.root)
    return MigrationReport(tables=tables, blobs=blobs)


# ------------------------------------------------------------------------------------------------ prepare


def _new_database(database: Path) -> Path:
    return database.with_name(database.name + NEW_DATABASE_SUFFIX)


def _companions(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _raw_key(key: bytes) -> str:
    return f"\"x'{key.hex()}'\""


def _row_counts(connection: Any) -> dict[str, int]:
    """Rows per table; the names come from the database's own catalogue, quoted as identifiers."""
    names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name.replace(chr(34), chr(34) * 2)}"').fetchone()[0]  # noqa: S608
        for name in names
    }


def _prepare_database(database: Path, key: bytes) -> int:
    import sqlcipher3

    target = _new_database(database)
    for stale in (target, *_companions(target)):
        _remove(stale)
    if database_state(database) != "plaintext":
        return 0  # a data directory with blobs but no database yet
    source = sqlcipher3.connect(str(database), isolation_level=None)
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY {_raw_key(key)}", (str(target),))
        source.execute("SELECT sqlcipher_export('encrypted')")
        version = source.execute("PRAGMA main.user_version").fetchone()[0]
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        expected = _row_counts(source)
        source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()
    fsync_file(target)
    fsync_directory(target.parent)
    check = sqlcipher3.connect(str(target), isolation_level=None)
    try:
        check.execute("PRAGMA cipher_log_level = NONE")
        check.execute(f"PRAGMA key = {_raw_key(key)}")
        integrity = check.execute("PRAGMA integrity_check").fetchone()
        actual = _row_counts(check)
    finally:
        check.close()
    if integrity != ("ok",):
        raise EncryptionMigrationFailed(f"integrity_check: {integrity}")
    if actual != expected:
        raise EncryptionMigrationFailed("行数不一致")
    return len(actual)


def _blob_files(root: Path) -> Iterator[Path]:
    """The files named like blobs (``ab/`` + 62 hex digits); temporary files and siblings are skipped."""
    if not root.is_dir():
        return
    for directory in sorted(root.iterdir()):
        if not (directory.is_dir() and len(directory.name) == 2):
            continue
        for file in sorted(directory.iterdir()):
            if len(file.name) == 62 and file.is_file():
                yield file


def _sealed_sibling(file: Path) -> Path:
    return file.with_name(file.name + SEALED_SUFFIX)


def _prepare_blobs(store: EncryptedBlobStore) -> int:
    count = 0
    for file in _blob_files(store.root):
        sha = file.parent.name + file.name
        data = file.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha and _is_sealed(store, sha, data):
            continue  # already encrypted (a directory converted by hand, or a blob put by a newer build)
        sibling = _sealed_sibling(file)
        if sibling.is_file() and _seals(store, sha, sibling.read_bytes(), data):
            continue  # prepared before an interruption
        # A damaged plaintext file is sealed as it is: reading it stays a BlobCorrupted, as before.
        sealed = store.seal_for(sha, data)
        store.write_sealed(sibling, sealed)
        if not _seals(store, sha, sibling.read_bytes(), data):
            raise EncryptionMigrationFailed(f"附件 {sha[:12]}…")
        count += 1
    return count


def _is_sealed(store: EncryptedBlobStore, sha: str, data: bytes) -> bool:
    try:
        store.unseal(sha, data)
    except UnsealError:
        return False
    return True


def _seals(store: EncryptedBlobStore, sha: str, sealed: bytes, plaintext: bytes) -> bool:
    try:
        return store.unseal(sha, sealed) == plaintext
    except UnsealError:
        return False


# ------------------------------------------------------------------------------------------------ finish


def _finish(paths: Paths) -> None:
    root = paths.blobs
    if root.is_dir():
        for directory in sorted(root.iterdir()):
            if not directory.is_dir():
                continue
            changed = False
            for file in sorted(directory.iterdir()):
                if file.name.endswith(SEALED_SUFFIX):
                    os.replace(file, file.with_name(file.name.removesuffix(SEALED_SUFFIX)))
                    changed = True
                elif file.name.startswith(INCOMING_PREFIX):  # a plaintext put interrupted long ago
                    _remove(file)
                    changed = True
            if changed:
                fsync_directory(directory)
    target = _new_database(paths.database)
    if target.exists():
        for companion in _companions(paths.database):
            _remove(companion)
        fsync_directory(paths.root)
        os.replace(target, paths.database)
        fsync_directory(paths.root)


__all__ = [
    "EncryptionMigrationFailed",
    "MigrationReport",
    "database_state",
    "migrate_to_encrypted",
    "needs_migration",
    "unlock_data_key",
]
