"""Time of ``laborcheck demo`` on an empty data directory (open, migrate, install templates, seed)."""

from __future__ import annotations

import datetime as dt
import tempfile
import time

from app.services.demo_district import seed_demo
from bench import open_bench_workspace


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        ws = open_bench_workspace(tmp)
        opened = time.perf_counter()
        with ws.db.session() as session:
            summary = seed_demo(session, ws.blobs, today=dt.date(2026, 11, 25))
        finished = time.perf_counter()
        ws.close()
    return {
        "open_s": opened - started,
        "demo_s": finished - started,
        "enterprises": summary.enterprises,
        "audits": summary.audits,
        "findings": summary.findings,
    }


def main() -> None:
    figures = run()
    print(
        f"demo: {figures['demo_s']:.2f} s in all (open + migrate + templates {figures['open_s']:.2f} s); "
        f"{figures['enterprises']:.0f} enterprises, {figures['audits']:.0f} audits, {figures['findings']:.0f} findings"
    )


if __name__ == "__main__":
    main()
