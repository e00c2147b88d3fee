"""Attachment uploads: resumable per uploader, streamed to disk, verified before visible, behind a storage interface.

An upload in progress is its uploader's own (a ``blob_upload`` row and a partial file of theirs): nobody else's
request can move or reset its committed offset. A chunk arrives in a spool file on disk as it streams in (never
whole in memory), and is accepted when it starts at or before the uploader's committed offset (the part already
held is skipped, so a duplicated or retried chunk is harmless); a chunk that starts beyond it is refused with the
committed offset. When the last byte arrives the whole file is hashed: only a matching SHA-256 makes the blob
visible (a ``blob`` row, the file under ``objects/``) and the uploader a *holder* of it. A mismatch throws the
partial file away, so a blob with a wrong hash is never visible.

Small whole blobs (a batch's photos) may also arrive together in one ``POST /blobs``: a manifest line, then their
bytes, each spooled and hashed as it streams in; all are verified before any is kept, and they are kept in one
transaction — one request, one session and one commit for a batch's photos instead of one each.

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
from typing import BinaryIO, Protocol, cast

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import CompoundSelect, Table, bindparam, delete, false, select, true, union_all
from sqlalchemy.orm import Session

from app.sync.protocol import (
    MAX_BLOB_CHUNK,
    MAX_JSON_BYTES,
    BlobBatch,
    BlobOffset,
    BlobUploadResponse,
    ErrorCode,
    is_sha256,
)
from server.bulk import hold_blobs
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


def missing(session: Session, caller: Caller, hashes: list[str]) -> list[BlobOffset]:
    """Of ``hashes``, those the caller does not hold, each with the offset their own upload of it has reached."""
    wanted = sorted({check_sha(sha) for sha in hashes})
    if not wanted:
        return []
    sizes, started = _held_or_started(session, caller, wanted)
    return [BlobOffset(sha256=sha, committed=started.get(sha, 0)) for sha in wanted if sha not in sizes]


@dataclass(frozen=True)
class Chunk:
    """A request body as it arrived: where it was spooled to disk, how many bytes, and their SHA-256. ``path`` is
    None for a whole blob of a batch that the storage held already: its bytes were only hashed (see
    :class:`_BatchSpool`)."""

    path: Path | None
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


def _manifest(line: bytes) -> BlobBatch:
    try:
        return BlobBatch.model_validate_json(line)
    except ValidationError as error:  # answered like any other body that fails its model: 422 naming the field
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in error.errors()]) from None


class _HashOnly:
    """Where the bytes of a blob the storage holds already go: nowhere. They are only hashed, which is what makes
    the uploader a holder (they sent the bytes), and no file is created, written and removed for them."""

    def write(self, data: memoryview) -> None:
        pass

    def close(self) -> None:
        pass


class _BatchSpool:
    """The blobs of a ``POST /blobs`` body, in the manifest's order, each hashed as its bytes arrive and written to a
    spool file of its own (the file paths are added to ``spools``, which the caller removes) — unless the storage
    holds that blob already (blobs are never removed from it): then the bytes are only hashed."""

    def __init__(self, manifest: BlobBatch, storage: BlobStorage, spools: list[Path]) -> None:
        self.parts = manifest.blobs
        self.storage = storage
        self.spools = spools
        self.done: list[tuple[str, Chunk]] = []
        self.file: BinaryIO | _HashOnly | None = None
        self.path: Path | None = None
        self.digest = hashlib.sha256()
        self.left = 0
        self._open_next()

    def _open_next(self) -> None:
        """Open where the next blob goes; empty blobs are done at once."""
        self.file = None
        while len(self.done) < len(self.parts):
            part = self.parts[len(self.done)]
            self.digest, self.left = hashlib.sha256(), part.size
            if is_sha256(part.sha256) and self.storage.has(part.sha256):
                self.file, self.path = _HashOnly(), None
            else:
                self.path = self.storage.spool()
                self.spools.append(self.path)
                self.file = self.path.open("wb")
            if self.left:
                return
            self._close_current()
            self.file = None

    def _close_current(self) -> None:
        assert self.file is not None
        self.file.close()
        part = self.parts[len(self.done)]
        self.done.append((part.sha256, Chunk(self.path, part.size, self.digest.hexdigest())))

    def write(self, data: memoryview) -> None:
        while len(data):
            if self.file is None:
                raise ApiError(400, ErrorCode.BAD_REQUEST, "请求体比附件清单长")
            taken = data[: self.left]
            self.file.write(taken)
            self.digest.update(taken)
            self.left -= len(taken)
            data = data[len(taken) :]
            if not self.left:
                self._close_current()
                self._open_next()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


async def receive_batch(
    stream: AsyncIterator[bytes], storage: BlobStorage, spools: list[Path]
) -> list[tuple[str, Chunk]]:
    """A ``POST /blobs`` body as it arrives: the manifest line (a 422 naming the field when it fails its model),
    then each blob into a spool file (added to ``spools``; the caller removes them), hashed on the way. Returns
    each declared hash with what arrived for it; 400 when the bytes do not add up to the manifest."""
    head = bytearray()
    blobs: _BatchSpool | None = None
    try:
        async for piece in stream:
            data = memoryview(piece)
            if blobs is None:
                end = piece.find(b"\n")
                if end < 0:
                    head += piece
                    if len(head) > MAX_JSON_BYTES:
                        raise ApiError(413, ErrorCode.BODY_TOO_LARGE, "附件清单过大")
                    continue
                head += data[:end]
                data = data[end + 1 :]
                blobs = _BatchSpool(_manifest(bytes(head)), storage, spools)
            blobs.write(data)
    finally:
        if blobs is not None:
            blobs.close()
    if blobs is None or blobs.file is not None:
        raise ApiError(400, ErrorCode.BAD_REQUEST, "请求体比附件清单短")
    return blobs.done


_HELD_OR_STARTED: CompoundSelect[str, int, bool] = union_all(
    select(StoredBlob.sha256, StoredBlob.size, false())
    .join(BlobHolder, BlobHolder.sha256 == StoredBlob.sha256)
    .where(BlobHolder.user_id == bindparam("user_id"), StoredBlob.sha256.in_(bindparam("hashes", expanding=True))),
    select(BlobUpload.sha256, BlobUpload.committed, true()).where(
        BlobUpload.user_id == bindparam("user_id"), BlobUpload.sha256.in_(bindparam("hashes", expanding=True))
    ),
)
"""In one statement, built once: of the given hashes, the verified blobs the caller holds (with their size) and
the ones the caller has an upload of in progress (with its committed offset)."""
_DROP_UPLOADS = delete(cast(Table, BlobUpload.__table__)).where(
    BlobUpload.user_id == bindparam("user_id"), BlobUpload.sha256.in_(bindparam("hashes", expanding=True))
)


def _held_or_started(session: Session, caller: Caller, hashes: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Of ``hashes``: the size of each verified blob the caller holds, and the committed offset of each the caller
    has an upload of in progress."""
    sizes: dict[str, int] = {}
    started: dict[str, int] = {}
    for sha256, size, in_progress in session.execute(_HELD_OR_STARTED, {"user_id": caller.user_id, "hashes": hashes}):
        (started if in_progress else sizes)[sha256] = int(size)
    return sizes, started


def store_whole(
    session: Session, storage: BlobStorage, caller: Caller, blobs: list[tuple[str, Chunk]]
) -> list[BlobUploadResponse]:
    """Keep whole blobs that arrived in one request (one ``PUT`` of a whole photo, or a ``POST /blobs`` batch),
    each hashed as it arrived: all or nothing. A blob whose bytes do not match its hash refuses the request as it
    is (an upload of the caller's in progress stays as it was); blobs the caller holds already are answered
    complete; the rest are moved into place, a partial upload of the caller's of the same blob is dropped (the
    whole blob supersedes it), and blob and holder rows are written — a few statements for the lot."""
    for sha256, chunk in blobs:
        check_sha(sha256)
        if chunk.sha256 != sha256:
            raise ApiError(422, ErrorCode.BLOB_HASH_MISMATCH, f"附件内容与哈希不符，已丢弃，请重新上传：{sha256[:12]}…")
    sizes, started = _held_or_started(session, caller, [sha for sha, _ in blobs])
    new = [(sha256, chunk) for sha256, chunk in blobs if sha256 not in sizes]
    if started:
        session.execute(_DROP_UPLOADS, {"user_id": caller.user_id, "hashes": list(started)})
    for sha256, chunk in new:
        storage.discard(upload_key(sha256, caller))  # a partial file of the caller's, with or without its row
        if chunk.path is not None:  # None: the storage held these bytes already, so they were only hashed
            storage.adopt(chunk.path, sha256)
    _hold(session, caller, [(sha256, chunk.size) for sha256, chunk in new])
    return [
        BlobUploadResponse(sha256=sha256, committed=sizes.get(sha256, chunk.size), complete=True)
        for sha256, chunk in blobs
    ]


def _hold(session: Session, caller: Caller, blobs: list[tuple[str, int]]) -> None:
    """The blobs are verified: they exist for everyone, and the caller holds them."""
    hold_blobs(session, blobs, caller.user_id, caller.district_id, utcnow())


def upload(
    session: Session, storage: BlobStorage, caller: Caller, sha256: str, start: int, total: int, chunk: Chunk
) -> BlobUploadResponse:
    """Accept ``chunk`` at ``start`` of the caller's upload of a ``total``-byte blob."""
    check_sha(sha256)
    if total > MAX_BLOB_BYTES:
        raise ApiError(413, ErrorCode.BODY_TOO_LARGE, "附件过大")
    if start == 0 and chunk.size == total:
        # The whole blob in one request (most photos): hashed as it arrived, moved into place, no partial file.
        return store_whole(session, storage, caller, [(sha256, chunk)])[0]
    key = upload_key(sha256, caller)
    sizes, _ = _held_or_started(session, caller, [sha256])
    if sha256 in sizes:
        return BlobUploadResponse(sha256=sha256, committed=sizes[sha256], complete=True)
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
        assert chunk.path is not None  # a chunk of a PUT is always spooled
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
    _hold(session, caller, [(sha256, total)])
    return BlobUploadResponse(sha256=sha256, committed=total, complete=True)
