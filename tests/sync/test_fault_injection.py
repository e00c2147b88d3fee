"""Seeded faults between laptop and server; after each, retrying converges to exactly one clean sync.

SYNC.md properties 2 (a cut at any byte of a request or a response) and 3 (a server restart mid-batch), plus
delays, duplicated requests and 502/503 answers: 110 schedules per database backend, 220 in a run.
"""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from app.audit.attachments import add_photo
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import (
    Answer,
    AnswerStatus,
    Attachment,
    Audit,
    AuditModule,
    AuditStatus,
    Coordinator,
    Finding,
    OutboxEntry,
    RectificationItem,
)
from app.models.sync import row_payload
from app.services.workspace import Workspace
from app.sync.client import SyncClient, SyncError
from server.db import ServerDatabase
from server.models import AppliedMutation, Record, StoredBlob
from tests.sync._helpers import VISIT_DAY, do_sync, first_enterprise
from tests.sync.conftest import District
from tests.sync.faultproxy import FaultProxy, schedule
from tests.unit._builders import jpeg_bytes

SCHEDULES_PER_BACKEND = 110
MAX_ATTEMPTS = 12
MIRRORED = (Audit, AuditModule, Answer, Attachment, Finding, RectificationItem)


def _client_factory(proxy: FaultProxy) -> Any:
    def factory(_server_url: str, token: str | None) -> SyncClient:
        transport = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
        return SyncClient(f"http://127.0.0.1:{proxy.port}", token=token, timeout=5.0, transport=transport)

    return factory


def _local_change(ws: Workspace, seed: int, enterprise_id: str) -> None:
    """A small piece of a coordinator's day: start a visit, answer, photograph, finish."""
    with ws.db.session() as session:
        audit = session.scalars(select(Audit).where(Audit.status == AuditStatus.IN_PROGRESS)).first()
        if audit is None:
            coordinator = session.scalars(select(Coordinator)).one()
            start_audit(
                session,
                enterprise_id=enterprise_id,
                coordinator_id=coordinator.id,
                visit_date=VISIT_DAY,
                modules=["CONTRACT"],
            )
            return
        states = [state for state in item_states(session, audit.id) if state.needs_answer]
        if seed % 4 == 3:
            answer_item(session, audit.id, "CONTRACT-03", AnswerStatus.NON_COMPLIANT, note=f"第{seed}次")
            for state in states:
                if state.answer is None:
                    answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT)
            finish_audit(session, audit.id, responsible_person="赵强")
            return
        if seed % 4 == 1:
            add_photo(
                session,
                ws.blobs,
                audit_id=audit.id,
                item_id="CONTRACT-03",
                data=jpeg_bytes(width=64 + seed % 50, color=(seed % 256, (seed * 7) % 256, 90)),
                original_name="photo.jpg",
            )
            return
        state = states[seed % len(states)]
        answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT, note=f"核查{seed}")


def _assert_one_clean_sync(ws: Workspace, db: ServerDatabase, device: str, blob_root: Any) -> None:
    with ws.db.session() as session:
        assert session.scalar(select(OutboxEntry.seq)) is None, "everything was sent"
        made = session.execute(text("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")).scalar_one()
        local = {
            (model.__tablename__, row.id): row_payload(row)
            for model in MIRRORED
            for row in session.scalars(select(model))
        }
    with db.session() as session:
        applied = session.scalars(select(AppliedMutation.seq).where(AppliedMutation.device_id == device)).all()
        records = {
            (r.entity, r.entity_id): r.data
            for r in session.scalars(select(Record).where(Record.entity.in_([m.__tablename__ for m in MIRRORED])))
        }
        blobs = session.scalars(select(StoredBlob)).all()
    assert sorted(applied) == list(range(1, made + 1)), "every mutation applied exactly once, none lost"
    assert records == local, "the server holds exactly what the laptop holds"
    for blob in blobs:
        assert blob.complete, "no partial blob is left once the sync succeeded"
        path = blob_root / "objects" / blob.sha256[:2] / blob.sha256[2:]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == blob.sha256
        assert not (blob_root / "incoming" / f"{blob.sha256}.part").exists()


@pytest.mark.slow
def test_every_seeded_fault_schedule_converges_to_one_clean_sync(district: District, laptop: Any) -> None:
    ws = laptop("李明")
    proxy = FaultProxy(district.server.port, district.server.restart)
    proxy.start()
    factory = _client_factory(proxy)
    try:
        do_sync(ws, "li", client_factory=factory)
        enterprise_id = first_enterprise(ws)
        from app.sync.service import device_id

        with ws.db.session() as session:
            device = device_id(session)
        fired = 0
        for seed in range(SCHEDULES_PER_BACKEND):
            _local_change(ws, seed, enterprise_id)
            proxy.arm(schedule(seed))
            for _attempt in range(MAX_ATTEMPTS):
                try:
                    summary = do_sync(ws, "li", client_factory=factory, batch_size=7)
                except SyncError as error:
                    assert error.retryable, f"seed {seed}: {error}"  # noqa: PT017 (a retry loop, not one expected raise)
                    continue
                assert summary.errors == [], f"seed {seed}: {summary.errors}"
                break
            else:
                pytest.fail(f"seed {seed}: no clean sync after {MAX_ATTEMPTS} attempts")
            fired += len(proxy.fired)
            proxy.fired.clear()
            proxy.disarm()
            _assert_one_clean_sync(ws, district.db, device, district.server.settings.blob_dir)
        assert fired >= SCHEDULES_PER_BACKEND // 2, "the schedules really hit requests"
    finally:
        proxy.stop()
