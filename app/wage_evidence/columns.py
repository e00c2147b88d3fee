"""Finding the header of a payroll or attendance sheet and guessing what each column holds.

Enterprises' sheets start with titles ("2026年9月工资发放表", "单位：元"), put the header over two or three rows
(a merged "应发项目" above 基本工资 | 加班费 | 夜班津贴), and name columns their own way. The header is the row
among the first rows that names the most known columns; the text-only rows right above it belong to it, and so
does a text-only row right below it. Each column's label is its header cells joined top to bottom
("应发项目/加班费"); the field is guessed from the lowest cell first ("加班费"), then the whole label.

A guess is only a proposal: the coordinator sees every column with sample values, corrects the fields, and the
corrected mapping is remembered per enterprise (:mod:`app.wage_evidence.profiles`) and wins over a guess next time.
The month and pay date of a sheet that has no such column are read from its title or name ("2026年9月", "发放日期：
2026年10月15日") or given by the coordinator.

Attendance comes in two shapes: a record per worker-day (clock-in exports: date and punch times, or hours) and
the monthly grid many enterprises keep by hand (考勤表: a row per worker, a column per day 1…31 holding √, 休,
hours or punch times). A header row whose labels run 1 to 28…31 marks a grid; its day columns are mapped to
:attr:`Field.DAY` and the month comes from the title, the sheet's name or the coordinator.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from app.wage_evidence.cells import Cell, CellError, read_date, read_month, text_of
from app.wage_evidence.sheets import Sheet

__all__ = [
    "ATTENDANCE",
    "PAYROLL",
    "Field",
    "SheetLayout",
    "detect_layout",
    "fields_for",
    "guess_field",
    "label_key",
]

PAYROLL: Final = "payroll"
_ID_SHAPE: Final = re.compile(r"\d{15}|\d{17}[\dXx]")
ATTENDANCE: Final = "attendance"


class Field(enum.StrEnum):
    NAME = "name"
    ID_NUMBER = "id_number"
    EMPLOYEE_NO = "employee_no"
    MONTH = "month"
    GROSS = "gross"
    NET = "net"
    BASE = "base"
    OVERTIME_PAY = "overtime_pay"
    ALLOWANCE = "allowance"
    WELFARE = "welfare"
    SOCIAL_INSURANCE = "social_insurance"
    HOUSING_FUND = "housing_fund"
    INCOME_TAX = "income_tax"
    DEDUCTION = "deduction"
    DEDUCTION_REASON = "deduction_reason"
    PAY_DATE = "pay_date"
    ATTENDANCE_DAYS = "attendance_days"
    OVERTIME_HOURS = "overtime_hours"
    REST_DAY_HOURS = "rest_day_hours"
    HOLIDAY_HOURS = "holiday_hours"
    EMPLOYMENT = "employment"
    HOURS_WORKED = "hours_worked"
    DATE = "date"
    PUNCH_IN = "punch_in"
    PUNCH_OUT = "punch_out"
    PUNCH_TIME = "punch_time"
    WORK_HOURS = "work_hours"
    DAILY_OVERTIME = "daily_overtime"
    DAY = "day"
    """One day of a grid attendance sheet (考勤表: a row per worker, a column per day of the month)."""


_IDENTITY = (Field.NAME, Field.ID_NUMBER, Field.EMPLOYEE_NO)
_PAYROLL_FIELDS: Final = (
    *_IDENTITY,
    Field.MONTH,
    Field.GROSS,
    Field.NET,
    Field.BASE,
    Field.OVERTIME_PAY,
    Field.ALLOWANCE,
    Field.WELFARE,
    Field.SOCIAL_INSURANCE,
    Field.HOUSING_FUND,
    Field.INCOME_TAX,
    Field.DEDUCTION,
    Field.DEDUCTION_REASON,
    Field.PAY_DATE,
    Field.ATTENDANCE_DAYS,
    Field.OVERTIME_HOURS,
    Field.REST_DAY_HOURS,
    Field.HOLIDAY_HOURS,
    Field.EMPLOYMENT,
    Field.HOURS_WORKED,
)
_ATTENDANCE_FIELDS: Final = (
    *_IDENTITY,
    Field.DATE,
    Field.PUNCH_IN,
    Field.PUNCH_OUT,
    Field.PUNCH_TIME,
    Field.WORK_HOURS,
    Field.DAILY_OVERTIME,
    Field.DAY,
)
_DAILY_RECORD: Final = frozenset({Field.DATE, Field.PUNCH_IN, Field.PUNCH_OUT, Field.PUNCH_TIME, Field.WORK_HOURS,
                                  Field.DAILY_OVERTIME})  # fmt: skip
"""Fields of a record per worker-day; a grid sheet has none of them (its 加班 or 工时 columns are month totals)."""
_DAY_LABEL: Final = re.compile(r"^(\d{1,2})\s*(日|号)?$")
MIN_GRID_DAYS: Final = 28
SUMMABLE: Final = frozenset({Field.ALLOWANCE, Field.WELFARE, Field.SOCIAL_INSURANCE, Field.HOUSING_FUND})
"""Fields several columns may feed (夜班津贴 and 高温津贴 are both 第十二条(二) allowances): their values add up."""


def fields_for(kind: str) -> tuple[Field, ...]:
    return _PAYROLL_FIELDS if kind == PAYROLL else _ATTENDANCE_FIELDS


_RULES: Final[dict[str, tuple[tuple[Field, str], ...]]] = {
    PAYROLL: (
        (Field.ID_NUMBER, r"身份证|证件号"),
        (Field.EMPLOYEE_NO, r"工号|员工编号|职工编号|人员编号|员工号"),
        (Field.NAME, r"^(员工|职工|人员)?姓名$|^名字$"),
        (Field.DEDUCTION_REASON, r"扣款(原因|事由|说明)|扣罚原因"),
        (Field.PAY_DATE, r"发放(日期|时间)|支付(日期|时间)|发薪日"),
        (Field.MONTH, r"^(工资)?(所属)?(月份|年月|期间|所属期)$|工资月份"),
        (Field.NET, r"实发|实付|到手"),
        (Field.GROSS, r"应发|应付工资|工资总额"),
        (Field.HOLIDAY_HOURS, r"(节假日|法定).*加班.*(小时|时长|时数|工时)|法定.*(小时|工时)"),
        (Field.REST_DAY_HOURS, r"(休息日|周末|双休|公休).*加班.*(小时|时长|时数|工时)"),
        (Field.OVERTIME_HOURS, r"加班.*(小时|时长|时数|工时)|延时.*(小时|工时)"),
        (Field.OVERTIME_PAY, r"加班(费|工资)|延时(费|工资)|延长工作时间工资"),
        (Field.BASE, r"基本工资|底薪|基础工资"),
        (Field.ALLOWANCE, r"夜班|中班|高温|低温|井下|有毒|有害"),
        (Field.WELFARE, r"福利"),
        (Field.HOUSING_FUND, r"公积金"),
        (Field.SOCIAL_INSURANCE, r"社保|社会保险|养老|医疗保险|失业"),
        (Field.INCOME_TAX, r"个税|所得税"),
        (Field.DEDUCTION, r"^(其他)?扣款$|罚款|赔偿|扣罚|违纪扣"),
        (Field.ATTENDANCE_DAYS, r"出勤(天数)?$|实际出勤|出勤天"),
        (Field.HOURS_WORKED, r"工作(小时|时长|时数)|^工时$"),
        (Field.EMPLOYMENT, r"用工(形式|性质|类型)|全日制"),
    ),
    ATTENDANCE: (
        (Field.ID_NUMBER, r"身份证|证件号"),
        (Field.EMPLOYEE_NO, r"工号|员工编号|职工编号|人员编号|考勤号|员工号"),
        (Field.NAME, r"^(员工|职工|人员)?姓名$|^名字$"),
        (Field.PUNCH_IN, r"上班|签到|首次打卡|最早打卡|上午打卡"),
        (Field.PUNCH_OUT, r"下班|签退|末次打卡|最晚打卡|下午打卡"),
        (Field.PUNCH_TIME, r"打卡时间|刷卡时间|打卡记录"),
        (Field.DAILY_OVERTIME, r"加班"),
        (Field.WORK_HOURS, r"工作时长|出勤时长|工时|工作小时"),
        (Field.DATE, r"日期|考勤日|打卡日"),
    ),
}
_COMPILED: Final = {
    kind: tuple((field_, re.compile(pattern)) for field_, pattern in rules) for kind, rules in _RULES.items()
}
_NOT_A_FIELD: Final = re.compile(
    r"^合计$|扣.*合计|小计|总计|单位(缴纳|承担|部分)|公司(缴纳|承担)|^序号$|^备注$|签字|签名"
)


@functools.lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """A header label compared loosely: full-width folded, spaces and line breaks dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def guess_field(label: str, kind: str) -> Field | None:
    """The field a column label most likely holds, or None (the coordinator decides)."""
    parts = [label_key(part) for part in label.split("/") if label_key(part)]
    if not parts:
        return None
    for candidate in (parts[-1], "".join(parts)):
        if _NOT_A_FIELD.search(candidate):
            return None
        for field_, pattern in _COMPILED[kind]:
            if pattern.search(candidate):
                return field_
    return None


@dataclass
class SheetLayout:
    """Where a sheet's header is, what each column is called, and what was guessed or remembered for it."""

    sheet: Sheet
    kind: str
    header: tuple[int, int]
    """The first and last line of the header."""
    labels: list[str]
    fields: dict[int, Field] = field(default_factory=dict)
    month: dt.date | None = None
    pay_date: dt.date | None = None
    days: dict[int, int] = field(default_factory=dict)
    """Columns whose label is a day of the month (1…31, 1日, or a date), with that day: a grid attendance sheet."""

    @property
    def data_start(self) -> int:
        return self.header[1] + 1

    @property
    def is_grid(self) -> bool:
        """An attendance sheet laid out as a grid: a row per worker, a column per day (常见的月考勤表)."""
        return any(found is Field.DAY for found in self.fields.values())

    def column_of(self, wanted: Field) -> int | None:
        for column, found in self.fields.items():
            if found is wanted:
                return column
        return None

    def samples(self, column: int, count: int = 3) -> list[str]:
        """A few values of a column for the preview; anything shaped like an ID number is shown masked."""
        values: list[str] = []
        first = self.data_start - self.sheet.head_line
        for row in self.sheet.head[first:]:
            if column < len(row) and text_of(row[column]):
                text = text_of(row[column])
                if _ID_SHAPE.fullmatch(text):
                    text = text[:3] + "*" * (len(text) - 7) + text[-4:]
                values.append(text[:24])
            if len(values) >= count:
                break
        return values


def day_of(label: str) -> tuple[int, dt.date | None] | None:
    """The day of the month a grid's column label names ("1", "01", "1日", "2026-09-01"), with the month when
    the label is a whole date; None for any other label."""
    text = label_key(label.split("/")[-1])
    match = _DAY_LABEL.match(text)
    if match:
        day = int(match.group(1))
        return (day, None) if 1 <= day <= 31 else None
    if not re.match(r"^\d{4}\D", text):
        return None
    try:
        found = read_date(text.split(" ")[0])
    except CellError:
        return None
    return (found.day, found.replace(day=1)) if found is not None else None


def _day_columns(labels: Sequence[str]) -> dict[int, int]:
    """The columns of a month's days when the labels hold days 1 to N (N ≥ 28) once each, else nothing."""
    days: dict[int, int] = {}
    for column, label in enumerate(labels):
        found = day_of(label)
        if found is not None:
            days[column] = found[0]
    numbers = sorted(days.values())
    if len(numbers) < MIN_GRID_DAYS or numbers != list(range(1, len(numbers) + 1)):
        return {}
    return days


def _is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _texts(row: Sequence[Cell]) -> list[str]:
    return [text_of(value) for value in row]


def _score(row: Sequence[Cell], kind: str) -> int:
    return sum(1 for text in _texts(row) if text and not text.isdigit() and guess_field(text, kind) is not None)


def _header_like(row: Sequence[Cell]) -> bool:
    texts = [text for text in _texts(row) if text]
    return bool(texts) and not any(_is_number(value) for value in row) and len(texts) >= 2


_TITLE_DATE: Final = re.compile(
    r"(发放|支付)(日期|时间)?[:：]?\s*(\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?)"
)


def _month_from(texts: Sequence[str]) -> dt.date | None:
    for text in texts:
        try:
            found = read_month(text) if re.search(r"\d{4}\s*[年/.-]?\s*\d{1,2}\s*月", text) else None
        except CellError:
            found = None
        if found is not None:
            return found
    return None


def _pay_date_from(texts: Sequence[str]) -> dt.date | None:
    for text in texts:
        match = _TITLE_DATE.search(unicodedata.normalize("NFKC", text))
        if match:
            try:
                return read_date(match.group(3))
            except CellError:
                return None
    return None


def detect_layout(sheet: Sheet, kind: str, remembered: Mapping[str, str] | None = None) -> SheetLayout | None:
    """The header and the fields of ``sheet``; None when no row of its first lines looks like a header."""
    head = sheet.head
    best, best_score = -1, 1
    for index, row in enumerate(head):
        score = _score(row, kind)
        if kind == ATTENDANCE and _day_columns(_texts(row)):
            score += 3  # a row of 1…31 is a grid's header even when only 姓名 is named beside it
        if score > best_score:
            best, best_score = index, score
    if best < 0:
        return None
    top = best
    while top > 0 and _header_like(head[top - 1]) and _score(head[top - 1], kind) < best_score:
        if len([t for t in _texts(head[top - 1]) if t]) < 2:
            break
        top -= 1
    bottom = best
    if bottom + 1 < len(head) and _header_like(head[bottom + 1]):
        below = head[bottom + 1]
        if all(not text or not text.replace(".", "").isdigit() for text in _texts(below)) and _score(below, kind):
            bottom += 1
    width = max(len(row) for row in head[top : bottom + 1])
    labels: list[str] = []
    for column in range(width):
        parts: list[str] = []
        for row in head[top : bottom + 1]:
            text = text_of(row[column]) if column < len(row) else ""
            text = " ".join(text.split())
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append("/".join(parts))
    remembered = remembered or {}
    days = _day_columns(labels) if kind == ATTENDANCE else {}
    fields: dict[int, Field] = {}
    taken: set[Field] = set()
    for column, label in enumerate(labels):
        known = remembered.get(label_key(label))
        if known is not None:
            if known and known in Field.__members__.values():
                fields[column] = Field(known)
                taken.add(Field(known))
            continue
        guess = Field.DAY if column in days else guess_field(label, kind)
        if days and guess in _DAILY_RECORD:
            continue
        if guess is not None and (guess in SUMMABLE or guess is Field.DAY or guess not in taken):
            fields[column] = guess
            taken.add(guess)
    titles = [text for row in head[:top] for text in _texts(row) if text]
    month = _month_from([*titles, sheet.name, sheet.file])
    if month is None and days:
        month = next((found[1] for label in labels if (found := day_of(label)) and found[1]), None)
    first_line = sheet.head_line
    return SheetLayout(
        sheet,
        kind,
        (first_line + top, first_line + bottom),
        labels,
        fields,
        month=month,
        pay_date=_pay_date_from(titles),
        days=days,
    )
