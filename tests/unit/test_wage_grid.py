"""Real .xls and .ods files (made once by LibreOffice: scripts/make_wage_fixtures.py) and the monthly attendance
grid (a row per worker, a column per day) read as enterprises keep them, with every mark a grid uses."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from app.audit.rectification import default_calendar
from app.wage_evidence.cells import PRESENT, CellError, read_day_mark
from app.wage_evidence.columns import ATTENDANCE, PAYROLL, Field, day_of, detect_layout
from app.wage_evidence.evidence import Evidence, check
from app.wage_evidence.loading import load
from app.wage_evidence.sheets import open_sheets
from core.wage_rules import CheckSettings, GapReason
from tests.unit._wage_sheets import TABLE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wage"
SEP = dt.date(2026, 9, 1)


def _settings() -> CheckSettings:
    return CheckSettings(as_of=dt.date(2026, 12, 20), minimum_table=TABLE, grade="第一档", calendar=default_calendar())


def _evidence(payroll: str, attendance: str) -> Evidence:
    (pay_sheet,) = open_sheets(payroll, (FIXTURES / payroll).read_bytes())
    (grid_sheet,) = open_sheets(attendance, (FIXTURES / attendance).read_bytes())
    pay_layout = detect_layout(pay_sheet, PAYROLL)
    grid_layout = detect_layout(grid_sheet, ATTENDANCE)
    assert pay_layout is not None
    assert grid_layout is not None
    assert grid_layout.is_grid
    assert grid_layout.month == SEP  # from the title 2026年9月考勤表
    assert sorted(grid_layout.days.values()) == list(range(1, 31))
    assert {grid_layout.fields[column] for column in grid_layout.days} == {Field.DAY}
    loaded = load([(pay_layout, None, None)], [(grid_layout, None)])
    assert loaded.ok, loaded.report_lines()
    return check(loaded, _settings())


def _found(evidence: Evidence) -> set[tuple[str, str, Decimal]]:
    return {(v.rule.value, evidence.workers[v.worker].name, v.shortfall) for v in evidence.violations}


@pytest.mark.parametrize("extension", ["xls", "ods"])
def test_xls_and_ods_sheets_with_a_grid_attendance_are_read_and_checked(extension: str) -> None:
    evidence = _evidence(f"工资表2026年9月.{extension}", f"考勤表2026年9月.{extension}")
    assert [worker.name for worker in evidence.workers] == ["张三", "李四", "王五"]
    assert _found(evidence) == {
        ("minimum_wage", "张三", Decimal(330)),  # √ on all 22 working days, paid 2,000 < 2,330
        ("daily_overtime", "李四", Decimal(1)),  # 8+4 on 10 September: four hours of overtime that day
        ("no_rest_day", "李四", Decimal(1)),  # 7 to 13 September worked every day
    }
    # 王五 came on 8 of September's 22 working days: his 1,200 is not compared with the monthly minimum.
    (gap,) = evidence.unchecked
    assert (evidence.workers[gap.worker or 0].name, gap.reason, gap.figure, gap.limit) == (
        "王五",
        GapReason.PARTIAL_MONTH,
        Decimal(8),
        Decimal(22),
    )


def test_the_xls_and_the_ods_give_the_same_evidence() -> None:
    xls = _evidence("工资表2026年9月.xls", "考勤表2026年9月.xls")
    ods = _evidence("工资表2026年9月.ods", "考勤表2026年9月.ods")
    assert xls.to_bytes() == ods.to_bytes()


@pytest.mark.parametrize(
    ("cell", "mark"),
    [
        (None, None),
        ("", None),
        ("休", None),
        ("事假", None),
        ("○", None),
        ("×", None),
        (0, None),
        ("√", (-1, -1, PRESENT, -1)),
        ("出", (-1, -1, PRESENT, -1)),
        ("迟到", (-1, -1, PRESENT, -1)),
        ("夜班", (-1, -1, PRESENT, -1)),
        (8, (-1, -1, 480, -1)),
        ("10.5", (-1, -1, 630, -1)),
        ("8+3", (-1, -1, 660, 180)),
        ("08:00-17:30", (480, 1050, -1, -1)),
        ("8:02\n18:10", (482, 1090, -1, -1)),
        ("07:58", (478, 478, -1, -1)),
        (dt.time(8, 0), (480, 480, -1, -1)),
    ],
)
def test_every_mark_of_a_grid_day_reads_as_what_it_says(cell: object, mark: tuple[int, int, int, int] | None) -> None:
    assert read_day_mark(cell) == mark


@pytest.mark.parametrize("cell", ["迟早", "25", "加班", "8:00 12:00 13:00 18:00 19:00"])
def test_a_mark_that_means_nothing_known_is_an_error_naming_it(cell: str) -> None:
    with pytest.raises(CellError, match="“"):
        read_day_mark(cell)


def test_day_labels_and_whole_dates_name_a_day() -> None:
    assert day_of("1") == (1, None)
    assert day_of("星期二/01日") == (1, None)
    assert day_of("31号") == (31, None)
    assert day_of("2026-09-15 00:00:00") == (15, SEP)
    assert day_of("32") is None
    assert day_of("出勤天数") is None


def _grid_csv(rows: list[list[str]], days: int = 31) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", *[f"{day}日" for day in range(1, days + 1)], "出勤天数", "加班小时"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _payroll_csv(names: list[str]) -> bytes:
    lines = ["姓名,工资所属月份,应发工资"] + [f"{name},2026-09,3000" for name in names]
    return "\n".join(lines).encode("utf-8")


def test_a_grid_without_a_month_asks_for_it_and_a_day_the_month_lacks_is_reported() -> None:
    (payroll,) = open_sheets("工资.csv", _payroll_csv(["赵六"]))
    (grid,) = open_sheets("考勤.csv", _grid_csv([["赵六", *["√"] * 30, "休", "30", "0"]]))
    layout = detect_layout(grid, ATTENDANCE)
    assert layout is not None
    assert layout.is_grid
    assert layout.month is None
    assert Field.DAILY_OVERTIME not in layout.fields.values()  # 加班小时 of a grid is a month's total
    pay = detect_layout(payroll, PAYROLL)
    assert pay is not None
    missing_month = load([(pay, None, None)], [(layout, None)])
    assert missing_month.report_lines() == ["考勤.csv：无法确定考勤所属月份：请在列对应步骤中为该工作表指定月份"]
    loaded = load([(pay, None, None)], [(layout, SEP)])
    assert loaded.ok, loaded.report_lines()
    (month,) = loaded.attendance
    assert (month.month, month.days_worked) == (SEP, 30)
    (full,) = open_sheets("考勤.csv", _grid_csv([["赵六", *["√"] * 31, "", ""]]))
    worked_31st = load([(pay, None, None)], [(detect_layout(full, ATTENDANCE), SEP)])  # type: ignore[list-item]
    assert worked_31st.report_lines() == ["考勤.csv第2行“31日”：2026年9月没有31日，该格应为空"]


def test_a_grid_mark_nobody_knows_stops_the_load_with_the_row_and_the_day() -> None:
    (payroll,) = open_sheets("工资.csv", _payroll_csv(["赵六"]))
    (grid,) = open_sheets("考勤.csv", _grid_csv([["赵六", "√", "迟早", *[""] * 29, "", ""]]))
    layout, pay = detect_layout(grid, ATTENDANCE), detect_layout(payroll, PAYROLL)
    assert layout is not None
    assert pay is not None
    loaded = load([(pay, None, None)], [(layout, SEP)])
    assert not loaded.ok
    assert loaded.attendance == []
    (line,) = loaded.report_lines()
    assert line.startswith("考勤.csv第2行“2日”：“迟早”不是可识别的考勤记号")


def test_a_worker_on_two_rows_of_a_grid_is_one_day_from_the_first_to_the_last_punch() -> None:
    (payroll,) = open_sheets("工资.csv", _payroll_csv(["赵六"]))
    morning = ["赵六", "08:00", *[""] * 29, "", ""]
    evening = ["赵六", "20:30", *[""] * 29, "", ""]
    (grid,) = open_sheets("考勤.csv", _grid_csv([morning, evening]))
    layout, pay = detect_layout(grid, ATTENDANCE), detect_layout(payroll, PAYROLL)
    assert layout is not None
    assert pay is not None
    loaded = load([(pay, None, None)], [(layout, SEP)], break_minutes=60)
    assert loaded.ok, loaded.report_lines()
    (month,) = loaded.attendance
    # 08:00 to 20:30 less an hour's meal break is 11.5 hours: 3.5 hours of overtime that day.
    assert (month.days_worked, month.max_daily_overtime_minutes) == (1, 210)


def test_the_fixtures_follow_the_2026_schedule_they_were_made_with() -> None:
    """Their marks follow the State Council's 2026 schedule: 25 September (中秋) off, Sunday 20 September worked."""
    calendar = default_calendar()
    assert calendar.is_workday(dt.date(2026, 9, 20))
    assert not calendar.is_workday(dt.date(2026, 9, 25))
