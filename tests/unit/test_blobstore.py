"""The content-addressed blob stores: addressing, atomic idempotent writes, verified reads.

One suite, run on each store (Kinto's pattern: ``class MemoryStorageTest(StorageTest)``): the plain directory
store and the encrypted store the workspace uses must keep the same promises; what only one of them does is
tested in its own class below the suite.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.storage.blobstore import (
    BlobCorrupted,
    BlobNotFound,
    BlobStore,
    ContentStore,
    InvalidBlobHash,
)
from app.storage.encrypted_blobstore import EncryptedBlobStore
from core.errors import LaborCheckError


class ContentStoreSuite:
    """The promises of :class:`~app.storage.blobstore.ContentStore`; subclasses give the ``store`` fixture."""

    def test_get_returns_what_was_put(self, store: BlobStore) -> None:
        sha = store.put(b"\x00\x01payload")
        assert store.get(sha) == b"\x00\x01payload"
        assert store.has(sha)
        assert store.size(sha) == len(b"\x00\x01payload")

    def test_putting_the_same_bytes_twice_is_one_file_and_leaves_no_temporary_files(self, store: BlobStore) -> None:
        first = store.put(b"same")
        mtime = store.path(first).stat().st_mtime_ns
        second = store.put(b"same")
        assert first == second
        assert store.path(first).stat().st_mtime_ns == mtime
        files = [p for p in store.root.rglob("*") if p.is_file()]
        assert files == [store.path(first)]

    def test_a_corrupted_file_is_an_error_on_read_not_silent_garbage(self, store: BlobStore) -> None:
        sha = store.put(b"original evidence")
        store.path(sha).write_bytes(b"tampered evidence")
        with pytest.raises(BlobCorrupted) as raised:
            store.get(sha)
        assert isinstance(raised.value, LaborCheckError)
        assert "损坏" in str(raised.value)
        assert sha[:12] in str(raised.value)

    def test_streaming_a_corrupted_file_fails_at_the_end_of_the_stream(self, store: BlobStore) -> None:
        data = os.urandom(3 * 1024 * 1024 + 17)
        sha = store.put(data)
        damaged = bytearray(data)
        damaged[-1] ^= 0xFF
        store.path(sha).write_bytes(bytes(damaged))

        def read_all() -> None:
            with store.open(sha) as stream:
                while stream.read(64 * 1024):
                    pass

        with pytest.raises(BlobCorrupted):
            read_all()

    def test_streaming_an_intact_file_yields_its_bytes(self, store: BlobStore) -> None:
        data = os.urandom(2 * 1024 * 1024 + 5)
        sha = store.put(data)
        chunks = []
        with store.open(sha) as stream:
            while chunk := stream.read(100_000):
                chunks.append(chunk)
        assert b"".join(chunks) == data

    def test_putting_bytes_again_repairs_a_corrupted_file(self, store: BlobStore) -> None:
        sha = store.put(b"evidence")
        store.path(sha).write_bytes(b"garbage!")
        assert store.put(b"evidence") == sha
        assert store.get(sha) == b"evidence"

    def test_missing_blob_is_a_clear_not_found_error(self, store: BlobStore) -> None:
        sha = hashlib.sha256(b"never stored").hexdigest()
        assert not store.has(sha)
        for call in (store.get, store.size, store.open):
            with pytest.raises(BlobNotFound, match="找不到附件文件"):
                call(sha)

    @pytest.mark.parametrize("bad", ["../../etc/passwd", "ab", "g" * 64, "a" * 63, "a" * 65, ""])
    def test_a_malformed_hash_never_becomes_a_path(self, store: BlobStore, bad: str) -> None:
        with pytest.raises(InvalidBlobHash):
            store.path(bad)
        with pytest.raises(InvalidBlobHash):
            store.has(bad)

    def test_uppercase_hash_addresses_the_same_blob(self, store: BlobStore) -> None:
        sha = store.put(b"x")
        assert store.get(sha.upper()) == b"x"

    def test_a_failed_write_leaves_neither_the_blob_nor_a_temporary_file(
        self, store: BlobStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def fail(_src: object, _dst: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", fail)
        with pytest.raises(OSError, match="disk full"):
            store.put(b"will not land")
        sha = hashlib.sha256(b"will not land").hexdigest()
        assert not store.has(sha)
        assert [p for p in store.root.rglob("*") if p.is_file()] == []

    def test_put_fsyncs_the_file_and_its_directory(self, store: BlobStore, monkeypatch: pytest.MonkeyPatch) -> None:
        synced: list[int] = []
        real_fsync = os.fsync

        def spy(descriptor: int) -> None:
            synced.append(descriptor)
            real_fsync(descriptor)

        monkeypatch.setattr(os, "fsync", spy)
        store.put(b"durable")
        # the temp file, the new fan-out directory's parent (root) and the fan-out directory after the rename
        assert len(synced) >= 3

    def test_the_store_satisfies_the_store_protocol(self, store: BlobStore) -> None:
        assert isinstance(store, ContentStore)


class TestPlainStore(ContentStoreSuite):
    @pytest.fixture
    def store(self, tmp_path: Path) -> BlobStore:
        return BlobStore(tmp_path / "blobs")

    def test_put_returns_the_sha256_and_files_it_under_a_two_character_fan_out(self, store: BlobStore) -> None:
        data = "花名册第1页".encode()
        sha = store.put(data)
        assert sha == hashlib.sha256(data).hexdigest()
        assert store.path(sha) == store.root / sha[:2] / sha[2:]
        assert store.path(sha).read_bytes() == data


class TestEncryptedStore(ContentStoreSuite):
    @pytest.fixture
    def store(self, tmp_path: Path) -> BlobStore:
        return EncryptedBlobStore(tmp_path / "blobs", bytes(range(32)))

    def test_the_file_under_the_plaintext_hash_holds_only_ciphertext(self, store: BlobStore) -> None:
        data = "花名册第1页 510102199001011234".encode()
        sha = store.put(data)
        assert sha == hashlib.sha256(data).hexdigest()
        assert store.path(sha) == store.root / sha[:2] / sha[2:]
        raw = store.path(sha).read_bytes()
        assert data not in raw
        assert raw.startswith(b"LCE1")
