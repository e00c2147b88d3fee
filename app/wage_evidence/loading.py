"""From mapped sheets to worker-month records, with a per-row report: every problem found, nothing half-loaded.

Every data row is read; a problem (a non-numeric amount, an impossible date, the same worker twice in a month, a
worker in the attendance but not in the payroll, a column that cannot be mapped) becomes a line of the report
naming the sheet, the row as the spreadsheet numbers it and the column. A load with any problem yields no records
at all, so a check never runs on part of the data.

Rows that are not data are skipped silently and counted: blank separator rows, total rows (合计/小计/总计),
repeated header rows (printed sheets repeat them), and note lines (制表人…) that carry no worker and no amount.

Workers are matched between payroll and attendance by ID number, else 工号, else name; full ID numbers are never
kept: a worker is known by a key derived from them (a hash) and shown with a masked number (:func:`mask_id`).

Speed (``bench/bench_wage.py``: 60,000 worker-months and 1.6 million punch records): a record sheet is read in
chunks, column by column — each distinct cell text is read once and remembered, a chunk's rows are then found by
dictionary lookups — and each worker's records are kept packed as 64-bit integers; the cyclic garbage collector
is paused while reading and checking. The rules and the per-row report are the same as reading row by row.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import operator
import re
import threading
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    "collector_paused",
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


def _identity(row: Sequence[Cell], identity: Sequence[int | None]) -> tuple[str, str, str]:
    """Name, ID number and 工号 of a row (the columns in that order; None where not mapped)."""
    name, id_number, employee_no = (
        "" if column is None or column >= len(row) else read_text(row[column]) for column in identity
    )
    return name, id_number, employee_no


def _payroll_sheet(
    layout: SheetLayout,
    identities: _Identities,
    loaded: Loaded,
    seen: dict[tuple[int, dt.date], tuple[str, int]],
    month_override: dt.date | None,
    pay_date_override: dt.date | None,
    tick: Callable[[int], None],
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
    readers = [
        (wanted, found, read_amount if wanted in _AMOUNT_FIELDS else read_hours, wanted in SUMMABLE)
        for wanted in _AMOUNT_FIELDS + _HOUR_FIELDS
        if (found := columns.get(wanted))
    ]
    identity = [columns.get(wanted, [None])[0] for wanted in (Field.NAME, Field.ID_NUMBER, Field.EMPLOYEE_NO)]
    for line, row in layout.sheet.rows():
        tick(1)
        if line < layout.data_start:
            continue
        name, id_number, employee_no = _identity(row, identity)
        who = name or id_number or employee_no
        if not who and _blank(row):
            loaded.skip("空行")
            continue
        if (not who or who[0] in _TOTAL_START) and _total_row(row):  # 合计 in the 序号 or the 姓名 column
            loaded.skip("合计行")
            continue
        # A printed sheet repeats its header: its identity cell then holds a column label.
        if (not who or label_key(who) in header_keys) and _repeated_header(row, header_keys):
            loaded.skip("重复的表头行")
            continue
        values: dict[Field, Decimal | None] = {}
        errors: list[Problem] = []
        for wanted, found, read, summable in readers:
            total: Decimal | None = None
            for column in found:
                try:
                    value = read(row[column] if column < len(row) else None)
                except CellError as error:
                    errors.append(Problem(where, line, layout.labels[column], str(error)))
                    continue
                if value is not None:
                    total = value if total is None else total + value
                if not summable:
                    break
            values[wanted] = total
        if not who:
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


_NO_HOURS: Final = 1 << 24
"""The packed hours of a record that gave none (minutes worked -1, overtime -1)."""


@dataclass
class _Days:
    """One worker's attendance records, compact (a year of 5,000 workers is 1.8 million of them): each record
    one 64-bit integer ``ordinal << 24 | (first punch + 1) << 12 | (last punch + 1)``, so sorting the integers
    sorts the records by day; where a sheet gives hours, a parallel array of ``(minutes worked + 2) << 24 |
    (overtime minutes + 1)`` (-1 where not given, :data:`~app.wage_evidence.cells.PRESENT` for a mark)."""

    punches: array[int] = field(default_factory=lambda: array("q"))
    hours: array[int] | None = None

    def extend(self, punches: Sequence[int], hours: Sequence[int] | None) -> None:
        """Records already packed (a run of one worker's rows)."""
        if hours is not None and self.hours is None:
            self.hours = array("q", [_NO_HOURS]) * len(self.punches)
        self.punches.extend(punches)
        if self.hours is not None:
            self.hours.extend(hours if hours is not None else [_NO_HOURS] * len(punches))

    def add(self, ordinal: int, first: int, last: int, work: int = -1, overtime: int = -1) -> None:
        self.punches.append(ordinal << 24 | (first + 1) << 12 | (last + 1))
        if work != -1 or overtime != -1:
            if self.hours is None:
                self.hours = array("q", [_NO_HOURS]) * (len(self.punches) - 1)
            self.hours.append((work + 2) << 24 | (overtime + 1))
        elif self.hours is not None:
            self.hours.append(_NO_HOURS)


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
        self.columns = [column for column in (self.name_col, self.id_col, self.no_col) if column is not None]
        self.key = operator.itemgetter(*self.columns)
        self.known: dict[Cell, int] = {}
        """Workers by the raw cells of their identity columns: most rows of a sheet repeat a few thousand."""

    def column(self, lines: Sequence[int], rows: Sequence[Sequence[Cell]]) -> list[int | None]:
        """The worker of each row of a chunk (rows at least as wide as the identity columns)."""
        keys = list(map(self.key, rows))
        found: list[int | None] = list(map(self.known.get, keys))
        if None in found:
            known = self.known
            for index, worker in enumerate(found):
                if worker is None:
                    key = keys[index]
                    worker = known.get(key)  # a worker first met earlier in this chunk
                    if worker is None:
                        worker = self(lines[index], list(rows[index]))
                        if worker is not None:
                            known[key] = worker
                    found[index] = worker
        return found

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
    tick: Callable[[int], None],
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
    tick: Callable[[int], None],
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
        tick(1)
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
            record.add(first_ordinal + day - 1, first, last, work, overtime)
            loaded.attendance_rows += 1


_BAD: Final = -(1 << 40)
"""A cell its reader refused: the row is reported with the reader's message, never loaded."""
CHUNK_ROWS: Final = 8192


class _Reads:
    """Each distinct cell of a record sheet read once: a year of punches repeats a few hundred dates and times,
    so columns are converted by dictionary lookups and only new texts go through the readers of
    :mod:`app.wage_evidence.cells`. Values are ints: a day's ordinal, minutes after midnight, minutes of work
    (-1 for an empty cell, :data:`_BAD` for a refused one, its message kept by cell)."""

    def __init__(self) -> None:
        self.day_cache: dict[Cell, int] = {None: -1}
        self.minute_cache: dict[Cell, int] = {None: -1}
        self.hour_cache: dict[Cell, int] = {None: -1}
        self.day_problems: dict[Cell, str] = {}
        self.minute_problems: dict[Cell, str] = {}
        self.hour_problems: dict[Cell, str] = {}

    @staticmethod
    def _column(
        values: Sequence[Cell], read: Callable[[Cell], int], cache: dict[Cell, int], problems: dict[Cell, str]
    ) -> list[int]:
        out: list[int | None] = list(map(cache.get, values))
        if None in out:
            for index, found in enumerate(out):
                if found is not None:
                    continue
                value = values[index]
                try:
                    found = read(value)
                except CellError as error:
                    found, problems[value] = _BAD, str(error)
                if len(cache) < 200_000:
                    cache[value] = found
                out[index] = found
        return out  # type: ignore[return-value]

    def days(self, values: Sequence[Cell]) -> list[int]:
        return self._column(values, _ordinal, self.day_cache, self.day_problems)

    def minutes(self, values: Sequence[Cell]) -> list[int]:
        return self._column(values, _minute, self.minute_cache, self.minute_problems)

    def hours(self, values: Sequence[Cell]) -> list[int]:
        return self._column(values, _minutes_of_hours, self.hour_cache, self.hour_problems)


def _ordinal(value: Cell) -> int:
    day = read_date(value)
    return -1 if day is None else day.toordinal()


def _minute(value: Cell) -> int:
    minute = read_minute(value)
    return -1 if minute is None else minute


def _minutes_of_hours(value: Cell) -> int:
    hours = read_hours(value)
    return -1 if hours is None else int(hours * 60)


def _chunks(
    rows: Iterator[tuple[int, list[Cell]]], start: int, width: int
) -> Iterator[tuple[list[int], list[list[Cell]]]]:
    """The data rows in chunks of :data:`CHUNK_ROWS`, each row at least ``width`` cells (short rows padded)."""
    padding: list[Cell] = [None] * width
    while True:
        chunk = list(itertools.islice(rows, CHUNK_ROWS))
        if not chunk:
            return
        lines = [line for line, _row in chunk if line >= start]
        if not lines:
            continue
        data = [row if len(row) >= width else row + padding[: width - len(row)] for line, row in chunk if line >= start]
        yield lines, data


def _record_sheet(
    layout: SheetLayout, worker_of: _RowWorkers, loaded: Loaded, seen: _Attendance, tick: Callable[[int], None]
) -> None:
    """A record per worker-day (or per punch): a date with punch times, hours worked or overtime."""
    columns = _columns(layout)
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
    needed = [column for column in (punch_time, date_col, in_col, out_col, hours_col, ot_col) if column is not None]
    width = max([*needed, *worker_of.columns]) + 1
    reads = _Reads()
    for lines, rows in _chunks(layout.sheet.rows(), layout.data_start, width):
        tick(len(lines))
        workers = worker_of.column(lines, rows)
        columns_of = list(zip(*rows, strict=False))
        count = len(lines)
        empty: list[int] = [-1] * count
        cells = {column: columns_of[column] for column in needed}
        days = reads.days(cells[date_col]) if date_col is not None else empty
        firsts = reads.minutes(cells[in_col]) if in_col is not None else empty
        lasts = reads.minutes(cells[out_col]) if out_col is not None else empty
        works = reads.hours(cells[hours_col]) if hours_col is not None else empty
        overtimes = reads.hours(cells[ot_col]) if ot_col is not None else empty
        stamped: list[bool] = [False] * count
        if punch_time is not None:  # one punch per row: the day from the date column, else from the stamp
            stamps = cells[punch_time]
            stamped = [stamp is not None and stamp != "" for stamp in stamps]
            stamp_days, stamp_minutes = reads.days(stamps), reads.minutes(stamps)
            days = [s if h and d == -1 else d for h, d, s in zip(stamped, days, stamp_days, strict=True)]
            firsts = [m if h else f for h, f, m in zip(stamped, firsts, stamp_minutes, strict=True)]
            lasts = [m if h else last for h, last, m in zip(stamped, lasts, stamp_minutes, strict=True)]
        given = works is not empty or overtimes is not empty
        if None in workers or -1 in days or any(_BAD in values for values in (days, firsts, lasts, works, overtimes)):
            chunk = _Chunk(layout, reads, lines, cells, stamped, [days, firsts, lasts, works, overtimes])
            kept = [index for index in range(count) if workers[index] is not None and chunk.accepts(index, loaded)]
            workers = [workers[i] for i in kept]
            days, firsts, lasts = ([values[i] for i in kept] for values in (days, firsts, lasts))
            if given:
                works, overtimes = [works[i] for i in kept], [overtimes[i] for i in kept]
        packed = [
            day << 24 | (first + 1) << 12 | (last + 1) for day, first, last in zip(days, firsts, lasts, strict=True)
        ]
        hours = [(work + 2) << 24 | (ot + 1) for work, ot in zip(works, overtimes, strict=True)] if given else None
        start = 0
        for worker, run in itertools.groupby(workers):
            end = start + len(list(run))
            assert worker is not None
            seen.record(worker).extend(packed[start:end], hours[start:end] if hours is not None else None)
            start = end
        loaded.attendance_rows += len(packed)


@dataclass
class _Chunk:
    """A chunk of a record sheet read by column, for the rows that cannot be kept: a refused cell is reported
    with the reader's message, a record without a day as such."""

    layout: SheetLayout
    reads: _Reads
    lines: Sequence[int]
    cells: Mapping[int, Sequence[Cell]]
    stamped: Sequence[bool]
    values: Sequence[Sequence[int]]
    """Days, first punches, last punches, minutes worked, overtime minutes."""

    def _cell(self, wanted: Field, index: int) -> Cell:
        column = self.layout.column_of(wanted)
        return self.cells[column][index] if column is not None else None

    def accepts(self, index: int, loaded: Loaded) -> bool:
        day = self.values[0][index]
        where, line = self.layout.sheet.label, self.lines[index]
        if any(values[index] == _BAD for values in self.values):
            reads, cell = self.reads, self._cell
            used = [(reads.day_problems, cell(Field.DATE, index))]
            if self.stamped[index]:
                stamp = cell(Field.PUNCH_TIME, index)
                used += [(reads.day_problems, stamp), (reads.minute_problems, stamp)]
            else:
                used += [(reads.minute_problems, cell(Field.PUNCH_IN, index)),
                         (reads.minute_problems, cell(Field.PUNCH_OUT, index))]  # fmt: skip
            used += [(reads.hour_problems, cell(Field.WORK_HOURS, index)),
                     (reads.hour_problems, cell(Field.DAILY_OVERTIME, index))]  # fmt: skip
            loaded.add(Problem(where, line, "", next(problems[value] for problems, value in used if value in problems)))
            return False
        if day == -1:
            date_col = self.layout.column_of(Field.DATE)
            loaded.add(Problem(where, line, self.layout.labels[date_col] if date_col is not None else "", "没有日期"))
            return False
        return True


def _day_minutes(first: int, last: int, break_minutes: int) -> int:
    """Minutes worked on a day known only by its punches: the span less the break, and at least 1 for a day with
    a punch that gives no span (it was worked). The same as the merging loop of :func:`_worker_days` for one
    record with no hours given."""
    if first >= 0 and last >= 0 and last != first:
        return max(worked_minutes(first, last, break_minutes), 1)
    return 1 if first >= 0 or last >= 0 else 0


class _PunchMinutes(dict[int, int]):
    """Minutes worked by a day's two punches as packed in a record (its low 24 bits), each pair computed once: a
    year of punches repeats a few hundred pairs."""

    def __init__(self, break_minutes: int) -> None:
        super().__init__()
        self.break_minutes = break_minutes

    def __missing__(self, pair: int) -> int:
        minutes = self[pair] = _day_minutes((pair >> 12 & 0xFFF) - 1, (pair & 0xFFF) - 1, self.break_minutes)
        return minutes


def _worker_days(record: _Days, break_minutes: int, minutes_of: _PunchMinutes) -> list[tuple[int, int, int]]:
    """Each day once (records of one day merged: earliest first punch, latest last punch), with minutes worked."""
    punches, hours = record.punches, record.hours
    if hours is None:
        entries = sorted(punches)
        ordinals = [packed >> 24 for packed in entries]
        if len(set(ordinals)) == len(ordinals):  # one record a day, punches only: the usual clock-in export
            return [
                (ordinal, minutes_of[packed & 0xFFFFFF], -1) for ordinal, packed in zip(ordinals, entries, strict=True)
            ]
        extra: Sequence[int] = ()
    else:
        order = sorted(range(len(punches)), key=punches.__getitem__)
        entries, extra = [punches[i] for i in order], [hours[i] for i in order]
    merged: list[tuple[int, int, int]] = []
    index, count = 0, len(entries)
    while index < count:
        packed = entries[index]
        ordinal = packed >> 24
        first, last = (packed >> 12 & 0xFFF) - 1, (packed & 0xFFF) - 1
        work, overtime = (extra[index] >> 24) - 2 if extra else -1, (extra[index] & 0xFFFFFF) - 1 if extra else -1
        present = work == PRESENT
        index += 1
        while index < count and entries[index] >> 24 == ordinal:
            packed = entries[index]
            other_first, other_last = (packed >> 12 & 0xFFF) - 1, (packed & 0xFFF) - 1
            if other_first >= 0 and (first < 0 or other_first < first):
                first = other_first
            last = max(last, other_last, other_first)
            if extra:
                other_work = (extra[index] >> 24) - 2
                present = present or other_work == PRESENT
                work = max(work, other_work)
                overtime = max(overtime, (extra[index] & 0xFFFFFF) - 1)
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
    ``total_rows`` sizes the progress bar.

    The cyclic garbage collector is paused while reading: a year of punches makes millions of short-lived lists
    and tuples and no reference cycles, and the collector's passes over the growing heap cost more than the
    reading itself (measured on the bench: 9.9 s of CPU with it, 5.8 s without).
    """
    with collector_paused():
        return _load(payroll, attendance, break_minutes, progress, cancel, total_rows)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for bulk work that makes many objects and no reference cycles (loading
    and checking 1.8 million records); reference counting still frees everything as it goes."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _load(
    payroll: Iterable[tuple[SheetLayout, dt.date | None, dt.date | None]],
    attendance: Iterable[tuple[SheetLayout, dt.date | None]],
    break_minutes: int,
    progress: Progress | None,
    cancel: threading.Event | None,
    total_rows: int,
) -> Loaded:
    loaded = Loaded()
    identities = _Identities()
    counter = [0, 0]

    def tick(rows: int = 1) -> None:
        """Count ``rows`` read; every 16,384 rows, honour a cancel and report progress."""
        counter[0] += rows
        if counter[0] - counter[1] >= 0x4000:
            counter[1] = counter[0]
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
    start = min([min(record.punches) >> 24 for record in days.values()] + read.covered[0::2])
    end = max([max(record.punches) >> 24 for record in days.values()] + read.covered[1::2])
    loaded.attendance_period = (dt.date.fromordinal(start), dt.date.fromordinal(end))
    month_of: dict[int, dt.date] = {}
    minutes_of = _PunchMinutes(break_minutes)
    for worker in sorted(days):
        if cancel is not None and cancel.is_set():
            raise LoadCancelled
        loaded.attendance.extend(
            attendance_months(worker, _worker_days(days[worker], break_minutes, minutes_of), (start, end), month_of)
        )
    return loaded
