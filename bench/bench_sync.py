"""Sync throughput over loopback against the server on PostgreSQL, next to the executemany floor.

1. Push of 1,000 finished audits (answers, findings, rectification items) plus 300 photos, by the real client.
2. A retry of that already-applied push (every mutation answered ``duplicate``).
3. The same rows inserted directly into the server's ``record`` table with executemany in one transaction.
4. A pull of 100k enterprises into a fresh laptop: time, then peak Python memory (tracemalloc) in a second pull.

PostgreSQL: ``LABORCHECK_BENCH_PG_URL`` if set, else a throw-away cluster from ``scripts/pg-test-server.sh``.
``LABORCHECK_BENCH_SCALE`` (default 1.0) scales the counts down for a quick look.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import keyring
import uvicorn
from PIL import Image
from sqlalchemy import create_engine, insert, select, text

from app.audit.attachments import add_photo
from app.audit.enterprises import EnterpriseInput, create_enterprise, name_initials
from app.audit.profile import ProfileInput, save_profile
from app.audit.uscc import make_uscc
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Coordinator, OutboxEntry, save_settings
from app.services.workspace import Workspace, open_workspace
from app.sync.credentials import MemoryKeyring
from app.sync.outbox import next_batch, to_mutation
from app.sync.protocol import Role
from app.sync.service import device_id, sync
from server import admin
from server.app import create_app
from server.config import ServerSettings
from server.db import open_server_database
from server.models import Record

ROOT = Path(__file__).resolve().parents[1]
SCALE = float(os.environ.get("LABORCHECK_BENCH_SCALE", "1.0"))
AUDITS = max(10, int(1000 * SCALE))
PHOTOS = max(3, int(300 * SCALE))
ENTERPRISES = max(1000, int(100_000 * SCALE))
PASSWORD = "bench-password-1"  # noqa: S105 (a throw-away account)


def _postgres(directory: str) -> str:
    given = os.environ.get("LABORCHECK_BENCH_PG_URL")
    if given:
        return given
    started = subprocess.run(
        [str(ROOT / "scripts" / "pg-test-server.sh"), "start", directory], capture_output=True, text=True, check=True
    )
    return started.stdout.strip().splitlines()[-1]


def _serve(settings: ServerSettings) -> tuple[uvicorn.Server, threading.Thread, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    return server, thread, port


def _photo(n: int) -> bytes:
    import io
    import random

    rng = random.Random(n)
    image = Image.new("RGB", (640, 480))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(640 * 480 // 16)] * 16)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _laptop(root: Path, name: str, url: str) -> Workspace:
    ws = open_workspace(root / name)
    with ws.db.session() as session:
        save_profile(session, ProfileInput(name=name, device_code="A3", district="达川区", organisation="达川区人社局"))
        save_settings(session, server_url=url, server_consent=True)
    return ws


def _make_audits(ws: Workspace) -> None:
    with ws.db.session() as session:
        enterprise = create_enterprise(
            session, EnterpriseInput(uscc=make_uscc("91511703MA62BENCH"), name="达州基准测试有限公司")
        )
        coordinator_id = session.scalars(select(Coordinator.id)).one()
    photos_left = PHOTOS
    for n in range(AUDITS):
        with ws.db.session() as session:
            audit = start_audit(
                session,
                enterprise_id=enterprise.id,
                coordinator_id=coordinator_id,
                visit_date=dt.date(2026, 11, 10),
                modules=["CONTRACT"],
            )
            answer_item(session, audit.id, "CONTRACT-03", AnswerStatus.NON_COMPLIANT, note="缺少工作地点条款")
            if photos_left and n % max(1, AUDITS // PHOTOS) == 0:
                add_photo(
                    session, ws.blobs, audit_id=audit.id, item_id="CONTRACT-03", data=_photo(n), original_name="p.jpg"
                )
                photos_left -= 1
            for state in item_states(session, audit.id):
                if state.needs_answer and state.answer is None:
                    answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT)
            finish_audit(session, audit.id, responsible_person="赵强")


def _floor(url: str, rows: list[dict[str, Any]]) -> float:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TEMP TABLE floor_record (LIKE record INCLUDING DEFAULTS)"))
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text("CREATE TEMP TABLE IF NOT EXISTS floor_copy (LIKE record INCLUDING DEFAULTS)"))
        connection.execute(
            text(
                "INSERT INTO floor_copy (entity, entity_id, district_id, owner_id, version, data, meta, writer, seq,"
                " deleted, updated_at) VALUES (:entity, :entity_id, 1, 1, 1, :data, '{}', 'floor', :seq, false, now())"
            ),
            rows,
        )
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def _seed_enterprises(url: str, district_id: int) -> None:
    engine = create_engine(url)
    rows = []
    for n in range(ENTERPRISES):
        entity_id = str(uuid.uuid4())
        code = f"9151{n:014d}"
        data = {
            "id": entity_id,
            "uscc": code,
            "name": f"达州第{n}号商贸有限公司",
            "industry": "批发和零售业",
            "address": f"达川区某街道{n}号",
            "district": "达川区",
            "contact_name": "王芳",
            "contact_phone": "0818-2345678",
            "headcount": n % 500,
            "headcount_last_year_end": None,
            "is_key": False,
        }
        rows.append(
            {
                "entity": "enterprise",
                "entity_id": entity_id,
                "natural_key": code,
                "district_id": district_id,
                "version": 1,
                "data": data,
                "meta": {},
                "writer": "admin",
                "seq": 1_000_000 + n,
                "deleted": False,
            }
        )
    with engine.begin() as connection:
        connection.execute(insert(Record.__table__), rows)
        connection.execute(text("UPDATE feed_state SET last_seq = :s"), {"s": 1_000_000 + ENTERPRISES})
    engine.dispose()


def run() -> dict[str, float]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    work = Path(tempfile.mkdtemp(prefix="laborcheck-bench-sync-"))
    pg_dir = tempfile.mkdtemp(prefix="laborcheck-bench-pg-")
    figures: dict[str, float] = {}
    try:
        url = _postgres(pg_dir)
        settings = ServerSettings(database_url=url, blob_dir=work / "server-blobs")
        db = open_server_database(url)
        with db.session() as session:
            district = admin.add_district(session, "达川区")
            admin.add_user(session, username="li", password=PASSWORD, role=Role.COORDINATOR, district="达川区")
            district_id = district.id
        server, thread, port = _serve(settings)
        base = f"http://127.0.0.1:{port}"
        ws = _laptop(work, "laptop-a", base)
        started = time.perf_counter()
        _make_audits(ws)
        figures["make_audits_s"] = time.perf_counter() - started
        with ws.db.session() as session:
            entries = next_batch(session, 0, 10_000_000)
            mutations = [to_mutation(entry).model_dump(mode="json") for entry in entries]
            device = device_id(session)
        figures["mutations"] = len(mutations)
        started = time.perf_counter()
        summary = sync(ws, password=PASSWORD, username="li", batch_size=500)
        figures["push_s"] = time.perf_counter() - started
        figures["push_records_per_s"] = summary.sent / figures["push_s"]
        figures["photo_mb"] = summary.bytes_uploaded / 1e6

        import httpx

        from app.sync.credentials import load_token

        token = load_token(base, "li")
        started = time.perf_counter()
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
            for index in range(0, len(mutations), 500):
                answer = client.post(
                    "/sync/push", json={"device_id": device, "mutations": mutations[index : index + 500]}
                )
                assert all(r["status"] == "duplicate" for r in answer.json()["results"])
        figures["retry_s"] = time.perf_counter() - started
        figures["retry_records_per_s"] = len(mutations) / figures["retry_s"]

        floor_rows = [
            {"entity": m["entity"], "entity_id": m["entity_id"], "data": json.dumps(m["payload"]), "seq": i}
            for i, m in enumerate(mutations)
        ]
        figures["floor_s"] = _floor(url, floor_rows)
        figures["floor_records_per_s"] = len(floor_rows) / figures["floor_s"]

        _seed_enterprises(url, district_id)
        fresh = _laptop(work, "laptop-b", base)
        started = time.perf_counter()
        pulled = sync(fresh, password=PASSWORD, username="li", page_size=5000, initials=name_initials)
        figures["pull_s"] = time.perf_counter() - started
        figures["pulled_rows"] = pulled.received
        figures["pull_rows_per_s"] = pulled.received / figures["pull_s"]
        with fresh.db.session() as session:
            assert session.scalar(select(OutboxEntry.seq)) is None
        # Peak memory in a second pull: tracemalloc slows Python down severalfold, so it must not share the timing.
        traced = _laptop(work, "laptop-c", base)
        tracemalloc.start()
        sync(traced, password=PASSWORD, username="li", page_size=5000, initials=name_initials)
        figures["pull_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        ws.close()
        fresh.close()
        traced.close()
        server.should_exit = True
        thread.join(timeout=30)
        db.close()
    finally:
        keyring.set_keyring(previous)
        if not os.environ.get("LABORCHECK_BENCH_PG_URL"):
            subprocess.run([str(ROOT / "scripts" / "pg-test-server.sh"), "stop", pg_dir], check=False)
        shutil.rmtree(pg_dir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return figures


def main() -> None:
    figures = run()
    print(
        f"push: {figures['mutations']:.0f} mutations of {AUDITS} finished audits + {PHOTOS} photos "
        f"({figures['photo_mb']:.1f} MB) in {figures['push_s']:.2f} s = {figures['push_records_per_s']:.0f} records/s"
    )
    print(f"retry of the applied push: {figures['retry_s']:.2f} s = {figures['retry_records_per_s']:.0f} records/s")
    print(
        f"floor (executemany, one transaction): {figures['floor_s']:.2f} s = "
        f"{figures['floor_records_per_s']:.0f} records/s"
    )
    print(
        f"pull: {figures['pulled_rows']:.0f} rows in {figures['pull_s']:.2f} s = "
        f"{figures['pull_rows_per_s']:.0f} rows/s, peak Python memory {figures['pull_peak_mb']:.1f} MB"
    )


if __name__ == "__main__":
    main()
