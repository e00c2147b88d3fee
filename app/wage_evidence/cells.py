"""Reading one cell of an enterprise's sheet as an amount, a date, a month, a time or a number of hours.

Payroll and attendance sheets come from Excel, WPS and clock-in systems: amounts typed as text ("3,500.00",
"￥3500", "3500元", full-width digits), dates as Excel serial numbers or text in every common spelling, times as
Excel day fractions or "8:01". Each reader returns the value, ``None`` for an empty cell, or raises
:class:`CellError` with a Chinese message naming what was found — never a guess: "三千" is an error, not 0.
Readers keep small caches (a year of attendance repeats the same few hundred dates and times).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Final

__all__ = [
    "PRESENT",
    "Cell",
    "CellError",
    "read_amount",
    "read_date",
    "read_day_mark",
    "read_hours",
    "read_minute",
    "read_month",
    "read_text",
    "text_of",
]

Cell = object
EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_CENT: Final = Decimal("0.01")
_EMPTY: Final = frozenset({"", "-", "—", "/", "无", "－", "--"})
_AMOUNT: Final = re.compile(r"^-?\d+(?:\.\d+)?$")
_DATE: Final = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
_COMPACT_DATE: Final = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH: Final = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_COMPACT_MONTH: Final = re.compile(r"^(\d{4})(\d{2})$")
_TIME: Final = re.compile(r"(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?")


class CellError(ValueError):
    """A cell that cannot be what its column says; ``str()`` is the Chinese reason."""


def text_of(value: Cell) -> str:
    """A cell as trimmed text (a whole float without ".0"): for names, numbers-as-codes and headers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.strip()
    return str(value).strip()


_TEXT_CACHE: dict[object, str] = {}


def read_text(value: Cell) -> str:
    """A name or code as compared across sheets: full-width folded (NFKC), trimmed. Remembered by value (a year
    of records repeats each worker's name)."""
    if value is None:
        return ""
    key = (type(value), value)
    found = _TEXT_CACHE.get(key)
    if found is None:
        found = unicodedata.normalize("NFKC", text_of(value)).strip()
        if len(_TEXT_CACHE) < 100_000:
            _TEXT_CACHE[key] = found
    return found


def _shown(value: Cell) -> str:
    text = text_of(value)
    return text if len(text) <= 20 else text[:20] + "…"


_AMOUNT_CACHE: dict[object, Decimal | None] = {}


def read_amount(value: Cell) -> Decimal | None:
    """An amount in yuan to the fen; empty → None; negative or non-numeric → :class:`CellError`.

    Payrolls repeat the same few hundred amounts (base wages, allowances): a read is remembered by the cell's
    type and value, so 60,000 worker-months cost a few thousand conversions."""
    key = (type(value), value)
    if key in _AMOUNT_CACHE:
        return _AMOUNT_CACHE[key]
    result = _read_amount(value)
    if len(_AMOUNT_CACHE) < 100_000:
        _AMOUNT_CACHE[key] = result
    return result


def _read_amount(value: Cell) -> Decimal | None:
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise CellError(f"“{value}”不是金额")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("不是有效的金额")
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        compact = text.replace(",", "").replace(" ", "").replace("￥", "").replace("¥", "").removesuffix("元")
        if compact in _EMPTY:
            return None
        if not _AMOUNT.match(compact):
            raise CellError(f"“{_shown(value)}”不是数字金额")
        try:
            number = Decimal(compact)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise CellError(f"“{_shown(value)}”不是数字金额") from None
    if number < 0:
        raise CellError(f"金额不能为负数（{_shown(value)}）")
    return number.quantize(_CENT)


def read_hours(value: Cell) -> Decimal | None:
    """A number of hours ("2.5", 2.5, "2.5小时", "2:30" as 2.5); empty → None."""
    if isinstance(value, dt.timedelta):
        return (Decimal(int(value.total_seconds())) / 3600).quantize(_CENT)
    if isinstance(value, dt.time):
        return (Decimal(value.hour * 60 + value.minute) / 60).quantize(_CENT)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().removesuffix("小时").removesuffix("h").strip()
        match = _TIME.fullmatch(text)
        if match:
            return (Decimal(int(match.group(1)) * 60 + int(match.group(2))) / 60).quantize(_CENT)
        value = text
    try:
        amount = read_amount(value)
    except CellError:
        raise CellError(f"“{_shown(value)}”不是小时数") from None
    if amount is not None and amount > 744:
        raise CellError(f"小时数 {amount} 超出一个月的小时数")
    return amount


def _serial(number: float) -> dt.date:
    if not 1 <= number < 2_958_466:
        raise CellError(f"“{number:g}”不是有效的 Excel 日期")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _checked(year: int, month: int, day: int, value: Cell) -> dt.date:
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise CellError(f"日期“{_shown(value)}”不存在") from None
    if not 1990 <= result.year <= 2100:
        raise CellError(f"日期“{_shown(value)}”超出合理范围")
    return result


_DATE_CACHE: dict[str, dt.date] = {}


def read_date(value: Cell) -> dt.date | None:
    """A day: a date cell, an Excel serial number, or text such as 2026-09-15, 2026/9/15, 2026年9月15日, 20260915."""
    if type(value) is str:
        hit = _DATE_CACHE.get(value)
        if hit is not None:
            return hit
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _checked(value.year, value.month, value.day, value)
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = str(value).strip()
    cached = _DATE_CACHE.get(text)
    if cached is not None:
        return cached
    normal = unicodedata.normalize("NFKC", text).strip()
    if normal in _EMPTY:
        return None
    match = _DATE.match(normal) or _COMPACT_DATE.match(normal)
    if match:
        result = _checked(int(match.group(1)), int(match.group(2)), int(match.group(3)), value)
    elif normal.isdigit() and 20000 <= int(normal) <= 80000:
        result = _serial(float(normal))
    else:
        raise CellError(f"“{_shown(value)}”不是日期")
    if len(_DATE_CACHE) < 100_000:
        _DATE_CACHE[text] = result
    return result


def read_month(value: Cell) -> dt.date | None:
    """A wage month (its first day): 2026-09, 2026年9月, 202609, 2026/9, or any date in it."""
    if value is None:
        return None
    if isinstance(value, dt.date | dt.datetime) or (isinstance(value, int | float) and not isinstance(value, bool)):
        if isinstance(value, int | float) and 190001 <= value <= 210012 and float(value).is_integer():
            number = int(value)
            return _checked(number // 100, number % 100, 1, value)
        day = read_date(value)
        return day.replace(day=1) if day else None
    normal = unicodedata.normalize("NFKC", str(value)).strip()
    if normal in _EMPTY:
        return None
    compact = _COMPACT_MONTH.match(normal)
    if compact:
        return _checked(int(compact.group(1)), int(compact.group(2)), 1, value)
    match = _MONTH.search(normal)
    if match:
        return _checked(int(match.group(1)), int(match.group(2)), 1, value)
    raise CellError(f"“{_shown(value)}”不是年月")


_MINUTE_CACHE: dict[str, int] = {}


def read_minute(value: Cell) -> int | None:
    """A clock time as minutes after midnight: a time cell, a date-time, an Excel day fraction, "8:01", "08:01:33"."""
    if type(value) is str:
        hit = _MINUTE_CACHE.get(value)
        if hit is not None:
            return hit
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        if not 0 <= minutes < 1440:
            raise CellError("打卡时间超出一天")
        return minutes
    if isinstance(value, int | float) and not isinstance(value, bool):
        fraction = float(value) % 1.0
        return round(fraction * 1440) % 1440
    text = str(value)
    cached = _MINUTE_CACHE.get(text)
    if cached is not None:
        return cached
    normal = unicodedata.normalize("NFKC", text).strip()
    if normal in _EMPTY:
        return None
    match = _TIME.search(normal)
    if match is None:
        raise CellError(f"“{_shown(value)}”不是时间")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise CellError(f"时间“{_shown(value)}”不存在")
    result = hour * 60 + minute
    if len(_MINUTE_CACHE) < 200_000:
        _MINUTE_CACHE[text] = result
    return result


PRESENT: Final = -2
"""Minutes worked on a day marked only as present (√, 出): the worker came; the hours are not recorded."""
_PRESENT_MARKS: Final = frozenset(
    {"√", "✓", "✔", "☑", "v", "V", "出", "出勤", "上", "上班", "到", "班", "白", "白班", "早", "早班", "中",
     "中班", "晚", "晚班", "夜", "夜班", "迟", "迟到", "退", "早退", "半", "半天", "补", "补卡", "P"}
)  # fmt: skip
_ABSENT_MARKS: Final = frozenset(
    {"休", "休息", "公休", "调休", "假", "请假", "事", "事假", "病", "病假", "旷", "旷工", "年", "年假", "年休",
     "婚", "婚假", "丧", "丧假", "产", "产假", "陪产", "工伤", "探亲", "离", "离职", "未", "未到", "缺", "缺勤",
     "○", "〇", "△", "☆", "×", "✗", "✘", "x", "X", "0", "-", "—", "－", "--", "/", "无", "空"}
)  # fmt: skip
_SPLIT_HOURS: Final = re.compile(r"^(\d+(?:\.\d+)?)\s*\+\s*(\d+(?:\.\d+)?)$")
DayMark = tuple[int, int, int, int]
"""(first punch, last punch, minutes worked, overtime minutes); -1 where not given."""
_MARK_CACHE: dict[str, DayMark | None] = {}


def _hours_minutes(text: str, value: Cell) -> int:
    hours = Decimal(text)
    if hours > 24:
        raise CellError(f"“{_shown(value)}”超过一天的小时数")
    return int(hours * 60)


def read_day_mark(value: Cell) -> DayMark | None:
    """One day's cell of a grid attendance sheet; None for a day not worked (blank, 休, 假, ○, ×, 0…).

    A presence mark (√, 出, 早班, 迟到…) gives :data:`PRESENT` as the minutes worked; a number is the hours
    worked ("8", 10.5; a sheet that counts days with 1 and 0.5 reads as days worked without overtime, never more
    than the sheet says); "8+3" is eight regular hours and three of overtime; one or two clock times ("08:00-17:30",
    "8:02 18:10") are the first and last punch. Anything else is a :class:`CellError` naming the mark.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是可识别的考勤记号")
    if isinstance(value, int | float):
        if value != value or value < 0:
            raise CellError(f"“{_shown(value)}”不是可识别的考勤记号")
        return None if value == 0 else (-1, -1, _hours_minutes(repr(float(value)), value), -1)
    if isinstance(value, dt.datetime | dt.time):
        minute = value.hour * 60 + value.minute
        return (minute, minute, -1, -1)
    text = str(value)
    if text in _MARK_CACHE:
        return _MARK_CACHE[text]
    normal = unicodedata.normalize("NFKC", text).strip()
    result: DayMark | None
    if not normal or normal in _ABSENT_MARKS:
        result = None
    elif normal in _PRESENT_MARKS:
        result = (-1, -1, PRESENT, -1)
    elif _AMOUNT.match(normal):
        minutes = _hours_minutes(normal, value)
        result = (-1, -1, minutes, -1) if minutes else None
    elif split := _SPLIT_HOURS.match(normal):
        regular, extra = _hours_minutes(split.group(1), value), _hours_minutes(split.group(2), value)
        result = (-1, -1, regular + extra, extra)
    else:
        times = [read_minute(match.group(0)) for match in _TIME.finditer(normal)]
        found = [minute for minute in times if minute is not None]
        if not found or len(found) > 2:
            raise CellError(
                f"“{_shown(value)}”不是可识别的考勤记号（出勤：√、出、上班；未出勤：空白、休、假、○、×；"
                "工时：8、8+3；打卡时间：08:00-17:30）"
            )
        result = (found[0], found[-1], -1, -1)
    if len(_MARK_CACHE) < 10_000:
        _MARK_CACHE[text] = result
    return result
