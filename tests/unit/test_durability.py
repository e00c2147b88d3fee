"""Nothing acknowledged is ever lost: answers survive SIGKILL at random moments.

A forked child answers items in a loop and reports each answer on a pipe only after its commit returned (the
moment the UI would show "已保存"). The parent kills it with SIGKILL after a seeded random delay, over and over,
then reopens the database: every acknowledged answer must be there and the file must pass ``integrity_check``.
Forking from the already-imported test process keeps each round cheap, so the run can afford hundreds of kills.
The database is the workspace's, so encrypted (SQLCipher): the promise holds at rest too.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import sqlcipher3
from sqlalchemy import select

from app.audit.visits import answer_item, item_states, start_audit
from app.db import open_database
from app.models import Answer, AnswerStatus, Coordinator, Enterprise
from app.services.workspace import Workspace
from app.storage.keys import load_data_key
from tests.conftest import VISIT_DAY

KILLS = 200
SEED = 20261125
STATUSES = [AnswerStatus.COMPLIANT, AnswerStatus.NON_COMPLIANT, AnswerStatus.NOT_APPLICABLE]


def _child(db_path: Path, key: bytes, audit_id: str, item_ids: list[str], first: int, write_fd: int) -> None:
    """Runs in the forked child: answer, commit, then acknowledge. Never returns."""
    try:
        db = open_database(db_path, key=key, run_migrations=False)
        counter = first
        while True:
            item_id = item_ids[counter % len(item_ids)]
            status = STATUSES[counter % len(STATUSES)]
            with db.session() as session:
                answer_item(session, audit_id, item_id, status, note=f"n{counter}")
            os.write(write_fd, f"{item_id} {counter}\n".encode())
            counter += 1
    finally:
        os._exit(1)


def test_acknowledged_answers_survive_sigkill(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, tmp_path: Path
) -> None:
    with ws.db.session() as session:
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT", "WAGE"],
        )
        item_ids = [s.item.id for s in item_states(session, audit.id) if s.needs_answer and s.rule_fires is not True]
    db_path = ws.paths.database
    key = load_data_key(ws.paths.root)
    ws.db.close()
    assert db_path.read_bytes()[:16] != b"SQLite format 3\x00", "the workspace database should be encrypted"

    rng = random.Random(SEED)
    acked: dict[str, int] = {}
    total_acks = 0
    first = 0
    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            os.close(read_fd)
            _child(db_path, key, audit.id, item_ids, first, write_fd)
        os.close(write_fd)
        # The kill lands at a random moment after the child's first acknowledged answer, so a slow machine (a
        # child still importing) does not turn the round into a kill before any write.
        head = b""
        while b"\n" not in head:
            chunk = os.read(read_fd, 4096)
            if not chunk:
                break
            head += chunk
        time.sleep(rng.uniform(0.0, 0.12))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_fd, "rb") as pipe:
            for line in (head + pipe.read()).decode().splitlines():
                item_id, counter = line.split()
                acked[item_id] = max(acked.get(item_id, -1), int(counter))
                total_acks += 1
        first += 100_000  # each round's counters are above every earlier round's

    assert total_acks > KILLS, "the child should have acknowledged answers in most rounds"
    raw = sqlcipher3.connect(str(db_path))
    try:
        raw.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        raw.close()
    db = open_database(db_path, key=key)
    with db.session() as session:
        notes = {a.item_id: a for a in session.scalars(select(Answer).where(Answer.audit_id == audit.id))}
    db.close()
    for item_id, counter in acked.items():
        stored = notes.get(item_id)
        assert stored is not None, f"acknowledged answer to {item_id} is missing"
        stored_counter = int(stored.note.removeprefix("n"))
        assert stored_counter >= counter, f"{item_id}: acknowledged n{counter} but found {stored.note}"
        assert stored.status is STATUSES[stored_counter % len(STATUSES)]
