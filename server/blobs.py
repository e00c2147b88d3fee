"""Attachment uploads: resumable, verified before visible, behind a small storage interface.

The database row (``blob``) is the truth about how many bytes are committed; the storage holds the bytes. A
chunk is accepted when it starts at or before the committed offset (the part already held is skipped, so a
duplicated or retried chunk is harmless); a chunk that starts beyond it is refused with the committed offset.
When the last byte arrives the whole file is hashed: only a matching SHA-256 moves it where readers look.
A mismatch throws the partial file away, so a blob with a wrong hash is never visible.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.protocol import BlobOffset, BlobUploadResponse, ErrorCode, is_sha256
from server.errors import ApiError
from server.models import StoredBlob

MAX_BLOB_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024


class BlobStorage(Protocol):
    """Where blob bytes live (a directory by default; an object store for a deployment of several nodes)."""

    def write_at(self, sha256: str, offset: int, data: bytes) -> None:
        """Make the partial upload exactly ``offset`` bytes long, then append ``data`` durably."""
        ...

    def finish(self, sha256: str) -> str:
        """Hash the partial upload; when it matches, make it visible. Returns the actual hash."""
        ...

    def discard(self, sha256: str) -> None: ...

    def has(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO: ...


class DirectoryBlobStorage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        (self.root / "incoming").mkdir(parents=True, exist_ok=True)
        (self.root / "objects").mkdir(parents=True, exist_ok=True)

    def _partial(self, sha256: str) -> Path:
        return self.root / "incoming" / f"{sha256}.part"

    def _final(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256[2:]

    def write_at(self, sha256: str, offset: int, data: bytes) -> None:
        path = self._partial(sha256)
        mode = "r+b" if path.exists() else "wb"
        with path.open(mode) as file:
            file.truncate(offset)
            file.seek(offset)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())

    def finish(self, sha256: str) -> str:
        path = self._partial(sha256)
        if not path.exists() and self.has(sha256):
            path = self._final(sha256)  # moved already by a transaction that did not commit: check it again
        digest = hashlib.sha256()
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(_CHUNK), b""):
                digest.update(chunk)
        actual = digest.hexdigest()
        if actual == sha256 and path != self._final(sha256):
            target = self._final(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        return actual

    def discard(self, sha256: str) -> None:
        self._partial(sha256).unlink(missing_ok=True)

    def has(self, sha256: str) -> bool:
        return self._final(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        return self._final(sha256).open("rb")


def check_sha(sha256: str) -> str:
    if not is_sha256(sha256):
        raise ApiError(400, ErrorCode.VALIDATION, "附件哈希格式不正确（应为 64 位小写十六进制）")
    return sha256


def missing(session: Session, hashes: list[str]) -> list[BlobOffset]:
    wanted = sorted({check_sha(sha) for sha in hashes})
    rows = {row.sha256: row for row in session.scalars(select(StoredBlob).where(StoredBlob.sha256.in_(wanted))).all()}
    result = []
    for sha in wanted:
        row = rows.get(sha)
        if row is None or not row.complete:
            result.append(BlobOffset(sha256=sha, committed=row.committed if row is not None else 0))
    return result


def upload(
    session: Session, storage: BlobStorage, sha256: str, start: int, total: int, data: bytes
) -> BlobUploadResponse:
    check_sha(sha256)
    if total > MAX_BLOB_BYTES:
        raise ApiError(413, ErrorCode.BAD_REQUEST, "附件过大")
    row = session.scalars(select(StoredBlob).where(StoredBlob.sha256 == sha256).with_for_update()).one_or_none()
    if row is None:
        row = StoredBlob(sha256=sha256, size=total, committed=0, complete=False)
        session.add(row)
        session.flush()
    if row.complete:
        return BlobUploadResponse(sha256=sha256, committed=row.size, complete=True)
    if row.size != total:
        storage.discard(sha256)
        row.size, row.committed = total, 0
    if start > row.committed:
        raise ApiError(
            409,
            ErrorCode.BLOB_OFFSET,
            f"上传位置不连续：服务器已有 {row.committed} 字节",
            headers={"Upload-Offset": str(row.committed)},
        )
    tail = data[row.committed - start :]
    if tail:
        storage.write_at(sha256, row.committed, tail)
        row.committed += len(tail)
    if row.committed >= total:
        actual = storage.finish(sha256)
        if actual != sha256:
            storage.discard(sha256)
            row.committed = 0
            session.flush()
            session.commit()
            raise ApiError(422, ErrorCode.BLOB_HASH_MISMATCH, "附件内容与哈希不符，已丢弃，请重新上传")
        row.complete = True
    return BlobUploadResponse(sha256=sha256, committed=row.committed, complete=row.complete)
