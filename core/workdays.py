"""Rectification deadlines counted in calendar days or Chinese working days.

A rectification item says "within N days" or "within N working days" (工作日). Chinese working days follow the
State Council's yearly holiday schedule (国务院办公厅关于某年部分节假日安排的通知), in which a weekend day can be
a make-up working day (调休上班) and weekdays can be days off. The schedule for a year is published only late in
the year before, so the calendar is layered:

1. overrides an office has published (a date -> is it a working day), and years an office declared fully
   known (``override_years``: days without an override follow the plain Monday-to-Friday rule);
2. the ``chinesecalendar`` package, which carries the official schedules for the years it knows;
3. beyond that, an *estimate*: Monday to Friday minus the statutory holidays of 《全国年节及纪念日放假办法》 as
   computed by the ``holidays`` package (including the 补假 weekdays the 办法 grants when a holiday falls on a
   weekend). No make-up working days can be guessed, so a deadline resting on such days is marked estimated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from holidays import country_holidays

from core.errors import LaborCheckError

__all__ = [
    "Deadline",
    "DeadlineError",
    "HolidaySchedule",
    "WorkdayCalendar",
    "compute_deadline",
    "published_calendar",
    "schedule_problems",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)


class DeadlineError(LaborCheckError, ValueError):
    """A deadline cannot be computed from what was entered (negative days, a date outside the calendar)."""


@dataclass(frozen=True)
class Deadline:
    """A computed due date and how it was reached.

    ``estimated`` is true when some day whose status decided the result lies in a year the app has no
    official schedule for (no library data, no office override): the UI shows the date as 预计.
    """

    due: date
    days: int
    working_days: bool
    estimated: bool


class WorkdayCalendar:
    """Answers "is this a working day?" from office overrides, the official schedule, or an estimate."""

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        override_years: Iterable[int] = (),
    ) -> None:
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._override_years: frozenset[int] = frozenset(override_years)
        self._library_years: dict[int, bool] = {}
        self._statutory: dict[int, frozenset[date]] = {}

    def is_workday(self, day: date) -> bool:
        """True when ``day`` is a working day (上班日), including make-up working days on weekends."""
        if day in self._overrides:
            return self._overrides[day]
        if day.year in self._override_years:
            return day.weekday() < 5
        if self._library_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5 and day not in self._statutory_holidays(day.year)

    def is_estimated(self, day: date) -> bool:
        """True when :meth:`is_workday` had to guess for ``day``: no override and no official schedule."""
        return day not in self._overrides and day.year not in self._override_years and not self._library_knows(day.year)

    def _library_knows(self, year: int) -> bool:
        known = self._library_years.get(year)
        if known is None:
            try:
                chinese_calendar.is_workday(date(year, 7, 1))
            except NotImplementedError:
                known = False
            else:
                known = True
            self._library_years[year] = known
        return known

    def _statutory_holidays(self, year: int) -> frozenset[date]:
        days = self._statutory.get(year)
        if days is None:
            days = frozenset(country_holidays("CN", years=year).keys())
            self._statutory[year] = days
        return days


@dataclass(frozen=True)
class HolidaySchedule:
    """A year's schedule as an office publishes it (SYNC.md, "Holiday calendars"): the days off (放假) and the
    weekend days that are working days (调休上班). Every other day of the year follows Monday to Friday."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]


def published_calendar(schedules: Iterable[HolidaySchedule]) -> WorkdayCalendar:
    """The working-day calendar with these published years laid over the libraries' (layer 1 above): a year's
    holidays are days off, its make-up days working days, and its other days follow Monday to Friday."""
    overrides: dict[date, bool] = {}
    years: list[int] = []
    for schedule in schedules:
        years.append(schedule.year)
        overrides.update(dict.fromkeys(schedule.holidays, False))
        overrides.update(dict.fromkeys(schedule.workdays, True))
    return WorkdayCalendar(overrides, years)


def schedule_problems(year: int, holidays: Iterable[date], workdays: Iterable[date]) -> list[str]:
    """What is wrong with a year's schedule (Chinese, for the office), or nothing. The one check the office's
    console, the server and every laptop make before a published schedule counts."""
    problems: list[str] = []
    holidays, workdays = sorted(set(holidays)), sorted(set(workdays))
    if not 2000 <= year <= 2100:
        return [f"年份不正确：{year}"]
    if not holidays:
        problems.append(f"{year} 年的节假日安排没有放假日期")
    outside = [day.isoformat() for day in (*holidays, *workdays) if day.year != year]
    if outside:
        problems.append(f"不在 {year} 年内的日期：{'、'.join(outside)}")
    both = sorted(set(holidays) & set(workdays))
    if both:
        problems.append(f"既是放假日又是调休上班日：{'、'.join(day.isoformat() for day in both)}")
    weekdays = [day.isoformat() for day in workdays if day.weekday() < 5]
    if weekdays:
        problems.append(f"调休上班日应是周六或周日（周一至周五本来就上班）：{'、'.join(weekdays)}")
    return problems


def _checked_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError("days must be an int")
    if days < 0:
        raise DeadlineError(f"整改期限天数不能为负数：{days}")
    return days


def compute_deadline(issued: date, days: int, *, working_days: bool, calendar: WorkdayCalendar) -> Deadline:
    """The due date of an item issued on ``issued`` with ``days`` calendar or working days to fix it.

    Counting starts the day after issue (民法典 第二百零一条: 开始的当日不计入，自下一日开始计算), and
    ``days == 0`` means immediately: due on the day of issue.

    Working days: the due date is the ``days``-th working day after ``issued``.

    Calendar days: the due date is ``issued + days``; when that day is not a working day it moves to the next
    working day, because 民法典 第二百零三条 says "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的
    最后一日" — and 法定休假日 is read to include the weekly rest days (the former 民通意见 第一百九十八条 said
    "期间的最后一天是星期日或者其他法定休假日…有变通的，以实际休假日的次日为期间的最后一天"). So a deadline never
    falls on a day off, and a make-up working Saturday (调休上班) is a valid last day.
    """
    days = _checked_days(days)
    if days == 0:
        return Deadline(due=issued, days=0, working_days=working_days, estimated=False)
    try:
        if working_days:
            day, counted, estimated = issued, 0, False
            while counted < days:
                day += _ONE_DAY
                estimated = estimated or calendar.is_estimated(day)
                if calendar.is_workday(day):
                    counted += 1
        else:
            day = issued + timedelta(days=days)
            estimated = calendar.is_estimated(day)
            while not calendar.is_workday(day):
                day += _ONE_DAY
                estimated = estimated or calendar.is_estimated(day)
    except OverflowError:
        raise DeadlineError("整改期限超出可计算的日期范围") from None
    return Deadline(due=day, days=days, working_days=working_days, estimated=estimated)


def working_days_between(start: date, end: date, calendar: WorkdayCalendar) -> int:
    """Working days in ``(start, end]``: how many working days a picked due date gives after ``start``.

    Counted like a deadline (the start day itself does not count), so for ``n >= 1``
    ``working_days_between(d, compute_deadline(d, n, working_days=True, ...).due) == n``. An ``end`` on or
    before ``start`` gives 0.
    """
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if calendar.is_workday(day):
            count += 1
    return count
