"""Make the small .xls and .ods sheets under tests/fixtures/wage/ (run once; the files are committed).

Enterprises send payroll and attendance from old Excel (.xls, BIFF8) and from WPS or LibreOffice (.ods), which
openpyxl cannot write: the sheets are built here as xlsx and converted by LibreOffice, which is needed only to
run this script, never by the application or its tests (``apt-get install libreoffice-calc-nogui``):

    python scripts/make_wage_fixtures.py tests/fixtures/wage

工资表 (September 2026, a title, a two-row header under merged group cells, a 合计 row): 张三 is paid below the
minimum for a full month; 王五 is paid below it for a month of ten days (not compared); 李四 is paid lawfully.
考勤表 (the monthly grid: a row per worker, a column per day, a weekday row under the day numbers): 张三 is
present (√) on every working day; 李四 works every day of the week of 7 to 13 September (8+3 on workdays, 8+4
on the 10th) and rests otherwise on weekends; 王五 comes on ten days and is on leave (休, 事, 病) on others.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.audit.rectification import default_calendar

MONTH = dt.date(2026, 9, 1)
WORKERS = (("张三", "A000"), ("李四", "A001"), ("王五", "A002"))


def _payroll(sheet: Worksheet) -> None:
    sheet.append(["达州恒达机械制造有限公司2026年9月工资发放表"])
    sheet.merge_cells("A1:I1")
    sheet.append(["序号", "姓名", "工号", "应发项目", None, "应发工资", "代扣项目", None, "实发工资"])
    sheet.append([None, None, None, "基本工资", "加班费", None, "社保", "其他扣款", None])
    sheet.merge_cells("D2:E2")
    sheet.merge_cells("G2:H2")
    for cell in ("A2:A3", "B2:B3", "C2:C3", "F2:F3", "I2:I3"):
        sheet.merge_cells(cell)
    rows = [(2000, 0, 250), (3200, 300, 250), (1200, 0, 250)]
    for number, ((name, staff), (base, overtime, social)) in enumerate(zip(WORKERS, rows, strict=True), start=1):
        gross = base + overtime
        sheet.append([number, name, staff, base, overtime, gross, social, 0, gross - social])
    sheet.append(["合计", None, None, 6400, 300, 6700, 750, 0, 5950])


def _attendance(sheet: Worksheet) -> None:
    calendar = default_calendar()
    days = [MONTH + dt.timedelta(days=n) for n in range(30)]
    sheet.append(["2026年9月考勤表"])
    sheet.merge_cells("A1:AG1")
    sheet.append(["序号", "姓名", "工号", *[day.day for day in days]])
    sheet.append([None, None, None, *["一二三四五六日"[day.weekday()] for day in days]])
    marks: dict[str, list[str | float | None]] = {name: [] for name, _staff in WORKERS}
    for day in days:
        workday = calendar.is_workday(day)
        marks["张三"].append("√" if workday else "休")
        if dt.date(2026, 9, 7) <= day <= dt.date(2026, 9, 13):
            marks["李四"].append("8+4" if day.day == 10 else "8+3")
        else:
            marks["李四"].append(8.0 if workday else None)
        if day.day <= 10:
            marks["王五"].append("08:00-17:30" if workday else "休")
        else:
            marks["王五"].append("事" if day.day % 2 else "病")
    for number, (name, staff) in enumerate(WORKERS, start=1):
        sheet.append([number, name, staff, *marks[name]])


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for stem, build in (("工资表2026年9月", _payroll), ("考勤表2026年9月", _attendance)):
            book = Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.title = "2026年9月"
            build(sheet)
            source = Path(folder) / f"{stem}.xlsx"
            book.save(source)
            for kind in ("xls", "ods"):
                subprocess.run(
                    ["soffice", "--headless", "--convert-to", kind, "--outdir", str(target), str(source)],
                    check=True,
                    capture_output=True,
                    timeout=120,
                )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("tests/fixtures/wage"))
