"""The office console at district size on PostgreSQL: 100k enterprises, 200k rectification items.

1. The records are written straight into the server's ``record`` table (as pushes would leave them: enterprises,
   40k finished audits by 20 coordinators, a finding and an item each, departmental indicators), then the
   console's read model catches up once (timed: the first start after an upgrade).
2. The dashboard over HTTP (a real ``laborcheck-server serve`` process, a signed-in session): p50/p95.
3. The ledger page for every filter and every sort, both directions: p95 of each combination; the worst one.
4. The xlsx export of the whole ledger: time, and the server process's peak resident memory (VmHWM) before and
   after.

PostgreSQL: ``LABORCHECK_BENCH_PG_URL`` if set, else a throw-away cluster from ``scripts/pg-test-server.sh``.
``LABORCHECK_BENCH_SCALE`` (default 1.0) scales the counts down for a quick look. Working on one part:
``LABORCHECK_BENCH_REUSE=1`` takes the database at ``LABORCHECK_BENCH_PG_URL`` as an earlier run left it (seeded,
caught up: no drop, seed or catch-up, minutes saved), and ``LABORCHECK_BENCH_ONLY=xlsx`` (or ``dashboard``,
``ledger``; comma-separated) times only those parts.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from bench import memory_mb
from core.clock import china_today
from server.console import projection
from server.db import open_server_database

ROOT = Path(__file__).resolve().parents[1]
SCALE = float(os.environ.get("LABORCHECK_BENCH_SCALE", "1.0"))
ENTERPRISES = max(1000, int(100_000 * SCALE))
ITEMS = max(2000, int(200_000 * SCALE))
AUDITS = max(400, ITEMS // 5)
COORDINATORS = 20
INDICATORS = max(100, ENTERPRISES // 20)
PASSWORD = "bench-password-1"  # noqa: S105 (a throw-away account)
REPEAT = 7
REUSE = os.environ.get("LABORCHECK_BENCH_REUSE") == "1" and bool(os.environ.get("LABORCHECK_BENCH_PG_URL"))
ONLY = {part for part in os.environ.get("LABORCHECK_BENCH_ONLY", "dashboard,ledger,xlsx").split(",") if part}
MODULES = ("CONTRACT", "WAGE", "HOURS", "SOCIAL", "SAFETY", "LAYOFF", "DISPATCH", "RULES")


def _postgres(directory: str) -> str:
    given = os.environ.get("LABORCHECK_BENCH_PG_URL")
    if given:
        return given
    started = subprocess.run(
        [str(ROOT / "scripts" / "pg-test-server.sh"), "start", directory], capture_output=True, text=True, check=True
    )
    return started.stdout.strip().splitlines()[-1]


SEED = """
INSERT INTO district (id, name, created_at) VALUES (1, '达川区', now());
INSERT INTO app_user (id, username, display_name, password_hash, role, district_id, disabled, created_at)
VALUES (1, 'office', '王主任', :hash, 'office', 1, false, now());
INSERT INTO app_user (id, username, display_name, password_hash, role, district_id, disabled, created_at)
SELECT 1 + g, 'coord' || g, '协调员' || g, :hash, 'coordinator', 1, false, now()
FROM generate_series(1, :coordinators) AS g;
INSERT INTO record (entity, entity_id, natural_key, parent_id, district_id, owner_id, version, data, meta, writer,
                    seq, deleted, updated_at)
SELECT 'enterprise', 'e' || g, 'U' || lpad(g::text, 17, '0'), NULL, 1, NULL, 1,
       json_build_object('id', 'e' || g, 'name', '达州企业' || g || '有限公司', 'uscc', 'U' || lpad(g::text, 17, '0'),
                         'industry', (ARRAY['制造业','建筑业','批发和零售业','交通运输业'])[1 + g % 4],
                         'address', '达川区' || g || '号', 'contact_name', '联系人', 'contact_phone', '0818-0000000',
                         'headcount', 20 + g % 300),
       '{}'::json, 'bench', g, false, now()
FROM generate_series(1, :enterprises) AS g;
INSERT INTO record (entity, entity_id, natural_key, parent_id, district_id, owner_id, version, data, meta, writer,
                    seq, deleted, updated_at)
SELECT 'audit', 'a' || g, NULL, 'e' || (1 + (g * 37) % :enterprises), 1, 2 + g % :coordinators, 1,
       json_build_object('id', 'a' || g, 'enterprise_id', 'e' || (1 + (g * 37) % :enterprises),
                         'campaign_id', CASE WHEN g % 2 = 0 THEN 'c1' ELSE NULL END, 'status', 'finished',
                         'visit_date', (current_date - (g % 180))::text, 'co_coordinators', '',
                         'enterprise_facts',
                         json_build_object('name', '达州企业' || (1 + (g * 37) % :enterprises) || '有限公司'),
                         'inputs', json_build_object('headcount', 50)),
       '{}'::json, 'bench', :enterprises + g, false, now()
FROM generate_series(1, :audits) AS g;
INSERT INTO record (entity, entity_id, natural_key, parent_id, district_id, owner_id, version, data, meta, writer,
                    seq, deleted, updated_at)
SELECT 'finding', 'f' || g, NULL, 'a' || (1 + g % :audits), 1, 2 + (1 + g % :audits) % :coordinators, 1,
       json_build_object('id', 'f' || g, 'audit_id', 'a' || (1 + g % :audits),
                         'module',
                         (ARRAY['CONTRACT','WAGE','HOURS','SOCIAL','SAFETY','LAYOFF','DISPATCH','RULES'])[1 + g % 8],
                         'item_id', 'CONTRACT-0' || (1 + g % 9), 'severity', (ARRAY['高','中','低'])[1 + g % 3],
                         'description', '问题描述' || g, 'basis', json_build_array('《劳动合同法》第十条')),
       '{}'::json, 'bench', :enterprises + :audits + g, false, now()
FROM generate_series(1, :items) AS g;
INSERT INTO record (entity, entity_id, natural_key, parent_id, district_id, owner_id, version, data, meta, writer,
                    seq, deleted, updated_at)
SELECT 'rectification_item', 'i' || g, NULL, 'a' || (1 + g % :audits), 1, 2 + (1 + g % :audits) % :coordinators, 1,
       json_build_object('id', 'i' || g, 'finding_id', 'f' || g, 'audit_id', 'a' || (1 + g % :audits),
                         'enterprise_id', 'e' || (1 + ((1 + g % :audits) * 37) % :enterprises),
                         'requirement', '整改要求' || g, 'deadline', (current_date - (g % 180) + 30)::text,
                         'deadline_estimated', false, 'responsible_person', '负责人', 'responsible_phone', '',
                         'status', (ARRAY['open','submitted','verified','verified'])[1 + g % 4],
                         'verified_on', CASE WHEN g % 4 >= 2 THEN (current_date - (g % 90))::text ELSE NULL END,
                         'verified_by', '', 'created_at', (now() - ((g % 180) || ' days')::interval)::text),
       '{}'::json, 'bench', :enterprises + :audits + :items + g, false, now()
FROM generate_series(1, :items) AS g;
INSERT INTO record (entity, entity_id, natural_key, parent_id, district_id, owner_id, version, data, meta, writer,
                    seq, deleted, updated_at)
SELECT 'risk_indicator', 'r' || g, NULL, 'e' || (1 + (g * 13) % :enterprises), 1, NULL, 1,
       json_build_object('id', 'r' || g, 'enterprise_id', 'e' || (1 + (g * 13) % :enterprises),
                         'kind', (ARRAY['tax_arrears','wage_complaint','loan_default','credit_grade'])[1 + g % 4],
                         'value', 'C', 'source', '区大数据局'),
       '{}'::json, 'bench', :enterprises + :audits + 2 * :items + g, false, now()
FROM generate_series(1, :indicators) AS g;
INSERT INTO record (entity, entity_id, natural_key, parent_id, district_id, owner_id, version, data, meta, writer,
                    seq, deleted, updated_at)
VALUES ('campaign', 'c1', NULL, NULL, 1, NULL, 1, '{"id": "c1", "name": "2026年专项行动", "starts_on": "2026-01-01"}',
        '{}', 'bench', :enterprises + :audits + 2 * :items + :indicators + 1, false, now());
UPDATE feed_state SET last_seq = :enterprises + :audits + 2 * :items + :indicators + 1;
ANALYZE;
"""


def _seed(url: str) -> None:
    engine = create_engine(url)
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    values = {
        "hash": cheap,
        "coordinators": COORDINATORS,
        "enterprises": ENTERPRISES,
        "audits": AUDITS,
        "items": ITEMS,
        "indicators": INDICATORS,
    }
    # psycopg sends a small Python int as smallint, and `g * 37` of a scaled-down run overflows it: cast each count
    seed = SEED
    for name in ("coordinators", "enterprises", "audits", "items", "indicators"):
        seed = seed.replace(f":{name}", f"CAST(:{name} AS integer)")
    with engine.begin() as connection:
        for statement in seed.split(";\n"):
            if statement.strip():
                connection.execute(text(statement), values)
    engine.dispose()


def _serve(url: str, directory: Path) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--database-url",
            url,
            "--blob-dir",
            str(directory / "blobs"),
            "--port",
            str(port),
        ],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/info", timeout=1)
            return process, port
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def _sign_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=300)
    form = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    answer = client.post(
        "/console/login", data={"username": "office", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303, answer.text[:200]
    return client


def _timed(client: httpx.Client, path: str, repeat: int = REPEAT) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = client.get(path)
        times.append(time.perf_counter() - start)
        assert answer.status_code == 200, (path, answer.status_code)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _prepare(url: str, figures: dict[str, Any]) -> None:
    """A fresh schema, the district seeded, the read model caught up (timed), statistics gathered."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    db = open_server_database(url)
    start = time.perf_counter()
    _seed(url)
    figures["seed_s"] = time.perf_counter() - start
    start = time.perf_counter()
    projection.catch_up(db, china_today())
    figures["catch_up_s"] = time.perf_counter() - start
    with db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    db.close()


def run() -> dict[str, Any]:
    directory = Path(tempfile.mkdtemp(prefix="laborcheck-bench-console-"))
    pg_dir = tempfile.mkdtemp(prefix="laborcheck-bench-pg-")
    figures: dict[str, Any] = {}
    process = None
    try:
        url = _postgres(pg_dir)
        if not REUSE:
            _prepare(url, figures)
        process, port = _serve(url, directory)
        client = _sign_in(f"http://127.0.0.1:{port}")
        if "dashboard" in ONLY:
            _dashboard(client, figures)
        if "ledger" in ONLY:
            _ledger(client, figures)
        if "xlsx" in ONLY:
            _export(client, process.pid, figures)
        client.close()
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        if not os.environ.get("LABORCHECK_BENCH_PG_URL"):
            subprocess.run(
                [str(ROOT / "scripts" / "pg-test-server.sh"), "stop", pg_dir], capture_output=True, check=False
            )
        shutil.rmtree(pg_dir, ignore_errors=True)  # the stopped cluster: 1.6 GB at full scale
        shutil.rmtree(directory, ignore_errors=True)
    return figures


def _dashboard(client: httpx.Client, figures: dict[str, Any]) -> None:
    _timed(client, "/console/d/1/dashboard", 2)
    dashboard = _timed(client, "/console/d/1/dashboard", 15)
    figures["dashboard_p50"] = statistics.median(dashboard)
    figures["dashboard_p95"] = _p95(dashboard)


def _ledger(client: httpx.Client, figures: dict[str, Any]) -> None:
    filters = {
        "none": {},
        "campaign": {"campaign": "c1"},
        "coordinator": {"coordinator": "5"},
        "module": {"module": "WAGE"},
        "severity": {"severity": "高"},
        "open": {"state": "open"},
        "submitted": {"state": "submitted"},
        "verified": {"state": "verified"},
        "overdue": {"state": "overdue"},
        "due_soon": {"state": "due_soon"},
        "enterprise": {"enterprise": "e38"},
        "name": {"name": "企业12"},
    }
    sorts = ("deadline", "visit_date", "enterprise", "coordinator", "severity", "status", "module")
    worst: tuple[float, str] = (0.0, "")
    all_p95 = []
    for name, query in filters.items():
        for sort in sorts:
            for direction in ("", "desc"):
                params = {**query, "sort": sort, "dir": direction}
                times = [_timed_params(client, "/console/d/1/ledger", params) for _ in range(REPEAT)]
                p95 = _p95(times)
                all_p95.append(p95)
                worst = max(worst, (p95, f"{name} / {sort} {direction or 'asc'}"))
    figures["ledger_combinations"] = len(all_p95)
    figures["ledger_worst_p95"], figures["ledger_worst"] = worst
    figures["ledger_median_p95"] = statistics.median(all_p95)
    deep = [_timed_params(client, "/console/d/1/ledger", {"page": "2000"}) for _ in range(REPEAT)]
    figures["ledger_deep_p95"] = _p95(deep)


def _export(client: httpx.Client, pid: int, figures: dict[str, Any]) -> None:
    before = memory_mb("VmHWM", pid)
    start = time.perf_counter()
    with client.stream("GET", "/console/d/1/ledger.xlsx") as answer:
        size = sum(len(chunk) for chunk in answer.iter_bytes())
    figures["xlsx_s"] = time.perf_counter() - start
    figures["xlsx_mb"] = size / 1e6
    figures["rss_before_mb"] = before
    figures["rss_peak_mb"] = memory_mb("VmHWM", pid)


def _timed_params(client: httpx.Client, path: str, params: dict[str, str]) -> float:
    start = time.perf_counter()
    answer = client.get(path, params=params)
    elapsed = time.perf_counter() - start
    assert answer.status_code == 200, (path, params, answer.status_code)
    return elapsed


def main() -> None:
    figures = run()
    if "seed_s" in figures:
        print(
            f"district: {ENTERPRISES} enterprises, {AUDITS} audits, {ITEMS} rectification items, {INDICATORS} "
            f"indicators (seeded in {figures['seed_s']:.1f} s); read model caught up in {figures['catch_up_s']:.1f} s"
        )
    if "dashboard_p50" in figures:
        print(f"dashboard: p50 {figures['dashboard_p50'] * 1000:.0f} ms, p95 {figures['dashboard_p95'] * 1000:.0f} ms")
    if "ledger_combinations" in figures:
        print(
            f"ledger page: {figures['ledger_combinations']} filter × sort combinations, median p95 "
            f"{figures['ledger_median_p95'] * 1000:.0f} ms, worst p95 {figures['ledger_worst_p95'] * 1000:.0f} ms "
            f"({figures['ledger_worst']}); page 2000 p95 {figures['ledger_deep_p95'] * 1000:.0f} ms"
        )
    if "xlsx_s" in figures:
        print(
            f"xlsx export: {ITEMS} items, {figures['xlsx_mb']:.1f} MB in {figures['xlsx_s']:.1f} s; server peak RSS "
            f"{figures['rss_before_mb']:.0f} MB before, {figures['rss_peak_mb']:.0f} MB after"
        )


if __name__ == "__main__":
    main()
