"""Ledger export at district scale: 10,000 rectification items over 1,000 audits, written as xlsx and as csv.

Run ``python -m bench.bench_ledger`` (or ``make bench``). The data is built in a temporary directory with bulk
INSERTs (an ORM-enabled ``insert`` does not go through a flush, so the outbox stays out of the timing) and is
realistic in shape: each audit has ten findings with Chinese texts, two citations, and items spread over every
state. The export is timed end to end — query, streaming, formatting and the file — exactly as the GUI and the
CLI call it. Figures are printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert

import app.models  # noqa: F401 - registers every table before the database opens
from app.audit.uscc import make_uscc
from app.db import Database, open_database
from app.models import Audit, AuditStatus, Coordinator, Enterprise, Finding, ItemStatus, RectificationItem
from app.models.base import new_id, utcnow
from app.reports.ledger import ledger_rows, write_ledger

AUDITS = 1_000
ITEMS_PER_AUDIT = 10
TODAY = dt.date(2026, 11, 25)
STATUSES = (ItemStatus.OPEN, ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.VERIFIED)


def _chunks(rows: list[dict[str, Any]], size: int = 2_000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build(database: Database, *, audits: int = AUDITS, items_per_audit: int = ITEMS_PER_AUDIT) -> int:
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
                    "description": (
                        f"经查阅职工花名册和劳动合同，有{position + 2}名劳动者自用工之日起超过一个月未订立书面劳动合同"
                    ),
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


def _timed_export(database: Database, path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    with database.session() as session:
        count = write_ledger(ledger_rows(session, today=TODAY), path)
    return time.perf_counter() - started, count


def run(*, audits: int = AUDITS, items_per_audit: int = ITEMS_PER_AUDIT) -> dict[str, float]:
    """Build the data in a temporary directory, export it both ways, and return the figures (seconds, bytes)."""
    with tempfile.TemporaryDirectory(prefix="laborcheck-bench-ledger-") as directory:
        root = Path(directory)
        database = open_database(root / "bench.db")
        try:
            started = time.perf_counter()
            items = build(database, audits=audits, items_per_audit=items_per_audit)
            build_seconds = time.perf_counter() - started
            xlsx_seconds, xlsx_rows = _timed_export(database, root / "ledger.xlsx")
            csv_seconds, csv_rows = _timed_export(database, root / "ledger.csv")
            figures = {
                "items": float(items),
                "build_s": build_seconds,
                "xlsx_s": xlsx_seconds,
                "xlsx_rows_per_s": xlsx_rows / xlsx_seconds,
                "xlsx_bytes": float((root / "ledger.xlsx").stat().st_size),
                "csv_s": csv_seconds,
                "csv_rows_per_s": csv_rows / csv_seconds,
                "csv_bytes": float((root / "ledger.csv").stat().st_size),
            }
        finally:
            database.close()
    return figures


def main() -> None:
    for name, value in run().items():
        print(f"{name:>16}: {value:,.3f}" if not name.endswith(("bytes", "items")) else f"{name:>16}: {value:,.0f}")


if __name__ == "__main__":
    main()
