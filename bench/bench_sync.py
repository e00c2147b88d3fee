"""Sync throughput over loopback against the server on PostgreSQL (``laborcheck-server serve --workers 2`` in its
own processes), next to the executemany floor, all from one run:

1. Push by one client: 1,000 finished audits (answers, findings, rectification items) plus 300 photos, by the real
   client (a sync: blobs, push, then the feed), signed in beforehand.
2. Push by four clients at once, each a laptop of its own coordinator (each in a district of its own, as on a city
   server) with a quarter of that workload, each in its own process; records per second over the wall time from
   the common start to the last finish.
3. The server's own ingest rate: four processes at once, each sending exactly what one of four more laptops
   sends (``/blobs/missing``, ``POST /blobs``, ``/sync/push``, in the laptop's order and overlap), prepared
   beforehand. On this two-core machine the four real laptops of (2) take about a third of the CPU
   away from the server; here their work (reading the outbox, building requests, recording answers) is done
   before the clock starts, as when laptops sync from machines of their own.
4. A retry of the one client's already-applied push (every mutation answered ``duplicate``).
5. The floor: the same rows inserted directly into a copy of the ``record`` table with executemany in one
   transaction.
6. A pull of 100k enterprises into a fresh laptop in a program of its own (``bench.sync_laptop``, which imports
   only what a laptop does): its time and its peak resident memory; then peak Python memory (tracemalloc) of a
   second pull here (tracemalloc slows it, so it is not timed).

PostgreSQL: ``LABORCHECK_BENCH_PG_URL`` if set, else a throw-away cluster from ``scripts/pg-test-server.sh``.
The laptops' data directories are opened with the benchmarks' explicit key source (``bench/__init__``); their
device tokens are kept in the tests' file-backed keyring double, set explicitly here and in each child (never the
machine's keyring, and the app registers none), so a signed-in laptop's sync does not sign in again.
``LABORCHECK_BENCH_SCALE`` (default 1.0) scales the counts down for a quick look.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import keyring
from PIL import Image
from sqlalchemy import create_engine, insert, select, text

from app.audit.attachments import add_photo
from app.audit.enterprises import EnterpriseInput, create_enterprise, name_initials
from app.audit.uscc import make_uscc
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Coordinator, OutboxEntry
from app.services.workspace import Workspace
from app.sync.credentials import load_token
from app.sync.outbox import next_batch, prepare_batch, read_pending, to_mutation
from app.sync.protocol import Role, blob_batch_body, fits_in_pack, pack_blobs
from app.sync.service import UPLOAD_THREADS, device_id, sign_in, sync
from bench import open_bench_workspace
from bench.sync_laptop import laptop
from server import admin
from server.db import open_server_database
from server.models import Record
from tests.keyrings import ENV as KEYRING_ENV
from tests.keyrings import FileKeyring

ROOT = Path(__file__).resolve().parents[1]
SCALE = float(os.environ.get("LABORCHECK_BENCH_SCALE", "1.0"))
AUDITS = max(10, int(1000 * SCALE))
PHOTOS = max(3, int(300 * SCALE))
ENTERPRISES = max(1000, int(100_000 * SCALE))
PASSWORD = "bench-password-1"  # noqa: S105 (a throw-away account)
CLIENTS = 4
WORKERS = 2


def _postgres(directory: str) -> str:
    given = os.environ.get("LABORCHECK_BENCH_PG_URL")
    if given:
        return given
    started = subprocess.run(
        [str(ROOT / "scripts" / "pg-test-server.sh"), "start", directory], capture_output=True, text=True, check=True
    )
    return started.stdout.strip().splitlines()[-1]


def _settle(url: str) -> None:
    """Start a timed phase from a quiet machine, on analysed tables: the previous phase's files written out
    (``sync``) and its rows vacuumed and analysed, so neither the kernel's write-back of some hundred MB nor
    autovacuum lands in the next phase's time, and every phase is planned as on a server that has run a while
    (analysed tables are what exposed a generic plan that scanned every applied mutation). No checkpoint: one
    just before a phase would make it write every page it touches whole into the WAL, a worst case."""
    os.sync()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    os.sync()


def _serve(url: str, blob_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``laborcheck-server serve --workers 2`` on a free loopback port; returns the process and its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [sys.executable, "-m", "server.cli", "serve", "--database-url", url, "--blob-dir", str(blob_dir)]
    command += ["--port", str(port), "--workers", str(WORKERS)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/info", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError("the server did not start")


def _photo(n: int) -> bytes:
    import io
    import random

    rng = random.Random(n)
    image = Image.new("RGB", (640, 480))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(640 * 480 // 16)] * 16)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _make_audits(ws: Workspace, audits: int = AUDITS, photos: int = PHOTOS, code: str = "BENCH") -> None:
    with ws.db.session() as session:
        enterprise = create_enterprise(
            session, EnterpriseInput(uscc=make_uscc(f"91511703MA62{code}"), name=f"达州基准测试{code}有限公司")
        )
        coordinator_id = session.scalars(select(Coordinator.id)).one()
    photos_left = photos
    for n in range(audits):
        with ws.db.session() as session:
            audit = start_audit(
                session,
                enterprise_id=enterprise.id,
                coordinator_id=coordinator_id,
                visit_date=dt.date(2026, 11, 10),
                modules=["CONTRACT"],
            )
            answer_item(session, audit.id, "CONTRACT-03", AnswerStatus.NON_COMPLIANT, note="缺少工作地点条款")
            if photos_left and n % max(1, audits // photos) == 0:
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
        data["name_initials"] = name_initials(str(data["name"]))  # as the server's registry import computes it
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


def _client(directory: str, base: str, user: str, start: Any, queue: Any) -> None:
    """A laptop in a process of its own (four clients): sign in, wait for the common start, sync, report."""
    keyring.set_keyring(FileKeyring())  # the parent's keyring file (LABORCHECK_TEST_KEYRING is inherited)
    ws = open_bench_workspace(Path(directory))
    sign_in(ws, user, PASSWORD)
    start.wait()
    began = time.perf_counter()
    summary = sync(ws, username=user, batch_size=500)
    queue.put((summary.sent, began, time.perf_counter(), summary.errors))
    ws.close()


def _four_clients(work: Path, base: str, url: str) -> tuple[float, int]:
    """Records per second of four laptops pushing at once, each a quarter of the workload in its own process."""
    laptops = []
    for index in range(CLIENTS):
        ws = laptop(work, f"client-{index}", base)
        _make_audits(ws, max(1, AUDITS // CLIENTS), max(1, PHOTOS // CLIENTS), f"CLNT{index}")
        laptops.append(str(ws.paths.root))
        ws.close()
    return _at_once(url, _client, [(directory, base, f"c{index}") for index, directory in enumerate(laptops)])


def _at_once(url: str, target: Any, arguments: list[tuple[Any, ...]]) -> tuple[float, int]:
    """Records per second of processes that start together: one per argument tuple, each called as
    ``target(*arguments, start, queue)`` and reporting ``(sent, began, finished, errors)``; from the common start
    to the last finish. The machine settles first; the children import and get ready before the clock."""
    _settle(url)
    context = multiprocessing.get_context("spawn")
    start, queue = context.Event(), context.Queue()
    processes = [context.Process(target=target, args=(*given, start, queue)) for given in arguments]
    for process in processes:
        process.start()
    time.sleep(3.0)  # every child ready and waiting (a bench, not a test: a fixed settle time is fine here)
    start.set()
    reports = [queue.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    sent = sum(report[0] for report in reports)
    errors = [error for report in reports for error in report[3]]
    assert not errors, errors
    wall = max(report[2] for report in reports) - min(report[1] for report in reports)
    return sent / wall, sent


Prepared = list[tuple[list[str], dict[str, bytes], bytes]]


def _requests(ws: Workspace, device: str) -> Prepared:
    """What a laptop sends, batch by batch: the hashes it asks about (all of them, before the first batch), the
    photos it uploads with each batch (its own, and later batches' to fill the last ``POST /blobs`` up, as
    ``app.sync.service`` packs them), the push body."""
    prepared: list[tuple[list[str], bytes]] = []
    after = 0
    while True:
        with ws.db.session() as session:
            rows = read_pending(session, after, 500)
        if not rows:
            break
        batch = prepare_batch(device, rows)
        prepared.append((batch.hashes, batch.body))
        after = batch.last_seq
    waiting = {sha: ws.blobs.get(sha) for hashes, _ in prepared for sha in hashes}
    batches: Prepared = []
    for index, (hashes, body) in enumerate(prepared):
        photos = {sha: waiting.pop(sha) for sha in hashes if sha in waiting}
        last = pack_blobs(list(photos.items()))[-1] if photos else []
        size, count = sum(len(data) for _, data in last), len(last)
        for sha in list(waiting) if photos else []:
            if not fits_in_pack(size, count, len(waiting[sha])):
                break
            size, count = size + len(waiting[sha]), count + 1
            photos[sha] = waiting.pop(sha)
        batches.append(([sha for hashes, _ in prepared for sha in hashes] if index == 0 else [], photos, body))
    return batches


def _replay(base: str, token: str, batches: Prepared, start: Any, queue: Any) -> None:
    """One laptop's prepared requests in a process of its own, in the laptop's order and overlap: a batch's photos
    go up packed as the laptop packs them (``POST /blobs``, ``UPLOAD_THREADS`` requests at a time) while the batch
    before it is pushed, each batch after the previous answer."""
    sent = 0

    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:

        def post(group: list[tuple[str, bytes]]) -> None:
            body = blob_batch_body(group)
            answer = client.post("/blobs", content=body, headers={"Content-Type": "application/octet-stream"})
            assert answer.status_code == 200, answer.text

        def upload(index: int) -> None:
            hashes, photos, _ = batches[index]
            if hashes:
                assert client.post("/blobs/missing", json={"hashes": hashes}).status_code == 200
            list(uploads.map(post, pack_blobs(list(photos.items()))))

        with ThreadPoolExecutor(1) as ahead, ThreadPoolExecutor(UPLOAD_THREADS) as uploads:
            start.wait()
            began = time.perf_counter()
            upcoming = ahead.submit(upload, 0)
            for index, (_, _, body) in enumerate(batches):
                upcoming.result()
                if index + 1 < len(batches):
                    upcoming = ahead.submit(upload, index + 1)
                answer = client.post("/sync/push", content=body, headers={"Content-Type": "application/json"})
                results = answer.json()["results"]
                assert all(result["status"] == "applied" for result in results), results[:3]
                sent += len(results)
    queue.put((sent, began, time.perf_counter(), []))


def _four_replayed(work: Path, base: str, url: str) -> tuple[float, int]:
    """Records per second the server ingests from four laptops' requests, prepared beforehand and each sent by a
    process of its own."""
    prepared = []
    for index in range(CLIENTS):
        ws = laptop(work, f"replay-{index}", base)
        _make_audits(ws, max(1, AUDITS // CLIENTS), max(1, PHOTOS // CLIENTS), f"RPLY{index}")
        sign_in(ws, f"r{index}", PASSWORD)
        with ws.db.session() as session:
            device = device_id(session)
        token = load_token(base, f"r{index}")
        assert token is not None
        prepared.append((token, _requests(ws, device)))
        ws.close()
    return _at_once(url, _replay, [(base, *laptop) for laptop in prepared])


def run() -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="laborcheck-bench-sync-"))
    previous = keyring.get_keyring()
    os.environ[KEYRING_ENV] = str(work / "keyring.json")  # spawned children inherit it
    keyring.set_keyring(FileKeyring())
    pg_dir = tempfile.mkdtemp(prefix="laborcheck-bench-pg-")
    figures: dict[str, float] = {}
    server = None
    try:
        url = _postgres(pg_dir)
        db = open_server_database(url)
        with db.session() as session:
            district = admin.add_district(session, "达川区")
            admin.add_user(session, username="li", password=PASSWORD, role=Role.COORDINATOR, district="达川区")
            for index in range(CLIENTS):  # each in a district of its own: a city server with many districts
                for user, name in ((f"c{index}", f"区县{index}"), (f"r{index}", f"回放区县{index}")):
                    admin.add_district(session, name)
                    admin.add_user(session, username=user, password=PASSWORD, role=Role.COORDINATOR, district=name)
            district_id = district.id
        server, base = _serve(url, work / "server-blobs")
        ws = laptop(work, "laptop-a", base)
        started = time.perf_counter()
        _make_audits(ws)
        figures["make_audits_s"] = time.perf_counter() - started
        with ws.db.session() as session:
            entries = next_batch(session, 0, 10_000_000)
            mutations = [to_mutation(entry).model_dump(mode="json") for entry in entries]
            device = device_id(session)
        figures["mutations"] = len(mutations)
        sign_in(ws, "li", PASSWORD)  # a laptop that synced before holds its token: signing in is not the push
        _settle(url)
        started = time.perf_counter()
        summary = sync(ws, username="li", batch_size=500)
        figures["push_s"] = time.perf_counter() - started
        figures["push_records_per_s"] = summary.sent / figures["push_s"]
        figures["photo_mb"] = summary.bytes_uploaded / 1e6

        figures["push4_records_per_s"], sent4 = _four_clients(work, base, url)
        figures["push4_mutations"] = sent4
        figures["replay4_records_per_s"], figures["replay4_mutations"] = _four_replayed(work, base, url)

        token = load_token(base, "li")
        assert token is not None
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
        child = subprocess.run(
            [sys.executable, "-m", "bench.sync_laptop", str(work / "laptop-b"), base, "li"],
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        pulled = json.loads(child.stdout.splitlines()[-1])
        figures["pulled_rows"], figures["pull_s"] = pulled["rows"], pulled["seconds"]
        figures["pull_rss_mb"], figures["pull_rss_before_mb"] = pulled["peak_mb"], pulled["before_mb"]
        figures["pull_rows_per_s"] = figures["pulled_rows"] / figures["pull_s"]
        # Peak Python memory in a second pull: tracemalloc slows Python down severalfold, so it is not the timing.
        traced = laptop(work, "laptop-c", base)
        sign_in(traced, "li", PASSWORD)
        tracemalloc.start()
        sync(traced, username="li", initials=name_initials)
        figures["pull_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        with traced.db.session() as session:
            assert session.scalar(select(OutboxEntry.seq)) is None
        ws.close()
        traced.close()
        db.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        keyring.set_keyring(previous)
        os.environ.pop(KEYRING_ENV, None)
        if not os.environ.get("LABORCHECK_BENCH_PG_URL"):
            subprocess.run([str(ROOT / "scripts" / "pg-test-server.sh"), "stop", pg_dir], check=False)
        shutil.rmtree(pg_dir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return figures


def main() -> None:
    figures = run()
    print(
        f"push, 1 client: {figures['mutations']:.0f} mutations of {AUDITS} finished audits + {PHOTOS} photos "
        f"({figures['photo_mb']:.1f} MB) in {figures['push_s']:.2f} s = {figures['push_records_per_s']:.0f} records/s"
    )
    print(
        f"push, {CLIENTS} clients at once (server with {WORKERS} workers): {figures['push4_mutations']:.0f} mutations"
        f" = {figures['push4_records_per_s']:.0f} records/s"
    )
    print(
        f"push, {CLIENTS} processes at once sending {CLIENTS} laptops' requests prepared beforehand (the server's"
        f" ingest rate): {figures['replay4_mutations']:.0f} mutations = {figures['replay4_records_per_s']:.0f}"
        " records/s"
    )
    print(f"retry of the applied push: {figures['retry_s']:.2f} s = {figures['retry_records_per_s']:.0f} records/s")
    print(
        f"floor (executemany, one transaction): {figures['floor_s']:.2f} s = "
        f"{figures['floor_records_per_s']:.0f} records/s"
    )
    print(
        f"pull: {figures['pulled_rows']:.0f} rows in {figures['pull_s']:.2f} s = "
        f"{figures['pull_rows_per_s']:.0f} rows/s; peak resident memory of the pulling process "
        f"{figures['pull_rss_mb']:.0f} MB ({figures['pull_rss_before_mb']:.0f} MB before the pull, so "
        f"+{figures['pull_rss_mb'] - figures['pull_rss_before_mb']:.0f} MB), "
        f"peak Python memory {figures['pull_peak_mb']:.1f} MB"
    )


if __name__ == "__main__":
    main()
