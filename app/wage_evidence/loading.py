"""From mapped sheets to worker-month records, with a per-row report: every problem found, nothing half-loaded.

Every data row is read; a problem (a non-numeric amount, an impossible date, the same worker twice in a month, a
worker in the attendance but not in the payroll, a column that cannot be mapped) becomes a line of the report
naming the sheet, the row as the spreadsheet numbers it and the column. A load with any problem yields no records
at all, so a check never runs on part of the data.

Rows that are not data are skipped silently and counted: blank separator rows, total rows (合计/小计/总计),
repeated header rows (printed sheets repeat them), and note lines (制表人…) that carry no worker and no amount.

Workers are matched between payroll and attendance by ID number, else 工号, else name; full ID numbers are never
kept: a worker is known by a key derived from them (a hash) and shown with a masked number (:func:`mask_id`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import threading
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from app.wage_evidence.cells import (
    PRESENT,
    Cell,
    CellError,
    read_amount,
    read_date,
    read_day_mark,
    read_hours,
    read_minute,
    read_month,
    read_text,
    text_of,
)
from app.wage_evidence.columns import ATTENDANCE, PAYROLL, SUMMABLE, Field, SheetLayout, label_key
from core.errors import LaborCheckError
from core.wage_rules import AttendanceMonth, PayrollMonth, attendance_months, worked_minutes

__all__ = [
    "MAX_PROBLEMS",
    "LoadCancelled",
    "Loaded",
    "Problem",
    "Worker",
    "load",
    "mask_id",
]

MAX_PROBLEMS: Final = 2000
"""The report lists at most this many lines (and says how many more there were)."""
_TOTAL: Final = re.compile(r"^(合\s*计|小\s*计|总\s*计|累\s*计)")
_TOTAL_START: Final = frozenset("合小总累")
_NOTE: Final = re.compile(r"制表|审核|审批|签字|签名|负责人|说明|备注|注[:：]")
_PART_TIME: Final = re.compile(r"非全日制|小时工|钟点工")
Progress = Callable[[int, int], None]


class LoadCancelled(LaborCheckError):
    def __init__(self) -> None:
        super().__init__("已取消读取，未保存任何数据")


@dataclass(frozen=True)
class Problem:
    """One line of the per-row report."""

    where: str
    line: int | None
    column: str
    message: str

    @property
    def text(self) -> str:
        place = f"第{self.line}行" if self.line else ""
        column = f"“{self.column}”" if self.column else ""
        return f"{self.where}{place}{column}：{self.message}"


@dataclass
class Worker:
    """A worker as the evidence shows them: name, masked ID number, 工号, and the key they are matched by."""

    key: str
    name: str
    id_masked: str = ""
    employee_no: str = ""
    id_hash: str = ""

    @property
    def label(self) -> str:
        extra = self.id_masked or (f"工号{self.employee_no}" if self.employee_no else "")
        return f"{self.name}（{extra}）" if extra else self.name


def mask_id(number: str) -> str:
    """An ID number as every output shows it: the first three and last four characters, the rest ``*``."""
    clean = re.sub(r"\s+", "", unicodedata.normalize("NFKC", number)).upper()
    if len(clean) <= 7:
        return "*" * len(clean)
    return clean[:3] + "*" * (len(clean) - 7) + clean[-4:]


def _id_hash(number: str) -> str:
    clean = re.sub(r"\s+", "", unicodedata.normalize("NFKC", number)).upper()
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()[:20]


@dataclass
class Loaded:
    """What a load produced: the workers, their payroll months and attendance months, or the problems."""

    workers: list[Worker] = field(default_factory=list)
    payroll: list[PayrollMonth] = field(default_factory=list)
    attendance: list[AttendanceMonth] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    attendance_rows: int = 0
    payroll_rows: int = 0
    attendance_period: tuple[dt.date, dt.date] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    def report_lines(self) -> list[str]:
        lines = [problem.text for problem in self.problems]
        if self.more_problems:
            lines.append(f"……另有 {self.more_problems} 处问题未列出")
        return lines


class _Identities:
    """Workers by ID hash, 工号 and name, so attendance rows find their payroll worker."""

    def __init__(self) -> None:
        self.workers: list[Worker] = []
        self.by_key: dict[str, int] = {}
        self.by_id: dict[str, int] = {}
        self.by_no: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}

    def payroll_worker(self, name: str, id_number: str, employee_no: str) -> int:
        id_hash = _id_hash(id_number) if id_number else ""
        key = f"id:{id_hash}" if id_hash else (f"no:{employee_no}" if employee_no else f"name:{name}")
        index = self.by_key.get(key)
        if index is not None:
            return index
        index = len(self.workers)
        self.workers.append(Worker(key, name, mask_id(id_number) if id_number else "", employee_no, id_hash))
        self.by_key[key] = index
        if id_hash:
            self.by_id[id_hash] = index
        if employee_no:
            self.by_no.setdefault(employee_no, index)
        self.by_name.setdefault(name, []).append(index)
        return index

    def find(self, name: str, id_number: str, employee_no: str) -> int | str | None:
        """The payroll worker of an attendance row; None when absent, or a message when ambiguous."""
        if id_number:
            return self.by_id.get(_id_hash(id_number))
        if employee_no and self.by_no:
            return self.by_no.get(employee_no)
        candidates = self.by_name.get(name, [])
        if len(candidates) > 1:
            return f"工资表中有{len(candidates)}名“{name}”，无法对应：请在考勤表中对应“工号”或“身份证号”列"
        return candidates[0] if candidates else None


def _columns(layout: SheetLayout) -> dict[Field, list[int]]:
    found: dict[Field, list[int]] = {}
    for column, field_ in sorted(layout.fields.items()):
        found.setdefault(field_, []).append(column)
    return found


def _cell(row: Sequence[Cell], column: int) -> Cell:
    return row[column] if column < len(row) else None


def _blank(row: Sequence[Cell]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _total_row(row: Sequence[Cell]) -> bool:
    return any(isinstance(value, str) and _TOTAL.match(value.strip()) for value in row[:6])


def _repeated_header(row: Sequence[Cell], keys: set[str]) -> bool:
    texts = [label_key(text_of(value)) for value in row if isinstance(value, str) and value.strip()]
    return len(texts) >= 2 and sum(1 for text in texts if text in keys) * 2 >= len(texts)


def _sheet_problem(loaded: Loaded, layout: SheetLayout, message: str) -> None:
    loaded.add(Problem(layout.sheet.label, None, "", message))


_AMOUNT_FIELDS: Final = (
    Field.GROSS,
    Field.NET,
    Field.BASE,
    Field.OVERTIME_PAY,
    Field.DEDUCTION,
    Field.ALLOWANCE,
    Field.WELFARE,
    Field.SOCIAL_INSURANCE,
    Field.HOUSING_FUND,
    Field.INCOME_TAX,
)
_HOUR_FIELDS: Final = (
    Field.ATTENDANCE_DAYS,
    Field.OVERTIME_HOURS,
    Field.REST_DAY_HOURS,
    Field.HOLIDAY_HOURS,
    Field.HOURS_WORKED,
)


def _identity(row: Sequence[Cell], columns: Mapping[Field, list[int]]) -> tuple[str, str, str]:
    def first(wanted: Field) -> str:
        found = columns.get(wanted)
        return read_text(_cell(row, found[0])) if found else ""

    return first(Field.NAME), first(Field.ID_NUMBER), first(Field.EMPLOYEE_NO)


def _payroll_sheet(
    layout: SheetLayout,
    identities: _Identities,
    loaded: Loaded,
    seen: dict[tuple[int, dt.date], tuple[str, int]],
    month_override: dt.date | None,
    pay_date_override: dt.date | None,
    tick: Callable[[], None],
) -> None:
    columns = _columns(layout)
    where = layout.sheet.label
    if not any(f in columns for f in (Field.NAME, Field.ID_NUMBER, Field.EMPLOYEE_NO)):
        _sheet_problem(loaded, layout, "没有对应“姓名”“工号”或“身份证号”列，无法识别劳动者")
        return
    if Field.GROSS not in columns and Field.NET not in columns:
        _sheet_problem(loaded, layout, "没有对应“应发工资”或“实发工资”列")
        return
    sheet_month = month_override or layout.month
    if Field.MONTH not in columns and sheet_month is None:
        _sheet_problem(loaded, layout, "无法确定工资所属月份：请对应“月份”列，或在列对应步骤中为该工作表指定月份")
        return
    sheet_pay_date = pay_date_override or layout.pay_date
    pay_given = Field.PAY_DATE in columns or sheet_pay_date is not None
    header_keys = {label_key(label) for label in layout.labels if label}
    for line, row in layout.sheet.rows():
        tick()
        if line < layout.data_start:
            continue
        if _blank(row):
            loaded.skip("空行")
            continue
        if _total_row(row):
            loaded.skip("合计行")
            continue
        if _repeated_header(row, header_keys):
            loaded.skip("重复的表头行")
            continue
        name, id_number, employee_no = _identity(row, columns)
        values: dict[Field, Decimal | None] = {}
        errors: list[Problem] = []
        for wanted in _AMOUNT_FIELDS + _HOUR_FIELDS:
            total: Decimal | None = None
            for column in columns.get(wanted, ()):
                try:
                    value = (
                        read_amount(_cell(row, column)) if wanted in _AMOUNT_FIELDS else read_hours(_cell(row, column))
                    )
                except CellError as error:
                    errors.append(Problem(where, line, layout.labels[column], str(error)))
                    continue
                if value is not None:
                    total = value if total is None else total + value
                if wanted not in SUMMABLE:
                    break
            values[wanted] = total
        if not (name or id_number or employee_no):
            if errors or any(values.get(f) is not None for f in (Field.GROSS, Field.NET)):
                if any(_NOTE.search(text_of(value)) for value in row):
                    loaded.skip("说明行")
                    continue
                loaded.add(Problem(where, line, "", "有金额但没有姓名、工号或身份证号"))
            else:
                loaded.skip("说明行")
            continue
        month = sheet_month
        if Field.MONTH in columns:
            try:
                month = read_month(_cell(row, columns[Field.MONTH][0])) or sheet_month
            except CellError as error:
                errors.append(Problem(where, line, layout.labels[columns[Field.MONTH][0]], str(error)))
        pay_date = sheet_pay_date
        if Field.PAY_DATE in columns:
            try:
                pay_date = read_date(_cell(row, columns[Field.PAY_DATE][0]))
            except CellError as error:
                errors.append(Problem(where, line, layout.labels[columns[Field.PAY_DATE][0]], str(error)))
        if month is None:
            errors.append(Problem(where, line, "", "没有工资所属月份"))
        if values.get(Field.GROSS) is None and values.get(Field.NET) is None and not errors:
            errors.append(Problem(where, line, "", "应发工资和实发工资均为空"))
        if errors:
            for problem in errors:
                loaded.add(problem)
            continue
        assert month is not None
        worker = identities.payroll_worker(name or employee_no or id_number, id_number, employee_no)
        previous = seen.get((worker, month))
        if previous is not None:
            loaded.add(
                Problem(
                    where,
                    line,
                    "",
                    f"同一劳动者在{month.year}年{month.month}月出现两次（另见{previous[0]}第{previous[1]}行）",
                )
            )
            continue
        seen[(worker, month)] = (where, line)
        employment = ""
        if Field.EMPLOYMENT in columns:
            employment = read_text(_cell(row, columns[Field.EMPLOYMENT][0]))
        contributions = None
        if values.get(Field.SOCIAL_INSURANCE) is not None or values.get(Field.HOUSING_FUND) is not None:
            contributions = (values.get(Field.SOCIAL_INSURANCE) or Decimal(0)) + (
                values.get(Field.HOUSING_FUND) or Decimal(0)
            )
        loaded.payroll.append(
            PayrollMonth(
                worker=worker,
                month=month,
                gross=values.get(Field.GROSS),
                net=values.get(Field.NET),
                base=values.get(Field.BASE),
                overtime_pay=values.get(Field.OVERTIME_PAY),
                excluded_allowances=(values.get(Field.ALLOWANCE) or Decimal(0))
                + (values.get(Field.WELFARE) or Decimal(0)),
                personal_contributions=contributions,
                deduction=values.get(Field.DEDUCTION),
                workday_overtime_hours=values.get(Field.OVERTIME_HOURS),
                rest_day_overtime_hours=values.get(Field.REST_DAY_HOURS),
                holiday_overtime_hours=values.get(Field.HOLIDAY_HOURS),
                attendance_days=values.get(Field.ATTENDANCE_DAYS),
                part_time=bool(_PART_TIME.search(employment)),
                hours_worked=values.get(Field.HOURS_WORKED),
                pay_date=pay_date,
                pay_date_given=pay_given,
            )
        )
        loaded.payroll_rows += 1


@dataclass
class _Days:
    """One worker's attendance days, compact: parallel arrays (a year of 5,000 workers is 1.8 million days)."""

    ordinal: array[int] = field(default_factory=lambda: array("i"))
    first: array[int] = field(default_factory=lambda: array("i"))
    last: array[int] = field(default_factory=lambda: array("i"))
    work: array[int] = field(default_factory=lambda: array("i"))
    overtime: array[int] = field(default_factory=lambda: array("i"))


class _RowWorkers:
    """Which payroll worker an attendance row belongs to. Rows without a worker are counted as skipped (blank,
    total, note and repeated header rows); a worker missing from the payroll is reported once, at its first row."""

    def __init__(
        self, layout: SheetLayout, identities: _Identities, loaded: Loaded, missing: dict[str, tuple[str, int]]
    ) -> None:
        columns = _columns(layout)
        self.name_col = columns.get(Field.NAME, [None])[0]
        self.id_col = columns.get(Field.ID_NUMBER, [None])[0]
        self.no_col = columns.get(Field.EMPLOYEE_NO, [None])[0]
        self.where = layout.sheet.label
        self.identities, self.loaded, self.missing = identities, loaded, missing
        self.header_keys = {label_key(label) for label in layout.labels if label}
        self.resolved: dict[tuple[str, str, str], int | str | None] = {}

    def __call__(self, line: int, row: list[Cell]) -> int | None:
        width = len(row)
        name_col, id_col, no_col = self.name_col, self.id_col, self.no_col
        name = row[name_col] if name_col is not None and name_col < width else None
        name_text = name.strip() if type(name) is str else text_of(name)
        id_text = text_of(row[id_col]) if id_col is not None and id_col < width else ""
        no_text = text_of(row[no_col]) if no_col is not None and no_col < width else ""
        if not (name_text or id_text or no_text):
            if not _blank(row) and not _total_row(row):
                self.loaded.skip("说明行")
            else:
                self.loaded.skip("空行" if _blank(row) else "合计行")
            return None
        if (name_text[:1] in _TOTAL_START or no_text[:1] in _TOTAL_START) and _total_row(row):
            self.loaded.skip("合计行")
            return None
        identity = (name_text, id_text, no_text)
        worker = self.resolved.get(identity)
        if worker is None and identity not in self.resolved:
            normal = unicodedata.normalize("NFKC", name_text)
            worker = self.resolved[identity] = self.identities.find(normal, id_text, no_text)
        if isinstance(worker, int):
            return worker
        if _repeated_header(row, self.header_keys):
            self.loaded.skip("重复的表头行")
            return None
        shown = name_text or no_text or mask_id(id_text)
        if shown not in self.missing:
            self.missing[shown] = (self.where, line)
            message = worker if isinstance(worker, str) else f"考勤表中的劳动者“{shown}”不在工资表中"
            self.loaded.add(Problem(self.where, line, "", message))
        return None


@dataclass
class _Attendance:
    """Every worker's attendance days as read so far, and the days the sheets cover (a grid covers its month)."""

    days: dict[int, _Days] = field(default_factory=dict)
    missing: dict[str, tuple[str, int]] = field(default_factory=dict)
    covered: list[int] = field(default_factory=list)

    def record(self, worker: int) -> _Days:
        found = self.days.get(worker)
        if found is None:
            found = self.days[worker] = _Days()
        return found


def _identity_problem(loaded: Loaded, layout: SheetLayout) -> bool:
    columns = _columns(layout)
    if not any(f in columns for f in (Field.NAME, Field.ID_NUMBER, Field.EMPLOYEE_NO)):
        _sheet_problem(loaded, layout, "没有对应“姓名”“工号”或“身份证号”列，无法识别劳动者")
        return True
    return False


def _attendance_sheet(
    layout: SheetLayout,
    month: dt.date | None,
    identities: _Identities,
    loaded: Loaded,
    seen: _Attendance,
    tick: Callable[[], None],
) -> None:
    if _identity_problem(loaded, layout):
        return
    if layout.is_grid:
        _grid_sheet(layout, month or layout.month, _RowWorkers(layout, identities, loaded, seen.missing), loaded,
                    seen, tick)  # fmt: skip
    else:
        _record_sheet(layout, _RowWorkers(layout, identities, loaded, seen.missing), loaded, seen, tick)


def _grid_sheet(
    layout: SheetLayout,
    month: dt.date | None,
    worker_of: _RowWorkers,
    loaded: Loaded,
    seen: _Attendance,
    tick: Callable[[], None],
) -> None:
    """A month's grid: one row per worker (or two, for morning and afternoon), one column per day."""
    if month is None:
        _sheet_problem(loaded, layout, "无法确定考勤所属月份：请在列对应步骤中为该工作表指定月份")
        return
    where = layout.sheet.label
    columns: list[tuple[int, int]] = []
    for column, found in sorted(layout.fields.items()):
        if found is not Field.DAY:
            continue
        day = layout.days.get(column)
        if day is None:
            _sheet_problem(loaded, layout, f"“{layout.labels[column]}”列的列名不是日期数字，不能对应为当日考勤")
            return
        columns.append((column, day))
    length = calendar.monthrange(month.year, month.month)[1]
    first_ordinal = month.toordinal()
    seen.covered += [first_ordinal, first_ordinal + length - 1]
    for line, row in layout.sheet.rows():
        tick()
        if line < layout.data_start:
            continue
        worker = worker_of(line, row)
        if worker is None:
            continue
        record: _Days | None = None
        width = len(row)
        for column, day in columns:
            if column >= width:
                continue
            try:
                mark = read_day_mark(row[column])
            except CellError as error:
                loaded.add(Problem(where, line, layout.labels[column], str(error)))
                continue
            if mark is None:
                continue
            if day > length:
                message = f"{month.year}年{month.month}月没有{day}日，该格应为空"
                loaded.add(Problem(where, line, layout.labels[column], message))
                continue
            if record is None:
                record = seen.record(worker)
            first, last, work, overtime = mark
            record.ordinal.append(first_ordinal + day - 1)
            record.first.append(first)
            record.last.append(last)
            record.work.append(work)
            record.overtime.append(overtime)
            loaded.attendance_rows += 1


def _record_sheet(
    layout: SheetLayout, worker_of: _RowWorkers, loaded: Loaded, seen: _Attendance, tick: Callable[[], None]
) -> None:
    """A record per worker-day (or per punch): a date with punch times, hours worked or overtime."""
    columns = _columns(layout)
    where = layout.sheet.label
    punch_time = columns.get(Field.PUNCH_TIME, [None])[0]
    date_col = columns.get(Field.DATE, [None])[0]
    in_col = columns.get(Field.PUNCH_IN, [None])[0]
    out_col = columns.get(Field.PUNCH_OUT, [None])[0]
    hours_col = columns.get(Field.WORK_HOURS, [None])[0]
    ot_col = columns.get(Field.DAILY_OVERTIME, [None])[0]
    if date_col is None and punch_time is None:
        _sheet_problem(loaded, layout, "没有对应“日期”或“打卡时间”列，也没有按日排列的考勤列（1日至31日）")
        return
    if punch_time is None and in_col is None and out_col is None and hours_col is None and ot_col is None:
        _sheet_problem(loaded, layout, "没有对应打卡时间、工作时长或加班时长列")
        return
    labels = layout.labels
    start = layout.data_start
    ordinals: dict[dt.date, int] = {}

    def value(row: Sequence[Cell], column: int | None) -> Cell:
        if column is None or column >= len(row):
            return None
        return row[column]

    for line, row in layout.sheet.rows():
        tick()
        if line < start:
            continue
        worker = worker_of(line, row)
        if worker is None:
            continue
        width = len(row)
        try:
            stamp = row[punch_time] if punch_time is not None and punch_time < width else None
            if stamp is not None and stamp != "":
                day = read_date(value(row, date_col)) if date_col is not None else None
                if day is None:
                    day = read_date(stamp)
                minute = read_minute(stamp)
                first = last = -1 if minute is None else minute
            else:
                day = read_date(row[date_col] if date_col is not None and date_col < width else None)
                first_minute = read_minute(row[in_col]) if in_col is not None and in_col < width else None
                last_minute = read_minute(row[out_col]) if out_col is not None and out_col < width else None
                first = -1 if first_minute is None else first_minute
                last = -1 if last_minute is None else last_minute
            work = -1
            if hours_col is not None:
                worked_hours = read_hours(value(row, hours_col))
                work = -1 if worked_hours is None else int(worked_hours * 60)
            overtime = -1
            if ot_col is not None:
                ot_hours = read_hours(value(row, ot_col))
                overtime = -1 if ot_hours is None else int(ot_hours * 60)
        except CellError as error:
            loaded.add(Problem(where, line, "", str(error)))
            continue
        if day is None:
            loaded.add(Problem(where, line, labels[date_col] if date_col is not None else "", "没有日期"))
            continue
        record = seen.record(worker)
        ordinal = ordinals.get(day)
        if ordinal is None:
            ordinal = ordinals[day] = day.toordinal()
        record.ordinal.append(ordinal)
        record.first.append(first)
        record.last.append(last)
        record.work.append(work)
        record.overtime.append(overtime)
        loaded.attendance_rows += 1


def _worker_days(record: _Days, break_minutes: int) -> list[tuple[int, int, int]]:
    """Each day once (rows of one day merged: earliest first punch, latest last punch), with minutes worked."""
    order = sorted(range(len(record.ordinal)), key=record.ordinal.__getitem__)
    merged: list[tuple[int, int, int]] = []
    index = 0
    count = len(order)
    while index < count:
        i = order[index]
        ordinal = record.ordinal[i]
        first, last, work, overtime = record.first[i], record.last[i], record.work[i], record.overtime[i]
        present = work == PRESENT
        index += 1
        while index < count and record.ordinal[order[index]] == ordinal:
            j = order[index]
            if record.first[j] >= 0 and (first < 0 or record.first[j] < first):
                first = record.first[j]
            last = max(last, record.last[j], record.first[j])
            present = present or record.work[j] == PRESENT
            work = max(work, record.work[j])
            overtime = max(overtime, record.overtime[j])
            index += 1
        if work >= 0:
            minutes = work
        elif first >= 0 and last >= 0 and last != first:
            minutes = worked_minutes(first, last, break_minutes)
        else:
            minutes = 0
        punched = present or first >= 0 or last >= 0 or work > 0 or overtime > 0
        merged.append((ordinal, max(minutes, 1) if punched else 0, overtime))
    return merged


def load(
    payroll: Iterable[tuple[SheetLayout, dt.date | None, dt.date | None]],
    attendance: Iterable[tuple[SheetLayout, dt.date | None]] = (),
    *,
    break_minutes: int = 60,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    total_rows: int = 0,
) -> Loaded:
    """Read every mapped sheet: payroll layouts with the coordinator's month and pay date for the sheet (None:
    from the sheet), then attendance layouts with the month of a grid sheet (None: from the sheet).
    ``total_rows`` sizes the progress bar."""
    loaded = Loaded()
    identities = _Identities()
    counter = [0]

    def tick() -> None:
        counter[0] += 1
        if counter[0] & 0x3FFF == 0:
            if cancel is not None and cancel.is_set():
                raise LoadCancelled
            if progress is not None:
                progress(counter[0], max(total_rows, counter[0]))

    seen: dict[tuple[int, dt.date], tuple[str, int]] = {}
    for layout, month, pay_date in payroll:
        if layout.kind != PAYROLL:
            raise ValueError("not a payroll layout")
        _payroll_sheet(layout, identities, loaded, seen, month, pay_date, tick)
    loaded.workers = identities.workers
    read = _Attendance()
    for layout, grid_month in attendance:
        if layout.kind != ATTENDANCE:
            raise ValueError("not an attendance layout")
        _attendance_sheet(layout, grid_month, identities, loaded, read, tick)
    if not loaded.payroll and not loaded.problems:
        loaded.add(Problem("工资表", None, "", "没有读到任何工资记录"))
    days = read.days
    if loaded.problems or not days:
        return loaded
    start = min([min(record.ordinal) for record in days.values()] + read.covered[0::2])
    end = max([max(record.ordinal) for record in days.values()] + read.covered[1::2])
    loaded.attendance_period = (dt.date.fromordinal(start), dt.date.fromordinal(end))
    month_of: dict[int, dt.date] = {}
    for worker in sorted(days):
        if cancel is not None and cancel.is_set():
            raise LoadCancelled
        loaded.attendance.extend(
            attendance_months(worker, _worker_days(days[worker], break_minutes), (start, end), month_of)
        )
    return loaded
