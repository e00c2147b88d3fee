"""Answer save latency (the moment "已保存" appears) next to a bare sqlite3 insert+commit in the same run.

Both use the same pragmas (WAL, synchronous=FULL) on the same disk, so the ratio shows the cost of the
service layer (validation, rule evaluation, outbox row) over the unavoidable fsync. Target: p99 ≤ 2× bare.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.profile import ProfileInput, save_profile
from app.audit.uscc import make_uscc
from app.audit.visits import answer_item, item_states, start_audit
from app.models import AnswerStatus
from bench import open_bench_workspace

ROUNDS = 600


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _bare(path: Path) -> list[float]:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE answer (id INTEGER PRIMARY KEY, item TEXT, status TEXT, note TEXT)")
    timings = []
    for n in range(ROUNDS):
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO answer (item, status, note) VALUES (?, ?, ?)", (f"I-{n}", "compliant", "n"))
        connection.execute("COMMIT")
        timings.append(time.perf_counter() - started)
    connection.close()
    return timings


def _service(root: Path) -> list[float]:
    ws = open_bench_workspace(root)
    with ws.db.session() as session:
        coordinator = save_profile(session, ProfileInput(name="李明", device_code="A3"))
        enterprise = create_enterprise(
            session, EnterpriseInput(uscc=make_uscc("91511703MA62XXXX0"), name="达州恒达机械有限公司")
        )
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=dt.date(2026, 11, 10),
            modules=["CONTRACT", "WAGE", "HOURS", "INSURANCE", "DEMOCRACY"],
        )
        items = [s.item.id for s in item_states(session, audit.id) if s.needs_answer]
    statuses = [AnswerStatus.COMPLIANT, AnswerStatus.NON_COMPLIANT, AnswerStatus.NOT_APPLICABLE]
    timings = []
    for n in range(ROUNDS):
        started = time.perf_counter()
        with ws.db.session() as session:
            answer_item(session, audit.id, items[n % len(items)], statuses[n % 3], note=f"记录 {n}")
        timings.append(time.perf_counter() - started)
    ws.close()
    return timings


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        bare = _bare(Path(tmp) / "bare.db")
        service = _service(Path(tmp) / "data")
    figures = {
        "bare_p50_ms": statistics.median(bare) * 1000,
        "bare_p99_ms": _percentile(bare, 0.99) * 1000,
        "answer_p50_ms": statistics.median(service) * 1000,
        "answer_p99_ms": _percentile(service, 0.99) * 1000,
    }
    figures["p99_ratio"] = figures["answer_p99_ms"] / figures["bare_p99_ms"]
    return figures


def main() -> None:
    figures = run()
    print(f"answer save ({ROUNDS} answers, WAL + synchronous=FULL)")
    print(f"  bare sqlite3 insert+commit  p50 {figures['bare_p50_ms']:.2f} ms   p99 {figures['bare_p99_ms']:.2f} ms")
    print(
        f"  answer_item + commit        p50 {figures['answer_p50_ms']:.2f} ms   p99 {figures['answer_p99_ms']:.2f} ms"
    )
    print(f"  p99 ratio {figures['p99_ratio']:.2f}× (target ≤ 2×)")


if __name__ == "__main__":
    main()
