"""Encryption at rest: after a visit, the database, its WAL and every blob hold no personal data in clear."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.audit.enterprise_search import search_enterprises
from app.db import open_database
from app.models import Answer, Setting
from app.services.workspace import open_workspace
from app.storage.blobstore import BlobCorrupted, BlobStore, ContentStore
from app.storage.encrypted_blobstore import EncryptedBlobStore
from tests.unit._encryption_visit import ID_NUMBER, NOTE, PDF, data_files, leaks, scripted_visit


def test_after_a_visit_no_known_string_is_in_the_database_its_wal_or_any_blob(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        scripted_visit(ws.db, ws.blobs)
        wal = ws.paths.database.with_name("laborcheck.db-wal")
        assert wal.is_file()
        assert wal.stat().st_size > 0, "the WAL should hold the visit before a checkpoint"
        files = data_files(ws.paths.root)
        assert wal in files
        assert len([f for f in files if "blobs" in f.parts]) == 2  # the PDF and the photo
        before_checkpoint = {str(path): leaks(path) for path in files}
        with ws.db.session() as session:  # and the data is really there, readable through the key
            assert NOTE in {a.note for a in session.query(Answer)}
    finally:
        ws.close()
    after_checkpoint = {str(path): leaks(path) for path in data_files(tmp_path / "data")}
    assert before_checkpoint == {key: [] for key in before_checkpoint}
    assert after_checkpoint == {key: [] for key in after_checkpoint}


def test_the_same_visit_without_encryption_would_show_the_strings(tmp_path: Path) -> None:
    """The control for the test above: its search finds the strings in files that are not encrypted."""
    db = open_database(tmp_path / "plain" / "laborcheck.db")
    try:
        scripted_visit(db, BlobStore(tmp_path / "plain" / "blobs"))
    finally:
        db.close()
    found = {text for path in data_files(tmp_path / "plain") for text in leaks(path)}
    assert NOTE in found
    assert ID_NUMBER in found


def test_the_workspace_database_is_not_a_database_without_the_key(tmp_path: Path) -> None:
    open_workspace(tmp_path / "data").close()
    with sqlite3.connect(tmp_path / "data" / "laborcheck.db") as raw, pytest.raises(sqlite3.DatabaseError):
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_the_encrypted_database_keeps_wal_full_sync_foreign_keys_and_the_busy_timeout(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        with ws.db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA cipher_version").scalar()
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    finally:
        ws.close()


def test_the_trigram_name_search_works_on_the_encrypted_database(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        scripted_visit(ws.db, ws.blobs)
        with ws.db.session() as session:
            assert [e.name for e in search_enterprises(session, "恒达机械")] == ["达州恒达机械制造有限公司"]
            tokenizer = session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'enterprise_fts'")).scalar()
            assert "trigram" in str(tokenizer)
    finally:
        ws.close()


def test_a_nested_rollback_keeps_the_outer_work_on_the_encrypted_database(tmp_path: Path) -> None:
    """The BEGIN recipe of app.db still holds: a SAVEPOINT rollback undoes only its own work."""
    ws = open_workspace(tmp_path / "data")
    try:
        with ws.db.session() as session:
            session.add(Setting(key="outer", value=1))
            session.flush()
            nested = session.begin_nested()
            session.add(Setting(key="inner", value=1))
            session.flush()
            nested.rollback()
        with ws.db.session() as session:
            keys = set(session.scalars(select(Setting.key).where(Setting.key.in_(["outer", "inner"]))))
        assert keys == {"outer"}
    finally:
        ws.close()


@pytest.fixture
def store(tmp_path: Path) -> EncryptedBlobStore:
    return EncryptedBlobStore(tmp_path / "blobs", bytes(range(32)))


def test_an_encrypted_blob_is_addressed_by_its_plaintext_hash_and_reads_back(store: EncryptedBlobStore) -> None:
    assert isinstance(store, ContentStore)
    sha = store.put(PDF)
    assert store.put(PDF) == sha
    assert store.has(sha)
    assert store.get(sha) == PDF
    assert store.size(sha) == len(PDF)
    assert store.open(sha).read() == PDF
    raw = store.path(sha).read_bytes()
    assert ID_NUMBER.encode() not in raw
    assert raw.startswith(b"LCE1")


def test_the_address_is_the_same_as_the_plaintext_store_gives(tmp_path: Path, store: EncryptedBlobStore) -> None:
    assert store.put(PDF) == BlobStore(tmp_path / "plain").put(PDF)


def test_the_same_bytes_put_twice_are_one_file_and_a_new_nonce_each_time_a_file_is_written(
    store: EncryptedBlobStore, tmp_path: Path
) -> None:
    sha = store.put(PDF)
    first = store.path(sha).read_bytes()
    assert store.put(PDF) == sha
    assert store.path(sha).read_bytes() == first
    other = EncryptedBlobStore(tmp_path / "other", bytes(range(32)))
    assert other.put(PDF) == sha
    assert other.path(sha).read_bytes() != first


def test_a_tampered_blob_is_refused_as_corrupted(store: EncryptedBlobStore) -> None:
    sha = store.put(PDF)
    path = store.path(sha)
    damaged = bytearray(path.read_bytes())
    damaged[-20] ^= 1
    path.write_bytes(bytes(damaged))
    with pytest.raises(BlobCorrupted):
        store.get(sha)
    assert store.put(PDF) == sha
    assert store.get(sha) == PDF


def test_a_blob_moved_under_another_name_is_refused(store: EncryptedBlobStore) -> None:
    first, second = store.put(PDF), store.put(b"%PDF-1.4 other")
    store.path(second).write_bytes(store.path(first).read_bytes())
    with pytest.raises(BlobCorrupted):
        store.get(second)


def test_a_blob_under_another_key_is_refused(store: EncryptedBlobStore) -> None:
    sha = store.put(PDF)
    with pytest.raises(BlobCorrupted):
        EncryptedBlobStore(store.root, bytes(32)).get(sha)
    with pytest.raises(BlobCorrupted):
        EncryptedBlobStore(store.root, bytes(32)).open(sha)
