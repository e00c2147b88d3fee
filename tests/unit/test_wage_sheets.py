"""Enterprises' payroll and attendance sheets, in every messy shape, checked to the fen (hypothesis-built)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app.wage_evidence import loading
from app.wage_evidence.columns import ATTENDANCE, PAYROLL, Field, detect_layout
from app.wage_evidence.evidence import Evidence, check
from app.wage_evidence.loading import Loaded, load, mask_id
from app.wage_evidence.sheets import SheetError, open_sheets
from core.wage_rules import CheckSettings, Rule
from tests.unit._wage_sheets import (
    AS_OF,
    PAY_DAY,
    TABLE,
    Month,
    Worker,
    attendance_csv,
    expected,
    gbk_csv,
    id_number,
    monthly_workbook,
    single_sheet_workbook,
)

SHAPES = {"monthly_xlsx": monthly_workbook, "single_xlsx": single_sheet_workbook, "gbk_csv": gbk_csv}
MONTHS = [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 9, 1)]


def _settings() -> CheckSettings:
    return CheckSettings(as_of=AS_OF, minimum_table=TABLE, grade="第一档", pay_day=PAY_DAY, pay_month_offset=1)


def _evidence(name: str, data: bytes, attendance: bytes | None = None) -> Evidence:
    payroll = [(detect_layout(sheet, PAYROLL), None, None) for sheet in open_sheets(name, data)]
    assert all(layout is not None for layout, _, _ in payroll)
    layouts = []
    if attendance is not None:
        layouts = [(detect_layout(sheet, ATTENDANCE), None) for sheet in open_sheets("考勤.csv", attendance)]
    loaded = load(payroll, layouts)  # type: ignore[arg-type]
    assert loaded.ok, loaded.report_lines()
    return check(loaded, _settings())


cents = st.integers(min_value=0, max_value=400_00).map(lambda n: Decimal(n) / 100)


@st.composite
def payrolls(draw: st.DrawFn) -> list[Month]:
    count = draw(st.integers(min_value=1, max_value=6))
    workers = [Worker(f"职工{chr(0x7532 + n)}", id_number(n), f"A{n:03d}") for n in range(count)]
    months = []
    for worker in workers:
        for month in draw(st.lists(st.sampled_from(MONTHS), min_size=1, max_size=3, unique=True)):
            base = Decimal(draw(st.integers(min_value=1500_00, max_value=4000_00))) / 100
            deduction = draw(st.one_of(st.just(Decimal(0)), cents))
            overtime = draw(cents)
            night = draw(cents)
            social = Decimal(draw(st.integers(min_value=0, max_value=300_00))) / 100
            if base + overtime + night - social - deduction <= 0:
                deduction = Decimal(0)
            pay = draw(st.one_of(st.none(), st.integers(min_value=10, max_value=25)))
            pay_date = None if pay is None else dt.date(month.year, month.month + 1, pay)
            months.append(Month(worker, month, base, overtime, night, social, deduction, pay_date))
    return months


@pytest.mark.parametrize("shape", list(SHAPES))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(months=payrolls())
def test_every_violation_in_every_shape_is_found_with_its_figure(shape: str, months: list[Month]) -> None:
    evidence = _evidence(f"工资.{'csv' if shape == 'gbk_csv' else 'xlsx'}", SHAPES[shape](months))
    found: dict[str, dict[tuple[str, dt.date], Decimal]] = {}
    for violation in evidence.violations:
        worker = evidence.workers[violation.worker]
        found.setdefault(violation.rule.value, {})[(worker.name, violation.month)] = violation.shortfall
    assert found == expected(months)
    assert len(evidence.workers) == len({m.worker for m in months})


def test_the_monthly_workbook_header_spans_two_rows_under_merged_cells() -> None:
    worker = Worker("张三", id_number(1), "A001")
    data = monthly_workbook(
        [Month(worker, MONTHS[0], Decimal(2000), Decimal(300), Decimal(100), Decimal(200), Decimal(0), None)]
    )
    (sheet,) = open_sheets("工资.xlsx", data)
    layout = detect_layout(sheet, PAYROLL)
    assert layout is not None
    assert layout.header == (3, 4)
    assert layout.labels[3:6] == ["应发项目/基本工资", "应发项目/加班费", "应发项目/夜班津贴"]
    assert layout.fields[3] is Field.BASE
    assert layout.fields[4] is Field.OVERTIME_PAY
    assert layout.fields[5] is Field.ALLOWANCE
    assert layout.fields[7] is Field.SOCIAL_INSURANCE
    assert layout.fields[8] is Field.DEDUCTION
    assert layout.month == MONTHS[0]


def test_bad_input_is_reported_row_by_row_and_nothing_is_loaded() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "2026年9月"
    sheet.append(["姓名", "身份证号", "应发工资", "实发工资", "发放日期"])
    sheet.append(["张三", id_number(1), "三千", 2800, "2026-10-15"])
    sheet.append(["李四", id_number(2), 3000, 2800, "2026-02-30"])
    sheet.append(["王五", id_number(3), 3000, 2800, "2026-10-15"])
    sheet.append(["王五", id_number(3), 3100, 2900, "2026-10-15"])
    sheet.append([None, None, 3000, 2800, None])
    out = io.BytesIO()
    book.save(out)
    (payroll,) = open_sheets("工资.xlsx", out.getvalue())
    attendance = open_sheets(
        "考勤.csv", attendance_csv([(Worker("赵六", "", "Z9"), dt.date(2026, 9, 1), "08:00", "17:00")])
    )
    loaded = load([(detect_layout(payroll, PAYROLL), None, None)], [(detect_layout(attendance[0], ATTENDANCE), None)])  # type: ignore[list-item]
    assert not loaded.ok
    assert loaded.payroll == [] or not loaded.ok
    lines = loaded.report_lines()
    assert "工资.xlsx「2026年9月」第2行“应发工资”：“三千”不是数字金额" in lines
    assert "工资.xlsx「2026年9月」第3行“发放日期”：日期“2026-02-30”不存在" in lines
    assert "工资.xlsx「2026年9月」第5行：同一劳动者在2026年9月出现两次（另见工资.xlsx「2026年9月」第4行）" in lines
    assert "工资.xlsx「2026年9月」第6行：有金额但没有姓名、工号或身份证号" in lines
    assert "考勤.csv第2行：考勤表中的劳动者“赵六”不在工资表中" in lines


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_one_line() -> None:
    with pytest.raises(SheetError, match=r"照片\.jpg：不是表格文件"):
        open_sheets("照片.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    with pytest.raises(SheetError, match=r"坏\.xlsx：无法打开"):
        open_sheets("坏.xlsx", b"PK\x03\x04broken")


def test_attendance_punches_find_long_days_missing_rest_and_work_off_the_payroll() -> None:
    worker = Worker("张三", id_number(1), "A001")
    other = Worker("李四", id_number(2), "A002")
    payroll = [Month(w, dt.date(2026, 9, 1), Decimal(3000), Decimal(0), Decimal(0), Decimal(0), Decimal(0), dt.date(2026, 10, 15))
               for w in (worker, other)]  # fmt: skip
    rows: list[tuple[Worker, dt.date, str, str]] = []
    for offset in range(28):  # 7 September to 4 October: every day, 08:00 to 21:30 on Mondays
        day = dt.date(2026, 9, 7) + dt.timedelta(days=offset)
        rows.append((worker, day, "08:00", "21:30" if day.weekday() == 0 else "17:00"))
    rows.append((other, dt.date(2026, 10, 8), "08:00", "17:00"))
    evidence = _evidence("工资.xlsx", single_sheet_workbook(payroll), attendance_csv(rows, "gbk"))
    by_rule: dict[Rule, list[tuple[str, dt.date, Decimal]]] = {}
    for v in evidence.violations:
        by_rule.setdefault(v.rule, []).append((evidence.workers[v.worker].name, v.month, v.figure))
    # 13.5 h span − 1 h break = 12.5 h: 4.5 h beyond eight.
    assert by_rule[Rule.DAILY_OVERTIME] == [("张三", dt.date(2026, 9, 1), Decimal("4.50"))]
    # Four weeks without a rest day; the one from 28 September holds 1 October, its Thursday: October's.
    assert by_rule[Rule.NO_REST_DAY] == [
        ("张三", dt.date(2026, 9, 1), Decimal(3)),
        ("张三", dt.date(2026, 10, 1), Decimal(1)),
    ]
    assert (Rule.NOT_ON_PAYROLL) not in by_rule  # October is beyond the payroll's months
    september = [v for v in evidence.violations if v.rule is Rule.MONTHLY_OVERTIME]
    # September: four Mondays × 4.5 h + three full weeks × 16 h beyond forty = 66 h; October's four days: 16 h.
    assert [(evidence.workers[v.worker].name, v.month, v.figure) for v in september] == [
        ("张三", dt.date(2026, 9, 1), Decimal("66.00"))
    ]


def test_evidence_round_trips_and_never_holds_a_full_id_number() -> None:
    worker = Worker("张三", id_number(1), "A001")
    months = [Month(worker, MONTHS[0], Decimal(2000), Decimal(0), Decimal(0), Decimal(0), Decimal(0), None)]
    evidence = _evidence("工资.xlsx", monthly_workbook(months))
    data = evidence.to_bytes()
    again = Evidence.from_bytes(data)
    assert again.violations == evidence.violations
    assert again.workers[0].id_masked == mask_id(worker.id_number) == "511***********" + worker.id_number[-4:]
    import gzip

    assert worker.id_number.encode() not in gzip.decompress(data)


def _attendance_load(text: str, chunk: int | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> Loaded:
    payroll = "姓名,工号,工资所属月份,应发工资\n张三,A001,2026-09,3000\n李四,A002,2026-09,3000\n".encode()
    (pay,) = open_sheets("工资.csv", payroll)
    (punches,) = open_sheets("考勤.csv", text.encode("utf-8"))
    if chunk is not None and monkeypatch is not None:
        monkeypatch.setattr(loading, "CHUNK_ROWS", chunk)
    return load([(detect_layout(pay, PAYROLL), None, None)], [(detect_layout(punches, ATTENDANCE), None)])  # type: ignore[list-item]


def test_a_bad_cell_of_a_punch_export_is_reported_with_its_row_and_the_reader_s_words() -> None:
    text = (
        "工号,姓名,考勤日期,上班打卡,下班打卡\n"
        "A001,张三,2026-09-01,08:00,17:00\n"
        "A001,张三,2026-09-31,08:00,17:00\n"
        "A002,李四,2026-09-01,25:10,17:00\n"
        "A002,李四,,08:00,17:00\n"
        "A002,李四,2026-09-02,08:00,下班\n"
    )
    loaded = _attendance_load(text)
    assert loaded.report_lines() == [
        "考勤.csv第3行：日期“2026-09-31”不存在",
        "考勤.csv第4行：时间“25:10”不存在",
        "考勤.csv第5行“考勤日期”：没有日期",
        "考勤.csv第6行：“下班”不是时间",
    ]
    assert loaded.attendance == []  # nothing half-loaded


def test_one_punch_per_row_takes_the_day_from_the_date_column_else_from_the_stamp() -> None:
    text = (
        "工号,姓名,日期,打卡时间\n"
        "A001,张三,2026-09-01,07:58\n"
        "A001,张三,2026-09-01,20:31\n"
        "A002,李四,,2026-09-02 08:02\n"
        "A002,李四,,2026-09-02 17:59\n"
    )
    loaded = _attendance_load(text)
    assert loaded.ok, loaded.report_lines()
    by_worker = {loaded.workers[m.worker].name: m for m in loaded.attendance}
    # 张三: 07:58 to 20:31 less the hour's break is 11 h 33 min, 3 h 33 min beyond eight.
    assert (by_worker["张三"].days_worked, by_worker["张三"].max_daily_overtime_minutes) == (1, 213)
    # 李四: the day from the stamp itself, 08:02 to 17:59: 57 minutes beyond eight.
    assert (by_worker["李四"].days_worked, by_worker["李四"].max_daily_overtime_minutes) == (1, 57)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
def test_records_read_in_chunks_of_any_size_give_the_same_months(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ["工号,姓名,考勤日期,上班打卡,下班打卡"]
    for offset in range(20):
        day = dt.date(2026, 9, 1) + dt.timedelta(days=offset)
        rows.append(
            f"A00{offset % 2 + 1},{'张三' if offset % 2 == 0 else '李四'},{day},08:00,{19 if offset % 3 else 17}:30"
        )
    rows.insert(5, "合计,,,,")
    rows.insert(9, ",,,,")
    text = "\n".join(rows) + "\n"
    whole = _attendance_load(text)
    assert whole.ok, whole.report_lines()
    assert _attendance_load(text, chunk, monkeypatch).attendance == whole.attendance
