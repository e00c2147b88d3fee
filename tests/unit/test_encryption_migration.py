"""A data directory made before encryption is converted on first start, and a SIGKILL at any point loses nothing.

The plaintext directory is built once by the pre-encryption code path (a plain database and :class:`BlobStore`),
copied while its WAL still holds the last writes. Each round copies it, forks a child that opens it (which
converts it) and kills the child after a seeded random delay spread over the conversion's measured duration. Then
the parent checks that the old data is intact whenever the commit point was not reached, opens the directory
(which finishes the job) and checks that every row and every blob is there and nothing is left in clear.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from keyring.backends import fail

from app.audit.enterprise_search import search_enterprises
from app.db import open_database
from app.models import Answer
from app.services.workspace import open_workspace
from app.storage.blobstore import BlobStore
from app.storage.encryption import JOURNAL, database_state
from app.storage.keys import Argon2Params
from tests.unit._encryption_visit import ENTERPRISE, NOTE, data_files, leaks, scripted_visit

KILLS = 60
SEED = 20261126
EXTRA_BLOBS = 30
FAST = Argon2Params(time_cost=1, memory_cost=8, parallelism=1)
PASSPHRASE = "迁移测试口令 2026"  # noqa: S105 - a test passphrase


@dataclass
class PlainDirectory:
    root: Path
    blobs: dict[str, bytes]


def _open(root: Path):  # type: ignore[no-untyped-def]
    return open_workspace(root, passphrase=PASSPHRASE, keyring=fail.Keyring(), argon2_for_tests=FAST)


@pytest.fixture(scope="module")
def plain_directory(tmp_path_factory: pytest.TempPathFactory) -> PlainDirectory:
    """A directory as the build before encryption left it, with the last visit still in the WAL."""
    source = tmp_path_factory.mktemp("source")
    db = open_database(source / "laborcheck.db")
    store = BlobStore(source / "blobs")
    (source / "logs").mkdir()
    try:
        scripted_visit(db, store)
        blobs = {sha: store.get(sha) for sha in _blob_names(source / "blobs")}
        for n in range(EXTRA_BLOBS):
            data = f"%PDF-1.4 evidence {n} {NOTE}".encode() * 50
            blobs[store.put(data)] = data
        assert (source / "laborcheck.db-wal").stat().st_size > 0
        copy = tmp_path_factory.mktemp("plain") / "data"
        shutil.copytree(source, copy)  # while the database is open: the WAL is part of the copy
    finally:
        db.close()
    return PlainDirectory(copy, blobs)


def _blob_names(root: Path) -> list[str]:
    return [path.parent.name + path.name for path in root.glob("??/*") if len(path.name) == 62]


def _check_converted(root: Path, blobs: dict[str, bytes]) -> None:
    ws = _open(root)
    try:
        with ws.db.session() as session:
            assert NOTE in {answer.note for answer in session.query(Answer)}
            assert [e.name for e in search_enterprises(session, "恒达机械")] == [ENTERPRISE]
        for sha, data in blobs.items():
            assert ws.blobs.get(sha) == data
    finally:
        ws.close()
    assert database_state(root / "laborcheck.db") == "encrypted"
    leftovers = [p.name for p in root.rglob("*") if p.name.endswith((".encrypting", ".encrypted", ".tmp"))]
    assert leftovers == []
    assert not (root / JOURNAL).exists()
    assert {str(path): leaks(path) for path in data_files(root) if leaks(path)} == {}


def _check_old_data_intact(root: Path, blobs: dict[str, bytes]) -> None:
    """Before the commit point the plaintext database and blobs must be exactly what they were."""
    with sqlite3.connect(root / "laborcheck.db") as raw:
        notes = {row[0] for row in raw.execute("SELECT note FROM answer")}
    assert NOTE in notes
    store = BlobStore(root / "blobs")
    for sha, data in blobs.items():
        assert store.get(sha) == data


def test_a_plaintext_directory_is_converted_on_first_start(plain_directory: PlainDirectory, tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(plain_directory.root, root)
    _check_old_data_intact(root, plain_directory.blobs)
    _check_converted(root, plain_directory.blobs)


def test_conversion_killed_at_random_points_loses_nothing(plain_directory: PlainDirectory, tmp_path: Path) -> None:
    durations = []
    for attempt in range(2):  # the warm figure: a cold first run would push most kills past the end
        timing_root = tmp_path / f"timing{attempt}"
        shutil.copytree(plain_directory.root, timing_root)
        started = time.perf_counter()
        _open(timing_root).close()
        durations.append(time.perf_counter() - started)
    duration = min(durations)

    rng = random.Random(SEED)
    phases = {"before commit": 0, "after commit": 0, "finished": 0}
    for run in range(KILLS):
        root = tmp_path / f"run{run}"
        shutil.copytree(plain_directory.root, root)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                _open(root).close()
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if (root / JOURNAL).exists():
            phases["after commit"] += 1
        elif database_state(root / "laborcheck.db") == "plaintext":
            phases["before commit"] += 1
            _check_old_data_intact(root, plain_directory.blobs)
        else:
            phases["finished"] += 1
        _check_converted(root, plain_directory.blobs)
        shutil.rmtree(root)

    assert phases["before commit"] >= KILLS // 4, phases
    assert sum(phases.values()) == KILLS


def test_a_journal_write_cut_short_leaves_no_temp_file(plain_directory: PlainDirectory, tmp_path: Path) -> None:
    """A kill between the journal's temp file and its rename: the next start converts and sweeps the temp file."""
    root = tmp_path / "data"
    shutil.copytree(plain_directory.root, root)
    (root / f".{JOURNAL}-cut0short.tmp").write_bytes(b'{"format": 1, "st')
    _check_converted(root, plain_directory.blobs)
