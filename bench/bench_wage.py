"""Wage evidence at enterprise scale: 5,000 workers × 12 months of payroll and a year of their daily punches.

The payroll is an xlsx with a sheet per month (title row, two-row merged header, 60,000 worker-months); the
attendance a clock-in export as GBK csv with one row per worker-day (5,000 × 365 = 1,825,000 rows, ~75 MB). The
measured path is what the coordinator's "核查" runs: open the files, find headers and fields, load every row,
check every worker-month — in a child process, so the peak resident memory printed is the load's own
(``ru_maxrss``). The CPU time and the machine's load average are printed beside the wall time: on a shared
machine the wall time is the CPU time stretched by the other processes. Nothing is asserted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKERS = 5_000
YEAR = 2026


def _payroll(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for month in range(1, 13):
        sheet = book.create_sheet(f"{month}月")
        sheet.append([f"达州恒达机械制造有限公司{YEAR}年{month}月工资发放表"])
        sheet.append(
            ["序号", "姓名", "工号", "应发项目", None, None, "应发工资", "代扣项目", None, "实发工资", "发放日期"]
        )
        sheet.append([None, None, None, "基本工资", "加班费", "夜班津贴", None, "社保", "其他扣款", None, None])
        pay = dt.date(YEAR + month // 12, month % 12 + 1, 15).isoformat()
        for n in range(WORKERS):
            base = 2000 + (n % 40) * 50
            overtime = (n % 7) * 30.0
            night = 100.0 if n % 5 == 0 else 0.0
            deduction = 900.0 if n % 97 == 0 else 0.0
            gross = base + overtime + night
            sheet.append(
                [n + 1, f"职工{n:05d}", f"E{n:05d}", float(base), overtime, night, gross, 250.0, deduction,
                 gross - 250 - deduction, pay if n % 211 else None]
            )  # fmt: skip
        sheet.append(["合计"])
    book.save(path)


def _attendance(path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["工号", "姓名", "考勤日期", "上班打卡", "下班打卡"])
    start = dt.date(YEAR, 1, 1)
    days = [(start + dt.timedelta(days=n)).isoformat() for n in range(365)]
    for n in range(WORKERS):
        number, name = f"E{n:05d}", f"职工{n:05d}"
        late = "21:30" if n % 13 == 0 else "18:00"
        for index, day in enumerate(days):
            if (index + n) % 7 == 6 and n % 29:
                continue  # a rest day (every 29th worker never rests)
            writer.writerow([number, name, day, "08:00", late if index % 5 == 0 else "17:00"])
    path.write_bytes(out.getvalue().encode("gb18030"))


def _measure(payroll: Path, attendance: Path) -> None:
    """In the child: the timed path, then the figures on stdout."""
    from app.wage_evidence.columns import ATTENDANCE, PAYROLL, detect_layout
    from app.wage_evidence.evidence import check
    from app.wage_evidence.loading import load
    from app.wage_evidence.sheets import open_sheets
    from core.minimum_wage import MinimumWageTable
    from core.wage_rules import CheckSettings

    table = MinimumWageTable.model_validate(
        {
            "region": "测试省",
            "rates": [{"grade": "一", "monthly": "2330", "effective_from": "2025-01-01", "document": "测"}],
        }
    )
    started = time.perf_counter()
    cpu = time.process_time()
    payroll_sheets = open_sheets(payroll.name, payroll.read_bytes())
    attendance_sheets = open_sheets(attendance.name, attendance.read_bytes())
    payroll_layouts = [(detect_layout(sheet, PAYROLL), None, None) for sheet in payroll_sheets]
    attendance_layouts = [(detect_layout(sheet, ATTENDANCE), None) for sheet in attendance_sheets]
    opened = time.perf_counter()
    loaded = load(payroll_layouts, attendance_layouts)  # type: ignore[arg-type]
    read = time.perf_counter()
    assert loaded.ok, loaded.report_lines()[:5]
    evidence = check(loaded, CheckSettings(as_of=dt.date(YEAR + 1, 2, 1), minimum_table=table, grade="一", pay_day=15))
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"payroll rows {loaded.payroll_rows:,}, attendance rows {loaded.attendance_rows:,}, "
        f"workers {len(loaded.workers):,}, violations {len(evidence.violations):,}"
    )
    print(f"open + headers {opened - started:.2f} s, load {read - opened:.2f} s, check {done - read:.2f} s")
    print(f"load + check total {done - started:.2f} s (CPU {cpu:.2f} s), peak resident memory {peak:.0f} MB")
    print("load average (1, 5, 15 min) " + ", ".join(f"{value:.2f}" for value in os.getloadavg()))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-wage-") as folder:
        payroll, attendance = Path(folder) / "工资表.xlsx", Path(folder) / "考勤.csv"
        started = time.perf_counter()
        _payroll(payroll)
        _attendance(attendance)
        print(
            f"built {payroll.stat().st_size / 1e6:.1f} MB xlsx + {attendance.stat().st_size / 1e6:.1f} MB csv "
            f"in {time.perf_counter() - started:.1f} s (not timed below)"
        )
        child = subprocess.run(
            [sys.executable, "-m", "bench.bench_wage", "--measure", str(payroll), str(attendance)],
            capture_output=True,
            text=True,
            check=False,
        )
        print(child.stdout.rstrip() or child.stderr.rstrip())


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        _measure(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
