"""The blob store: evidence files (photos, signatures, PDFs) named by the SHA-256 of their content.

Why content addressing: the same photo attached twice is stored once, a file can be checked against its name at
any time, and sync can ask the server "which of these hashes are you missing?" without sending bytes (SYNC.md).

The directory layout is ``root/ab/cdef…`` — the first two hex digits of the hash name a fan-out directory (so no
directory grows to hundreds of thousands of entries) and the remaining 62 name the file.

Promises of :class:`BlobStore`:

* **Atomic, durable writes.** ``put`` writes a temporary file in the target directory, flushes and fsyncs it,
  renames it into place with ``os.replace`` and fsyncs the directory, so after ``put`` returns the blob survives a
  power cut, and a crash mid-write never leaves a half file under a blob's name.
* **Idempotent.** Putting the same bytes twice is one file; a damaged file under the name is replaced.
* **Verified reads.** ``get`` and the stream from ``open`` check the hash of what was read; a corrupted file is a
  :class:`BlobCorrupted` error, never silently returned garbage.

Callers depend on the :class:`ContentStore` protocol, not on the class, so an encrypting store (AES-GCM at rest,
still addressed by the *plaintext* hash; ``size`` the plaintext size) can replace the directory store without
touching them. ``path`` is deliberately not part of the protocol: an encrypted store's file is ciphertext.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from app.storage.durable_files import fsync_directory, write_atomically
from core.errors import LaborCheckError

HASH_PATTERN = re.compile(r"[0-9a-f]{64}")
CHUNK_SIZE = 1 << 20


INCOMING_PREFIX = ".incoming-"
"""Temporary files of a ``put`` cut short start with this; the encryption migration sweeps them."""


class BlobStoreError(LaborCheckError):
    """Base of the blob store's errors (shown to the coordinator)."""


class BlobNotFound(BlobStoreError):
    def __init__(self, sha256: str) -> None:
        super().__init__(f"找不到附件文件（{_short(sha256)}），请同步或从导出包中补齐后再试。")
        self.sha256 = sha256


class BlobCorrupted(BlobStoreError):
    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"附件文件已损坏（{_short(sha256)}：内容与校验值不符），请从服务器或备份重新获取该文件。")
        self.sha256 = sha256
        self.actual = actual


class InvalidBlobHash(BlobStoreError, ValueError):
    def __init__(self, value: str) -> None:
        super().__init__(f"附件编号格式不正确：{value[:80]!r}（应为64位十六进制SHA-256值）。")
        self.value = value


def _short(sha256: str) -> str:
    return f"{sha256[:12]}…"


def sha256_hex(data: bytes) -> str:
    """The address of ``data`` in any :class:`ContentStore`."""
    return hashlib.sha256(data).hexdigest()


def check_hash(value: str) -> str:
    """Return ``value`` as a lowercase SHA-256 hex string, or raise :class:`InvalidBlobHash`.

    Every path is built from a checked hash, so a crafted "hash" (``../../x``) can never leave the store's root.
    """
    normalised = value.lower()
    if not HASH_PATTERN.fullmatch(normalised):
        raise InvalidBlobHash(value)
    return normalised


@runtime_checkable
class ContentStore(Protocol):
    """What the rest of the application needs from a blob store: a small interface with more than one backend."""

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its SHA-256 (hex); storing the same bytes again is a no-op."""
        ...

    def get(self, sha256: str) -> bytes:
        """The verified content; :class:`BlobNotFound` or :class:`BlobCorrupted` otherwise."""
        ...

    def has(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int:
        """The content's size in bytes (plaintext size for an encrypting store)."""
        ...

    def discard(self, sha256: str) -> bool:
        """Remove the content (only once a copy is safe elsewhere); True if it was there."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """A stream of the content for large files; it raises :class:`BlobCorrupted` at the end if the hash differs."""
        ...


class _VerifyingReader(io.RawIOBase):
    """Reads a blob file while hashing it; at end of file the hash must equal the blob's name."""

    def __init__(self, file: io.BufferedReader, sha256: str) -> None:
        self._file = file
        self._sha256 = sha256
        self._hash = hashlib.sha256()
        self._checked = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._file.readinto(buffer)
        if count:
            self._hash.update(buffer[:count])
        elif not self._checked:
            self._checked = True
            actual = self._hash.hexdigest()
            if actual != self._sha256:
                raise BlobCorrupted(self._sha256, actual)
        return count

    def close(self) -> None:
        try:
            self._file.close()
        finally:
            super().close()


class BlobStore:
    """The default :class:`ContentStore`: a directory of files named by their SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"BlobStore({str(self.root)!r})"

    def path(self, sha256: str) -> Path:
        """Where the blob lives (or would live) on disk: ``root/ab/cdef…``."""
        sha = check_hash(sha256)
        return self.root / sha[:2] / sha[2:]

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None

    def get(self, sha256: str) -> bytes:
        sha = check_hash(sha256)
        try:
            data = self.path(sha).read_bytes()
        except FileNotFoundError:
            raise BlobNotFound(sha) from None
        actual = sha256_hex(data)
        if actual != sha:
            raise BlobCorrupted(sha, actual)
        return data

    def open(self, sha256: str) -> BinaryIO:
        sha = check_hash(sha256)
        try:
            file = self.path(sha).open("rb")
        except FileNotFoundError:
            raise BlobNotFound(sha) from None
        return io.BufferedReader(_VerifyingReader(file, sha), buffer_size=CHUNK_SIZE)

    def put(self, data: bytes) -> str:
        sha = sha256_hex(data)
        target = self.path(sha)
        if self._is_intact(target, sha):
            return sha
        self._ensure_directory(target.parent)
        write_atomically(target, data, temp_prefix=INCOMING_PREFIX)
        return sha

    def discard(self, sha256: str) -> bool:
        """Remove the blob's file (retention: the server holds a copy); True if there was one."""
        target = self.path(sha256)
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        fsync_directory(target.parent)
        return True

    def _is_intact(self, target: Path, sha: str) -> bool:
        """True when the file exists with the right content; a damaged file is then rewritten by ``put``."""
        if not target.is_file():
            return False
        digest = hashlib.sha256()
        with target.open("rb") as existing:
            for chunk in iter(lambda: existing.read(CHUNK_SIZE), b""):
                digest.update(chunk)
        return digest.hexdigest() == sha

    def _ensure_directory(self, directory: Path) -> None:
        """Create the fan-out directory; a new directory entry is made durable by fsyncing its parent."""
        if directory.is_dir():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        directory.mkdir(exist_ok=True)
        fsync_directory(self.root)


__all__ = [
    "BlobCorrupted",
    "BlobNotFound",
    "BlobStore",
    "BlobStoreError",
    "ContentStore",
    "InvalidBlobHash",
    "check_hash",
    "sha256_hex",
]
