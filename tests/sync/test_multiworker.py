"""SYNC.md properties 1/3 and 5 under real multi-process concurrency: ``laborcheck-server serve --workers 2`` on
PostgreSQL, two laptops pushing at once, a replayer re-sending a batch to whichever worker takes it, and the office
paging the change feed all the while."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.audit.enterprises import EnterpriseInput, create_enterprise, update_enterprise
from app.audit.uscc import make_uscc
from app.models import OutboxEntry
from app.services.workspace import Workspace
from app.sync import credentials
from app.sync.outbox import to_mutation
from app.sync.protocol import PushRequest
from app.sync.service import SyncSummary, device_id
from server.db import open_server_database
from server.models import AppliedMutation, Record
from tests.sync._helpers import do_sync, finished_audit, first_enterprise, server_state
from tests.sync.conftest import PASSWORD, _reset_postgres, free_port, make_laptop, seed

READY_SECONDS = 60.0
WORKERS = 2


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


@pytest.fixture
def multi_worker_server(pg_url: str, tmp_path: Path) -> Iterator[str]:
    """The real ``serve`` command with two uvicorn workers on a loopback port, seeded; yields its URL."""
    _reset_postgres(pg_url)
    db = open_server_database(pg_url)
    seed(db, tmp_path / "registry.csv")
    db.close()
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "server.cli", "serve", "--database-url", pg_url]
    command += ["--blob-dir", str(tmp_path / "blobs"), "--port", str(port), "--workers", str(WORKERS)]
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {(tmp_path / 'server.log').read_text(errors='replace')}")
            try:
                if httpx.get(f"{url}/info", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server with two workers did not answer /info in time")
            time.sleep(0.1)
        yield url
        assert process.poll() is None, "the server died during the test"
        assert len(_children(process.pid)) >= WORKERS
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _new_enterprises(ws: Workspace, prefix: str, count: int) -> list[str]:
    made = []
    with ws.db.session() as session:
        for n in range(count):
            enterprise = create_enterprise(
                session,
                EnterpriseInput(
                    uscc=make_uscc(f"91511703MA6{prefix}XX{n:03d}"), name=f"并发测试{prefix}企业{n}有限公司"
                ),
            )
            made.append(enterprise.id)
    return made


def _outbox(ws: Workspace) -> list[OutboxEntry]:
    with ws.db.session() as session:
        entries = list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))
        session.expunge_all()
    return entries


def test_two_laptops_pushing_to_two_workers_apply_each_mutation_once_and_the_feed_skips_nothing(
    multi_worker_server: str, tmp_path: Path, pg_url: str
) -> None:
    url = multi_worker_server
    a = make_laptop(tmp_path, "李明", url)
    b = make_laptop(tmp_path, "陈静", url, device_code="B1")
    try:
        do_sync(a, "li")
        do_sync(b, "chen")
        made = _new_enterprises(a, "A", 4) + _new_enterprises(b, "B", 4)
        shared = first_enterprise(a)
        for index, ws in enumerate((a, b)):
            with ws.db.session() as session:
                update_enterprise(session, shared, headcount=120 + index)
            for n in range(3):
                finished_audit(ws, first_enterprise(ws), photos=1, seed=index * 10 + n)
        sent = {"li": _outbox(a), "chen": _outbox(b)}
        with a.db.session() as session:
            device_a = device_id(session)
        replay = PushRequest(device_id=device_a, mutations=[to_mutation(e) for e in sent["li"][:4]])  # enterprises

        summaries: dict[str, SyncSummary] = {}
        failures: list[BaseException] = []
        replay_statuses: list[str] = []
        seen_versions: dict[str, int] = {}
        pages: list[list[int]] = []
        writers_done = threading.Event()

        def push(ws: Workspace, user: str) -> None:
            try:
                summaries[user] = do_sync(ws, user, batch_size=3)
            except BaseException as error:  # reported below
                failures.append(error)

        def replayer() -> None:
            token = credentials.load_token(url, "li")
            with httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
                for _ in range(6):
                    answer = client.post("/sync/push", json=replay.model_dump(mode="json"))
                    if answer.status_code == 200:
                        replay_statuses.extend(row["status"] for row in answer.json()["results"])
                    else:
                        failures.append(AssertionError(f"replay answered {answer.status_code}: {answer.text}"))

        def reader() -> None:
            with httpx.Client(base_url=url, timeout=30) as client:
                signed = client.post(
                    "/auth/sign-in", json={"username": "office", "password": PASSWORD, "device_id": "office-pc"}
                )
                client.headers["Authorization"] = f"Bearer {signed.json()['token']}"
                since, quiet = 0, 0
                while quiet < 2:  # after the writers finished, two empty pages in a row: caught up
                    finished = writers_done.is_set()
                    page = client.get("/changes", params={"since": since, "limit": 3}).json()
                    rows = page["rows"]
                    pages.append([row["seq"] for row in rows])
                    for row in rows:
                        assert row["seq"] > since
                        if row["entity"] == "enterprise":
                            seen_versions[row["entity_id"]] = row["version"]
                    since = page["next_since"]
                    quiet = quiet + 1 if finished and not rows else 0

        threads = [
            threading.Thread(target=push, args=(a, "li")),
            threading.Thread(target=push, args=(b, "chen")),
            threading.Thread(target=replayer),
        ]
        read = threading.Thread(target=reader)
        read.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        writers_done.set()
        read.join(timeout=120)
        assert not read.is_alive()
        assert failures == []
        assert summaries["li"].errors == summaries["chen"].errors == []
        assert _outbox(a) == _outbox(b) == []
        assert set(replay_statuses) <= {"applied", "duplicate"}

        db = open_server_database(pg_url)
        try:
            with db.session() as session:
                applied_a = set(
                    session.scalars(select(AppliedMutation.mutation_id).where(AppliedMutation.device_id == device_a))
                )
                all_applied = list(session.scalars(select(AppliedMutation.mutation_id)))
                enterprises = {
                    r.entity_id: r.version
                    for r in session.scalars(
                        select(Record).where(Record.entity == "enterprise", Record.deleted.is_(False))
                    )
                }
            expected = {e.mutation_id for e in sent["li"]} | {e.mutation_id for e in sent["chen"]}
            assert applied_a == {e.mutation_id for e in sent["li"]}
            assert sorted(all_applied) == sorted(expected)  # every mutation once, none lost, none extra

            assert set(made) <= set(seen_versions)  # property 5: the feed skipped none of them
            in_district = {k: v for k, v in enterprises.items() if k in seen_versions or k in made}
            assert {k: seen_versions[k] for k in in_district} == in_district  # and ended on each latest version

            before = server_state(db)
            for user, ws in (("li", a), ("chen", b)):  # replaying everything now changes nothing
                token = credentials.load_token(url, user)
                with ws.db.session() as session:
                    device = device_id(session)
                body = PushRequest(device_id=device, mutations=[to_mutation(e) for e in sent[user]])
                answer = httpx.post(
                    f"{url}/sync/push",
                    json=body.model_dump(mode="json"),
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=60,
                )
                assert answer.status_code == 200, answer.text
                assert {row["status"] for row in answer.json()["results"]} == {"duplicate"}
            assert server_state(db) == before
        finally:
            db.close()
    finally:
        a.close()
        b.close()
