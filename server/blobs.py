"""Attachment uploads: resumable per uploader, streamed to disk, verified before visible, behind a storage interface.

An upload in progress is its uploader's own (a ``blob_upload`` row and a partial file of theirs): nobody else's
request can move or reset its committed offset. A chunk arrives in a spool file on disk as it streams in (never
whole in memory), and is accepted when it starts at or before the uploader's committed offset (the part already
held is skipped, so a duplicated or retried chunk is harmless); a chunk that starts beyond it is refused with the
committed offset. When the last byte arrives the whole file is hashed: only a matching SHA-256 makes the blob
visible (a ``blob`` row, the file under ``objects/``) and the uploader a *holder* of it. A mismatch throws the
partial file away, so a blob with a wrong hash is never visible.

Holding is proof of possession: a user may attach a blob to a record only if they hold it, and ``/blobs/missing``
reports a blob as missing to anyone who does not, so the server never confirms to a stranger that it has a file.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

from sqlalchemy import Table, bindparam, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.sync.protocol import MAX_BLOB_CHUNK, BlobOffset, BlobUploadResponse, ErrorCode, is_sha256
from server.errors import ApiError
from server.models import BlobHolder, BlobUpload, StoredBlob, utcnow
from server.security import Caller

MAX_BLOB_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024


class BlobStorage(Protocol):
    """Where blob bytes live (a directory by default; an object store for a deployment of several nodes).

    ``key`` names one uploader's partial upload of one blob; finished blobs are addressed by their SHA-256."""

    def spool(self) -> Path:
        """A fresh file path on the storage's disk for one incoming chunk (the caller removes it)."""
        ...

    def write_at(self, key: str, offset: int, source: Path, skip: int) -> None:
        """Make the partial upload exactly ``offset`` bytes long, then append ``source`` from byte ``skip`` on,
        durably."""
        ...

    def finish(self, key: str, sha256: str) -> str:
        """Hash the partial upload; when it matches, make it visible as ``sha256``. Returns the actual hash."""
        ...

    def adopt(self, source: Path, sha256: str) -> None:
        """Make ``source`` (a whole blob, its hash already checked) durably visible as ``sha256``."""
        ...

    def discard(self, key: str) -> None: ...

    def has(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO: ...


class DirectoryBlobStorage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        (self.root / "incoming").mkdir(parents=True, exist_ok=True)
        (self.root / "objects").mkdir(parents=True, exist_ok=True)

    def _partial(self, key: str) -> Path:
        return self.root / "incoming" / f"{key}.part"

    def _final(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256[2:]

    def spool(self) -> Path:
        return self.root / "incoming" / f"chunk-{secrets.token_hex(8)}.spool"

    def write_at(self, key: str, offset: int, source: Path, skip: int) -> None:
        path = self._partial(key)
        mode = "r+b" if path.exists() else "wb"
        with path.open(mode) as file, source.open("rb") as chunk:
            file.truncate(offset)
            file.seek(offset)
            chunk.seek(skip)
            for piece in iter(lambda: chunk.read(_CHUNK), b""):
                file.write(piece)
            file.flush()
            os.fsync(file.fileno())

    def finish(self, key: str, sha256: str) -> str:
        path = self._partial(key)
        if not path.exists() and self.has(sha256):
            path = self._final(sha256)  # moved already by a transaction that did not commit: check it again
        digest = hashlib.sha256()
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(_CHUNK), b""):
                digest.update(chunk)
        actual = digest.hexdigest()
        target = self._final(sha256)
        if actual == sha256 and path != target:
            if target.is_file():
                path.unlink()  # someone else's upload of the same bytes made it visible first
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
        return actual

    def adopt(self, source: Path, sha256: str) -> None:
        target = self._final(sha256)
        if target.is_file():
            return  # someone else's upload of the same bytes is there already
        with source.open("rb") as file:
            os.fsync(file.fileno())
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)

    def discard(self, key: str) -> None:
        self._partial(key).unlink(missing_ok=True)

    def has(self, sha256: str) -> bool:
        return self._final(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        return self._final(sha256).open("rb")


def check_sha(sha256: str) -> str:
    if not is_sha256(sha256):
        raise ApiError(400, ErrorCode.VALIDATION, "附件哈希格式不正确（应为 64 位小写十六进制）：sha256")
    return sha256


def upload_key(sha256: str, caller: Caller) -> str:
    return f"{sha256}.{caller.user_id}"


def held(session: Session, caller: Caller, hashes: list[str]) -> set[str]:
    """Which of ``hashes`` the caller holds (verified blobs they uploaded themselves)."""
    if not hashes:
        return set()
    query = select(BlobHolder.sha256).where(BlobHolder.user_id == caller.user_id, BlobHolder.sha256.in_(hashes))
    return set(session.scalars(query))


def missing(session: Session, caller: Caller, hashes: list[str]) -> list[BlobOffset]:
    wanted = sorted({check_sha(sha) for sha in hashes})
    have = held(session, caller, wanted)
    pending = wanted if not have else [sha for sha in wanted if sha not in have]
    offsets: dict[str, int] = {}
    if pending:
        rows = session.execute(
            select(BlobUpload.sha256, BlobUpload.committed).where(
                BlobUpload.user_id == caller.user_id, BlobUpload.sha256.in_(pending)
            )
        )
        offsets = {sha: int(committed) for sha, committed in rows}
    return [BlobOffset(sha256=sha, committed=offsets.get(sha, 0)) for sha in pending]


@dataclass(frozen=True)
class Chunk:
    """A request body spooled to disk as it arrived: where, how many bytes, and their SHA-256."""

    path: Path
    size: int
    sha256: str


async def receive(stream: AsyncIterator[bytes], path: Path, limit: int = MAX_BLOB_CHUNK) -> Chunk:
    """Write a request body to ``path`` as it arrives, hashing it on the way; 413 past ``limit`` bytes."""
    size = 0
    digest = hashlib.sha256()
    with path.open("wb") as file:
        async for piece in stream:
            size += len(piece)
            if size > limit:
                raise ApiError(413, ErrorCode.BODY_TOO_LARGE, f"附件分块过大（每次最多 {limit // (1024 * 1024)} MB）")
            file.write(piece)
            digest.update(piece)
    return Chunk(path, size, digest.hexdigest())


_INSERTS: dict[tuple[str, str], Any] = {}


def _insert_ignoring(dialect_name: str, model: type[Any]) -> Any:
    key = (dialect_name, model.__tablename__)
    if key not in _INSERTS:
        dialect = postgresql if dialect_name == "postgresql" else sqlite
        _INSERTS[key] = dialect.insert(model.__table__).on_conflict_do_nothing()
    return _INSERTS[key]


def insert_ignoring_duplicates(session: Session, model: type[Any], values: dict[str, Any]) -> None:
    """``INSERT … ON CONFLICT DO NOTHING`` on either database (two uploaders may finish the same blob at once); the
    statement is built once per table, so it is compiled once, and is a Core statement on the table (the ORM's
    bulk-insert bookkeeping cost more than the insert, once per photo)."""
    session.execute(_insert_ignoring(session.get_bind().dialect.name, model), values)


_HELD_OR_STARTED = select(
    select(StoredBlob.size)
    .join(BlobHolder, BlobHolder.sha256 == StoredBlob.sha256)
    .where(StoredBlob.sha256 == bindparam("sha256"), BlobHolder.user_id == bindparam("user_id"))
    .scalar_subquery(),
    exists().where(BlobUpload.sha256 == bindparam("sha256"), BlobUpload.user_id == bindparam("user_id")),
)
"""In one statement (one per photo): the size of a verified blob the caller holds (None when they do not), and
whether the caller has an upload of it in progress."""
_DROP_UPLOAD = delete(cast(Table, BlobUpload.__table__)).where(
    BlobUpload.sha256 == bindparam("sha256"), BlobUpload.user_id == bindparam("user_id")
)


def _verified(session: Session, caller: Caller, sha256: str, total: int) -> BlobUploadResponse:
    """The blob is verified: it exists for everyone, and the caller holds it."""
    insert_ignoring_duplicates(
        session,
        StoredBlob,
        {"sha256": sha256, "size": total, "committed": total, "complete": True, "created_at": utcnow()},
    )
    insert_ignoring_duplicates(
        session,
        BlobHolder,
        {"sha256": sha256, "user_id": caller.user_id, "district_id": caller.district_id, "created_at": utcnow()},
    )
    return BlobUploadResponse(sha256=sha256, committed=total, complete=True)


def upload(
    session: Session, storage: BlobStorage, caller: Caller, sha256: str, start: int, total: int, chunk: Chunk
) -> BlobUploadResponse:
    """Accept ``chunk`` at ``start`` of the caller's upload of a ``total``-byte blob."""
    check_sha(sha256)
    if total > MAX_BLOB_BYTES:
        raise ApiError(413, ErrorCode.BODY_TOO_LARGE, "附件过大")
    owned = {"sha256": sha256, "user_id": caller.user_id}
    size, started = session.execute(_HELD_OR_STARTED, owned).one()
    if size is not None:
        return BlobUploadResponse(sha256=sha256, committed=size, complete=True)
    key = upload_key(sha256, caller)
    if start == 0 and chunk.size == total:
        # The whole blob in one request (most photos): hashed as it arrived, moved into place, no partial file.
        if chunk.sha256 != sha256:  # refused as it is: an upload of the caller's in progress stays as it was
            raise ApiError(422, ErrorCode.BLOB_HASH_MISMATCH, "附件内容与哈希不符，已丢弃，请重新上传")
        if started:
            session.execute(_DROP_UPLOAD, owned)
        storage.discard(key)
        storage.adopt(chunk.path, sha256)
        return _verified(session, caller, sha256, total)
    row = session.scalars(
        select(BlobUpload).where(BlobUpload.sha256 == sha256, BlobUpload.user_id == caller.user_id).with_for_update()
    ).one_or_none()
    if row is None:
        row = BlobUpload(sha256=sha256, user_id=caller.user_id, size=total, committed=0)
        session.add(row)
        session.flush()
    if row.size != total:
        storage.discard(key)
        row.size, row.committed = total, 0
    if start > row.committed:
        raise ApiError(
            409,
            ErrorCode.BLOB_OFFSET,
            f"上传位置不连续：服务器已有 {row.committed} 字节",
            headers={"Upload-Offset": str(row.committed)},
        )
    skip = row.committed - start
    if chunk.size > skip:
        storage.write_at(key, row.committed, chunk.path, skip)
        row.committed += chunk.size - skip
    row.updated_at = utcnow()
    if row.committed < total:
        return BlobUploadResponse(sha256=sha256, committed=row.committed, complete=False)
    actual = storage.finish(key, sha256)
    if actual != sha256:
        storage.discard(key)
        row.committed = 0
        session.flush()
        session.commit()
        raise ApiError(422, ErrorCode.BLOB_HASH_MISMATCH, "附件内容与哈希不符，已丢弃，请重新上传")
    session.delete(row)
    return _verified(session, caller, sha256, total)
