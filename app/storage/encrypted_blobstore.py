"""The blob store of a data directory, encrypted at rest (AES-256-GCM, one random nonce per file).

Still addressed by the SHA-256 of the *plaintext*, so dedup, sync ("which hashes are you missing?") and bundles
work unchanged. A file is ``MAGIC + nonce + ciphertext‖tag`` (:mod:`app.storage.aead`); its name is the AEAD's
associated data, so a file moved under another blob's name fails authentication. ``get`` decrypts and then checks
the plaintext hash as well, so a file is returned only when it is both authentic and the content its name says.

The layout and the write discipline (temporary file, fsync, rename, fsync of the folder) are :class:`BlobStore`'s.
``open`` decrypts the whole file into memory: attachments are photos and PDFs of a few megabytes at most, and a
streamed GCM decryption would hand out bytes before the tag is checked.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from app.storage.aead import UnsealError, plaintext_size, seal, unseal
from app.storage.blobstore import INCOMING_PREFIX, BlobCorrupted, BlobNotFound, BlobStore, check_hash, sha256_hex
from app.storage.durable_files import write_atomically


class EncryptedBlobStore(BlobStore):
    """A :class:`~app.storage.blobstore.ContentStore` whose files are AES-256-GCM ciphertext under the data key."""

    def __init__(self, root: Path, key: bytes) -> None:
        super().__init__(root)
        self._key = key

    def __repr__(self) -> str:
        return f"EncryptedBlobStore({str(self.root)!r})"

    def size(self, sha256: str) -> int:
        try:
            return plaintext_size(self.path(sha256).stat().st_size)
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None

    def get(self, sha256: str) -> bytes:
        sha = check_hash(sha256)
        try:
            sealed = self.path(sha).read_bytes()
        except FileNotFoundError:
            raise BlobNotFound(sha) from None
        return self.decrypt(sha, sealed)

    def decrypt(self, sha: str, sealed: bytes) -> bytes:
        """The verified plaintext of the sealed file named ``sha``; :class:`BlobCorrupted` otherwise."""
        try:
            data = self.unseal(sha, sealed)
        except UnsealError:
            raise BlobCorrupted(sha, "undecryptable") from None
        actual = sha256_hex(data)
        if actual != sha:
            raise BlobCorrupted(sha, actual)
        return data

    def open(self, sha256: str) -> BinaryIO:
        return io.BytesIO(self.get(sha256))

    def put(self, data: bytes) -> str:
        sha = sha256_hex(data)
        target = self.path(sha)
        if self._is_intact(target, sha):
            return sha
        self._ensure_directory(target.parent)
        self.write_sealed(target, seal(self._key, data, sha.encode("ascii")))
        return sha

    def unseal(self, sha: str, sealed: bytes) -> bytes:
        """Authenticate and decrypt the file named ``sha`` (no hash check); :class:`UnsealError` otherwise."""
        return unseal(self._key, sealed, sha.encode("ascii"))

    def seal_for(self, sha: str, data: bytes) -> bytes:
        """The sealed form of ``data`` stored under ``sha`` (used by the migration of plaintext blobs)."""
        return seal(self._key, data, sha.encode("ascii"))

    @staticmethod
    def write_sealed(target: Path, sealed: bytes) -> None:
        write_atomically(target, sealed, temp_prefix=INCOMING_PREFIX)

    def _is_intact(self, target: Path, sha: str) -> bool:
        try:
            self.decrypt(sha, target.read_bytes())
        except (FileNotFoundError, BlobCorrupted):
            return False
        return True


__all__ = ["EncryptedBlobStore"]
