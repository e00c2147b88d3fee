"""Ledger export at district scale: 10,000, 100,000 and 300,000 rectification items, as xlsx and as csv.

Run ``python -m bench.bench_ledger`` (or ``make bench``). The data is built in an encrypted data directory
(SQLCipher, as on a laptop) with bulk INSERTs (an ORM-enabled ``insert`` does not go through a flush, so the
outbox stays out of the timing) and is realistic in shape: each audit has ten findings with their titles and
statements (经查，你单位……。), two citations, and items spread over every state. The export runs as
``laborcheck ledger -o FILE`` in a child process, timed end to end — start-up, unlocking, query, streaming,
formatting and the file — and its peak resident memory is read from the child's resource usage. Figures are
printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert

import app.models  # noqa: F401 - registers every table before the database opens
from app.audit.uscc import make_uscc
from app.db import Database
from app.models import Audit, AuditStatus, Coordinator, Enterprise, Finding, ItemStatus, RectificationItem
from app.models.base import new_id, utcnow
from bench import bench_environment, open_bench_workspace

SIZES = (10_000, 100_000, 300_000)
ITEMS_PER_AUDIT = 10
TODAY = dt.date(2026, 11, 25)
STATUSES = (ItemStatus.OPEN, ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.VERIFIED)


def _chunks(rows: list[dict[str, Any]], size: int = 2_000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build(database: Database, *, audits: int, items_per_audit: int = ITEMS_PER_AUDIT) -> int:
    """Insert ``audits`` audits (one enterprise each) with ``items_per_audit`` findings and items; item count."""
    now = utcnow()
    coordinator_id = new_id()
    enterprises: list[dict[str, Any]] = []
    audit_rows: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for number in range(audits):
        enterprise_id, audit_id = new_id(), new_id()
        name = f"达州市第{number:04d}号恒达机械制造有限公司"
        enterprises.append(
            {
                "id": enterprise_id,
                "uscc": make_uscc(f"91511703MA6C{number:05d}"),
                "name": name,
                "name_initials": "",
                "industry": "制造业",
                "address": f"四川省达州市达川区南外街道工业园区{number}号",
                "district": "达川区" if number % 3 else "通川区",
                "contact_name": "李四",
                "contact_phone": "13800000001",
                "headcount_last_year_end": 100 + number % 50,
                "headcount": 110 + number % 60,
                "is_key": False,
                "risk_grade": "中",
                "risk_reasons": "",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        visit = dt.date(2026, 9, 1) + dt.timedelta(days=number % 80)
        audit_rows.append(
            {
                "id": audit_id,
                "enterprise_id": enterprise_id,
                "campaign_id": None,
                "coordinator_id": coordinator_id,
                "co_coordinators": "王五",
                "status": AuditStatus.FINISHED,
                "visit_date": visit,
                "inputs": {"headcount": 120, "headcount_last_year_end": 110},
                "enterprise_facts": {"name": name, "contact_name": "李四", "contact_phone": "13800000001"},
                "finished_at": now,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        for position in range(items_per_audit):
            finding_id = new_id()
            status = STATUSES[(number + position) % len(STATUSES)]
            findings.append(
                {
                    "id": finding_id,
                    "audit_id": audit_id,
                    "module": "CONTRACT",
                    "item_id": f"CONTRACT-{position + 1:02d}",
                    "severity": "高",
                    "title": "书面劳动合同订立",
                    "description": f"经查，你单位有{position + 2}名劳动者自用工之日起超过一个月仍未订立书面劳动合同。",
                    "description_en": "The inspection found workers without a written labour contract.",
                    "basis": ["《劳动合同法》第十条", "《劳动合同法》第八十二条"],
                    "figures": [],
                    "source": "answer",
                    "position": position,
                    "removed_reason": None,
                    "removed_at": None,
                    "created_at": now,
                }
            )
            items.append(
                {
                    "id": new_id(),
                    "finding_id": finding_id,
                    "audit_id": audit_id,
                    "enterprise_id": enterprise_id,
                    "requirement": "自用工之日起一个月内与劳动者订立书面劳动合同，并依法支付二倍工资差额",
                    "deadline": visit + dt.timedelta(days=30),
                    "deadline_days": 30,
                    "deadline_working_days": False,
                    "deadline_estimated": False,
                    "responsible_person": "赵六",
                    "responsible_phone": "13900000002",
                    "status": status,
                    "submitted_at": now if status is ItemStatus.SUBMITTED else None,
                    "submitted_note": "",
                    "verified_on": TODAY if status is ItemStatus.VERIFIED else None,
                    "verified_by": "张三" if status is ItemStatus.VERIFIED else "",
                    "verification_note": "",
                    "follow_up_id": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    with database.session() as session:
        session.execute(
            insert(Coordinator),
            [{"id": coordinator_id, "name": "张三", "device_code": "A3", "created_at": now}],
        )
        for model, rows in ((Enterprise, enterprises), (Audit, audit_rows), (Finding, findings)):
            for chunk in _chunks(rows):
                session.execute(insert(model), chunk)
        for chunk in _chunks(items):
            session.execute(insert(RectificationItem), chunk)
    return len(items)


LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
_pid, status, usage = os.wait4(pid, 0)
print(json.dumps({"status": os.waitstatus_to_exitcode(status), "seconds": time.perf_counter() - started,
                  "peak_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime}))
"""
"""Runs the export as its grandchild: forked from this small launcher, not from the benchmark (whose memory,
big after building the data, a forked child would count as its own peak until it execs)."""


def _export_through_the_cli(data_dir: Path, output: Path) -> dict[str, float]:
    """``laborcheck ledger -o OUTPUT``: wall seconds, CPU seconds and peak resident memory (MB) of that process."""
    command = ["-m", "app", "ledger", "-o", str(output), "--data-dir", str(data_dir)]
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command],
        env={**os.environ, **bench_environment()},
        capture_output=True,
        text=True,
        check=True,
    )
    *lines, last = done.stdout.strip().splitlines()
    figures = json.loads(last)
    if figures["status"] != 0:
        raise RuntimeError(f"ledger export failed: {done.stderr.strip()}")
    exported = next(line for line in lines if line.startswith("已导出工作台账"))
    figures["rows"] = int(exported.split("（")[-1].split(" ")[0])
    return {name: float(value) for name, value in figures.items()}


def run(sizes: tuple[int, ...] = SIZES, *, items_per_audit: int = ITEMS_PER_AUDIT) -> list[dict[str, float]]:
    """For each size: build an encrypted data directory, export it as xlsx and csv through the CLI."""
    results = []
    for items in sizes:
        with tempfile.TemporaryDirectory(prefix="laborcheck-bench-ledger-") as directory:
            root = Path(directory)
            ws = open_bench_workspace(root / "data")
            try:
                started = time.perf_counter()
                built = build(ws.db, audits=items // items_per_audit, items_per_audit=items_per_audit)
                build_seconds = time.perf_counter() - started
            finally:
                ws.close()
            figures: dict[str, float] = {"items": float(built), "build_s": build_seconds}
            for suffix in ("xlsx", "csv"):
                output = root / f"ledger.{suffix}"
                export = _export_through_the_cli(root / "data", output)
                assert export["rows"] == built
                figures[f"{suffix}_s"] = export["seconds"]
                figures[f"{suffix}_cpu_s"] = export["cpu_s"]
                figures[f"{suffix}_peak_mb"] = export["peak_mb"]
                figures[f"{suffix}_mb"] = output.stat().st_size / 1e6
            results.append(figures)
    return results


def main() -> None:
    print("`laborcheck ledger -o FILE` on an encrypted data directory: wall and CPU seconds, peak RSS of the process")
    header = ("items", "xlsx s", "xlsx cpu s", "xlsx peak MB", "csv s", "csv cpu s", "csv peak MB", "xlsx MB")
    print("{:>8} {:>7} {:>11} {:>13} {:>6} {:>10} {:>12} {:>8}".format(*header))
    for figures in run():
        print(
            f"{figures['items']:>8,.0f} {figures['xlsx_s']:>7.1f} {figures['xlsx_cpu_s']:>11.1f}"
            f" {figures['xlsx_peak_mb']:>13.0f} {figures['csv_s']:>6.1f} {figures['csv_cpu_s']:>10.1f}"
            f" {figures['csv_peak_mb']:>12.0f} {figures['xlsx_mb']:>8.1f}"
        )


if __name__ == "__main__":
    main()
