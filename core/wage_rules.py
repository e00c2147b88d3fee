"""Every worker, every month: the wage and working-time rules checked on an enterprise's own records.

The app reads the payroll (工资表) and attendance (考勤) sheets into the plain records below; this module decides,
for each worker-month, whether the law was kept, and returns each breach as a :class:`Violation` with its figure,
the legal line and the shortfall, plus the :class:`Gap` list of what could not be checked and why. Nothing here
reads a file, a database or the clock: the laptop and the server decide identically.

The legal lines come from :mod:`core.labor_math` (one definition of each) and the minimum wage from the office's
published table (:mod:`core.minimum_wage`). What is checked, and on which article:

* 最低工资规定 第十二条 — a full-time worker's month, after leaving out overtime pay, the allowances for middle and
  night shifts, high and low temperature, underground, toxic and hazardous work, and statutory welfare (and, where
  the region's published row says its minimum excludes them, the worker's own social-insurance and housing-fund
  contributions), must not be below the monthly minimum. A month whose attendance shows less than the month's
  working days is not compared (第三条: the minimum is the pay for normal work over the full working time); such
  months are listed by worker as not checked, with their days. Nor is a month the table does not cover.
  Part-time work (劳动合同法 第七十二条; 最低工资规定 第五条) is compared per hour.
* 工资支付暂行规定 第十六条 — a month's deduction for losses must not exceed 20% of that month's wage, and what is
  left must not fall below the monthly minimum.
* 劳动法 第四十四条 — overtime pay at least 150% / 200% / 300% of the hourly wage (月工资 ÷ 21.75 ÷ 8,
  劳社部发〔2008〕3号) for workday, rest-day and statutory-holiday hours, where the base and the hours are given.
  A shortfall under one yuan is the enterprise's rounding of the hourly rate, not a finding.
* 工资支付暂行规定 第七条 — wages on the agreed day (brought forward to the last working day before a rest day or
  holiday); a later payment is late by the calendar days between; a month with no payment by the day of the
  check is unpaid (欠薪) and overdue by the days since it was due.
* 劳动法 第三十六条、第四十一条 — from attendance: work beyond 8 hours a day, or beyond 40 hours in a week
  (国务院关于职工工作时间的规定 第三条), is overtime; more than 3 hours of it on one day, or more than 36 hours in a
  month, breaks the limits. 第三十八条 — a calendar week (Monday to Sunday) with work on all seven days had no
  rest day. Weeks are attributed to the month that holds their Thursday (as ISO weeks are to years).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from core.labor_math import (
    DAILY_OVERTIME_LIMIT,
    MONTHLY_OVERTIME_LIMIT,
    STANDARD_DAY_HOURS,
    STANDARD_WEEK_HOURS,
    deduction_share,
    exceeds_daily_overtime,
    exceeds_monthly_overtime,
    overtime_pay_due,
    wage_after_deduction,
)
from core.minimum_wage import MinimumWageTable, MonthlyMinimum, minimum_for_month
from core.workdays import WorkdayCalendar

__all__ = [
    "DETAIL_KEYS",
    "OVERTIME_PAY_TOLERANCE",
    "RULES",
    "AttendanceMonth",
    "CheckSettings",
    "Detail",
    "Gap",
    "GapReason",
    "PayrollMonth",
    "Rule",
    "RuleInfo",
    "Violation",
    "attendance_months",
    "check_attendance",
    "check_payroll",
    "due_date",
    "hours",
    "month_start",
    "worked_minutes",
]

CENT: Final = Decimal("0.01")
OVERTIME_PAY_TOLERANCE: Final = Decimal("1.00")
"""A shortfall of overtime pay below this is the rounding of an hourly rate, not a finding."""
DAY_MINUTES: Final = int(STANDARD_DAY_HOURS * 60)
WEEK_MINUTES: Final = int(STANDARD_WEEK_HOURS * 60)
DAILY_LIMIT_MINUTES: Final = int(DAILY_OVERTIME_LIMIT * 60)


Detail = tuple[tuple[str, str], ...]
"""A breach's figures by name, as text (amounts and hours as decimals, days as ISO dates, the table's document)."""
DETAIL_KEYS: Final = (
    "gross", "overtime_pay", "allowances", "contributions", "compared", "standard", "document", "effective",
    "pay", "hours", "wage",
    "deduction", "base", "workday_hours", "rest_day_hours", "holiday_hours", "paid_on", "as_of", "days_over",
    "basis", "weeks",
)  # fmt: skip


class Rule(enum.StrEnum):
    MINIMUM_WAGE = "minimum_wage"
    HOURLY_MINIMUM = "hourly_minimum"
    DEDUCTION_SHARE = "deduction_share"
    DEDUCTION_MINIMUM = "deduction_minimum"
    OVERTIME_PAY = "overtime_pay"
    LATE_PAYMENT = "late_payment"
    UNPAID = "unpaid"
    NOT_ON_PAYROLL = "not_on_payroll"
    DAILY_OVERTIME = "daily_overtime"
    MONTHLY_OVERTIME = "monthly_overtime"
    NO_REST_DAY = "no_rest_day"


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is called, which checklist item it feeds, its legal basis and how its figures are labelled."""

    item_id: str
    title: str
    citation: str
    figure: str
    limit: str
    shortfall: str
    unit: str
    money: bool


RULES: Final[dict[Rule, RuleInfo]] = {
    Rule.MINIMUM_WAGE: RuleInfo(
        "WAGE-04",
        "月工资低于当地月最低工资标准",
        "《劳动法》第四十八条；《最低工资规定》第十二条",
        "计入比较的工资",
        "月最低工资标准",
        "差额",
        "元",
        True,
    ),
    Rule.HOURLY_MINIMUM: RuleInfo(
        "WAGE-04",
        "非全日制用工小时工资低于当地小时最低工资标准",
        "《劳动合同法》第七十二条；《最低工资规定》第五条",
        "小时工资",
        "小时最低工资标准",
        "差额",
        "元",
        True,
    ),
    Rule.DEDUCTION_SHARE: RuleInfo(
        "WAGE-07",
        "每月扣除工资超过当月工资的百分之二十",
        "《工资支付暂行规定》第十六条",
        "扣除金额",
        "当月工资的20%",
        "超出部分",
        "元",
        True,
    ),
    Rule.DEDUCTION_MINIMUM: RuleInfo(
        "WAGE-07",
        "扣除后的剩余工资低于当地月最低工资标准",
        "《工资支付暂行规定》第十六条",
        "扣除后剩余工资",
        "月最低工资标准",
        "差额",
        "元",
        True,
    ),
    Rule.OVERTIME_PAY: RuleInfo(
        "WAGE-06",
        "加班工资低于法定标准",
        "《劳动法》第四十四条",
        "实付加班工资",
        "应付加班工资",
        "少付",
        "元",
        True,
    ),
    Rule.LATE_PAYMENT: RuleInfo(
        "WAGE-01",
        "工资未在约定日期支付",
        "《工资支付暂行规定》第七条",
        "工资金额",
        "应支付日期",
        "迟延金额",
        "元",
        True,
    ),
    Rule.UNPAID: RuleInfo(
        "WAGE-01",
        "工资逾期未支付",
        "《劳动法》第五十条；《工资支付暂行规定》第七条",
        "工资金额",
        "应支付日期",
        "拖欠金额",
        "元",
        True,
    ),
    Rule.NOT_ON_PAYROLL: RuleInfo(
        "WAGE-01",
        "有出勤记录而工资表中无当月工资",
        "《劳动法》第五十条；《工资支付暂行规定》第七条",
        "出勤天数",
        "—",
        "出勤天数",
        "天",
        False,
    ),
    Rule.DAILY_OVERTIME: RuleInfo(
        "HOURS-03",
        "单日延长工作时间超过三小时",
        "《劳动法》第三十六条、第四十一条",
        "单日最长延长工作时间",
        "每日上限",
        "超出",
        "小时",
        False,
    ),
    Rule.MONTHLY_OVERTIME: RuleInfo(
        "HOURS-03",
        "月延长工作时间超过三十六小时",
        "《劳动法》第三十六条、第四十一条",
        "当月延长工作时间",
        "每月上限",
        "超出",
        "小时",
        False,
    ),
    Rule.NO_REST_DAY: RuleInfo(
        "HOURS-02",
        "未保证每周至少休息一日",
        "《劳动法》第三十八条",
        "未休息的周数",
        "—",
        "未休息的周数",
        "周",
        False,
    ),
}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def hours(minutes: int) -> Decimal:
    """Minutes as hours for display and comparison (two decimals; decisions compare exact minutes first)."""
    return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


# --- records ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PayrollMonth:
    """One worker's pay for one month as the payroll states it (amounts in yuan; None where not given).

    ``excluded_allowances`` holds what 最低工资规定 第十二条 (二) and (三) leave out (special-condition allowances
    and statutory welfare); ``personal_contributions`` the worker's own social insurance and housing fund;
    ``deduction`` only deductions for losses under 第十六条 (not tax or social insurance, which 第十五条 allows).
    ``pay_date_given`` is true when the sheet records payment dates at all, so a blank one means "not paid".
    """

    worker: int
    month: dt.date
    gross: Decimal | None = None
    net: Decimal | None = None
    base: Decimal | None = None
    overtime_pay: Decimal | None = None
    excluded_allowances: Decimal = Decimal(0)
    personal_contributions: Decimal | None = None
    deduction: Decimal | None = None
    workday_overtime_hours: Decimal | None = None
    rest_day_overtime_hours: Decimal | None = None
    holiday_overtime_hours: Decimal | None = None
    attendance_days: Decimal | None = None
    part_time: bool = False
    hours_worked: Decimal | None = None
    pay_date: dt.date | None = None
    pay_date_given: bool = False

    @property
    def overtime_hours(self) -> Decimal | None:
        given = [
            v
            for v in (self.workday_overtime_hours, self.rest_day_overtime_hours, self.holiday_overtime_hours)
            if v is not None
        ]
        return sum(given, Decimal(0)) if given else None


@dataclass(frozen=True, slots=True)
class AttendanceMonth:
    """One worker's month of attendance, from daily records (minutes are exact)."""

    worker: int
    month: dt.date
    days_worked: int
    overtime_minutes: int
    max_daily_overtime_minutes: int
    days_over_daily_limit: int
    weeks_without_rest: tuple[dt.date, ...] = ()
    """The Mondays of weeks (attributed to this month) with work on all seven days."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One breach: whose, which month, the figure found, the legal line, and what is owed or exceeded."""

    rule: Rule
    worker: int
    month: dt.date
    figure: Decimal
    limit: Decimal
    shortfall: Decimal
    days_late: int | None = None
    due: dt.date | None = None
    detail: Detail = ()
    """The figures behind the finding, by name (:data:`DETAIL_KEYS`); :func:`core.wage_wording.detail_text`
    words them in Chinese for the exported table, the screens word them in the interface language."""


class GapReason(enum.StrEnum):
    """Why a rule could not judge a worker-month (worded by :data:`core.wage_wording.GAP_TEXT`)."""

    NO_GROSS = "no_gross"
    PARTIAL_MONTH = "partial_month"
    NO_CONTRIBUTIONS = "no_contributions"
    NO_PART_TIME_PAY = "no_part_time_pay"
    NO_HOURLY_RATE = "no_hourly_rate"
    NO_MINIMUM = "no_minimum"
    NO_BASE = "no_base"
    NO_PAY_DAY = "no_pay_day"
    NO_PAY_DATE = "no_pay_date"
    NO_AMOUNT = "no_amount"


@dataclass(frozen=True)
class Gap:
    """What could not be checked: a rule, the month (None: every month) and the reason, for ``count`` worker-months.

    A gap that concerns one worker's month names the worker and its figures: a month with fewer attendance days
    (``figure``) than the month's working days (``limit``) is not compared with the monthly minimum, and the
    coordinator sees whose month it was rather than a count.
    """

    rule: Rule
    month: dt.date | None
    reason: GapReason
    count: int = 1
    worker: int | None = None
    figure: Decimal | None = None
    limit: Decimal | None = None


@dataclass(frozen=True)
class CheckSettings:
    """What a check needs besides the sheets: the minimum-wage table and grade, the agreed pay day, the day of the
    check, the working-day calendar (pay days before rest days, a month's working days), the meal break."""

    as_of: dt.date
    minimum_table: MinimumWageTable | None = None
    grade: str | None = None
    pay_day: int | None = None
    pay_month_offset: int = 1
    calendar: WorkdayCalendar = field(default_factory=WorkdayCalendar)

    def minimum(self, month: dt.date) -> MonthlyMinimum | None:
        if self.minimum_table is None or not self.grade:
            return None
        return minimum_for_month(self.minimum_table, self.grade, month)


# --- pay dates -------------------------------------------------------------------------------------------------


def due_date(month: dt.date, pay_day: int, offset: int, workdays: WorkdayCalendar) -> dt.date:
    """The day a month's wages are due: ``pay_day`` of the month ``offset`` months later (the month's last day
    when shorter), brought forward to the nearest working day before a rest day or holiday (第七条)."""
    target = _add_months(month_start(month), offset)
    day = target.replace(day=min(pay_day, calendar.monthrange(target.year, target.month)[1]))
    earliest = day - dt.timedelta(days=31)
    while not workdays.is_workday(day) and day > earliest:
        day -= dt.timedelta(days=1)
    return day


def _working_days(month: dt.date, workdays: WorkdayCalendar) -> int:
    first, last = month_start(month), _month_end(month)
    return sum(1 for n in range((last - first).days + 1) if workdays.is_workday(first + dt.timedelta(days=n)))


# --- payroll ---------------------------------------------------------------------------------------------------


class _Gaps:
    def __init__(self) -> None:
        self.counts: dict[tuple[Rule, dt.date | None, GapReason], int] = {}
        self.named: list[Gap] = []

    def add(self, rule: Rule, month: dt.date | None, reason: GapReason) -> None:
        key = (rule, month, reason)
        self.counts[key] = self.counts.get(key, 0) + 1

    def add_worker(self, gap: Gap) -> None:
        self.named.append(gap)

    def items(self) -> list[Gap]:
        counted = [Gap(rule, month, reason, count) for (rule, month, reason), count in self.counts.items()]
        return counted + self.named


def _source(minimum: MonthlyMinimum) -> Detail:
    """Which published rate a month was compared with: the region and grade, the document, the day in force."""
    return (
        ("standard", f"{minimum.region}{minimum.grade}"),
        ("document", minimum.document),
        ("effective", minimum.effective_from.isoformat()),
    )


def _days_worked(record: PayrollMonth, attendance: AttendanceMonth | None) -> Decimal | None:
    if record.attendance_days is not None:
        return record.attendance_days
    return Decimal(attendance.days_worked) if attendance is not None else None


def _minimum_wage(
    record: PayrollMonth,
    minimum: MonthlyMinimum,
    gaps: _Gaps,
    out: list[Violation],
    days: Decimal | None,
    required: int,
) -> None:
    if record.gross is None:
        gaps.add(Rule.MINIMUM_WAGE, record.month, GapReason.NO_GROSS)
        return
    if days is not None and days < required:  # 最低工资规定 第三条: the minimum presumes the full working time
        gaps.add_worker(
            Gap(Rule.MINIMUM_WAGE, record.month, GapReason.PARTIAL_MONTH, 1, record.worker, days, Decimal(required))
        )
        return
    compared = record.gross - (record.overtime_pay or 0) - record.excluded_allowances
    detail: list[tuple[str, str]] = [("gross", str(record.gross))]
    if record.overtime_pay:
        detail.append(("overtime_pay", str(record.overtime_pay)))
    if record.excluded_allowances:
        detail.append(("allowances", str(record.excluded_allowances)))
    if minimum.excludes_personal_contributions:
        if record.personal_contributions is None:
            gaps.add(Rule.MINIMUM_WAGE, record.month, GapReason.NO_CONTRIBUTIONS)
        else:
            compared -= record.personal_contributions
            if record.personal_contributions:
                detail.append(("contributions", str(record.personal_contributions)))
    if compared < minimum.monthly:
        detail += [("compared", str(compared)), *_source(minimum)]
        out.append(
            Violation(
                Rule.MINIMUM_WAGE,
                record.worker,
                record.month,
                compared,
                minimum.monthly,
                minimum.monthly - compared,
                detail=tuple(detail),
            )
        )


def _hourly_minimum(record: PayrollMonth, minimum: MonthlyMinimum, gaps: _Gaps, out: list[Violation]) -> None:
    pay = record.gross if record.gross is not None else record.net
    if pay is None or not record.hours_worked:
        gaps.add(Rule.HOURLY_MINIMUM, record.month, GapReason.NO_PART_TIME_PAY)
        return
    if minimum.hourly is None:
        gaps.add(Rule.HOURLY_MINIMUM, record.month, GapReason.NO_HOURLY_RATE)
        return
    owed = minimum.hourly * record.hours_worked
    if pay < owed:
        figure = (pay / record.hours_worked).quantize(CENT, rounding=ROUND_HALF_UP)
        detail = (("pay", str(pay)), ("hours", str(record.hours_worked)), *_source(minimum))
        out.append(
            Violation(
                Rule.HOURLY_MINIMUM,
                record.worker,
                record.month,
                figure,
                minimum.hourly,
                (owed - pay).quantize(CENT, rounding=ROUND_HALF_UP),
                detail=detail,
            )
        )


def _deductions(record: PayrollMonth, minimum: MonthlyMinimum | None, gaps: _Gaps, out: list[Violation]) -> None:
    if not record.deduction:
        return
    if record.gross is None:
        gaps.add(Rule.DEDUCTION_SHARE, record.month, GapReason.NO_GROSS)
        return
    share = deduction_share(record.gross, record.deduction)
    if share.exceeds:
        limit = (record.gross / 5).quantize(CENT, rounding=ROUND_HALF_UP)
        out.append(
            Violation(
                Rule.DEDUCTION_SHARE,
                record.worker,
                record.month,
                record.deduction,
                limit,
                record.deduction - record.gross / 5,
                detail=(("wage", str(record.gross)),),
            )
        )
    if record.part_time:
        return
    if minimum is None:
        gaps.add(Rule.DEDUCTION_MINIMUM, record.month, GapReason.NO_MINIMUM)
        return
    remaining = wage_after_deduction(record.gross, record.deduction, minimum.monthly)
    if remaining.below_minimum:
        out.append(
            Violation(
                Rule.DEDUCTION_MINIMUM,
                record.worker,
                record.month,
                remaining.remaining,
                minimum.monthly,
                minimum.monthly - remaining.remaining,
                detail=(("gross", str(record.gross)), ("deduction", str(record.deduction)), *_source(minimum)),
            )
        )


def _overtime_pay(record: PayrollMonth, gaps: _Gaps, out: list[Violation]) -> None:
    total = record.overtime_hours
    if not total:
        return
    if record.base is None or record.overtime_pay is None:
        gaps.add(Rule.OVERTIME_PAY, record.month, GapReason.NO_BASE)
        return
    due = overtime_pay_due(
        record.base,
        record.workday_overtime_hours or Decimal(0),
        record.rest_day_overtime_hours or Decimal(0),
        record.holiday_overtime_hours or Decimal(0),
    )
    if due.amount - record.overtime_pay >= OVERTIME_PAY_TOLERANCE:
        out.append(
            Violation(
                Rule.OVERTIME_PAY,
                record.worker,
                record.month,
                record.overtime_pay,
                due.amount,
                due.amount - record.overtime_pay,
                detail=(
                    ("base", str(record.base)),
                    ("workday_hours", str(record.workday_overtime_hours or 0)),
                    ("rest_day_hours", str(record.rest_day_overtime_hours or 0)),
                    ("holiday_hours", str(record.holiday_overtime_hours or 0)),
                ),
            )
        )


_DUE: dict[tuple[dt.date, int, int, int], dt.date] = {}


def _due_cached(month: dt.date, settings: CheckSettings) -> dt.date:
    assert settings.pay_day is not None
    key = (month, settings.pay_day, settings.pay_month_offset, id(settings.calendar))
    found = _DUE.get(key)
    if found is None:
        found = _DUE[key] = due_date(month, settings.pay_day, settings.pay_month_offset, settings.calendar)
    return found


def _pay_date(record: PayrollMonth, settings: CheckSettings, gaps: _Gaps, out: list[Violation]) -> None:
    if settings.pay_day is None:
        gaps.add(Rule.LATE_PAYMENT, None, GapReason.NO_PAY_DAY)
        return
    if not record.pay_date_given:
        gaps.add(Rule.LATE_PAYMENT, record.month, GapReason.NO_PAY_DATE)
        return
    amount = record.net if record.net is not None else record.gross
    if amount is None:
        gaps.add(Rule.LATE_PAYMENT, record.month, GapReason.NO_AMOUNT)
        return
    due = _due_cached(record.month, settings)
    if record.pay_date is not None:
        late = (record.pay_date - due).days
        if late > 0:
            out.append(
                Violation(
                    Rule.LATE_PAYMENT,
                    record.worker,
                    record.month,
                    amount,
                    Decimal(0),
                    amount,
                    days_late=late,
                    due=due,
                    detail=(("paid_on", record.pay_date.isoformat()),),
                )
            )
    elif settings.as_of > due and amount > 0:
        out.append(
            Violation(
                Rule.UNPAID,
                record.worker,
                record.month,
                amount,
                Decimal(0),
                amount,
                days_late=(settings.as_of - due).days,
                due=due,
                detail=(("as_of", settings.as_of.isoformat()),),
            )
        )


def check_payroll(
    records: Iterable[PayrollMonth],
    settings: CheckSettings,
    attendance: Mapping[tuple[int, dt.date], AttendanceMonth] | None = None,
) -> tuple[list[Violation], list[Gap]]:
    """Check every payroll worker-month; returns the breaches (in input order) and what was not checked."""
    out: list[Violation] = []
    gaps = _Gaps()
    attendance = attendance or {}
    required: dict[dt.date, int] = {}
    minimums: dict[dt.date, MonthlyMinimum | None] = {}
    for record in records:
        month = record.month
        if month not in minimums:
            minimums[month] = settings.minimum(month)
            required[month] = _working_days(month, settings.calendar)
        minimum = minimums[month]
        seen = attendance.get((record.worker, month))
        if minimum is None:
            rule = Rule.HOURLY_MINIMUM if record.part_time else Rule.MINIMUM_WAGE
            gaps.add(rule, month, GapReason.NO_MINIMUM)
        elif record.part_time:
            _hourly_minimum(record, minimum, gaps, out)
        else:
            _minimum_wage(record, minimum, gaps, out, _days_worked(record, seen), required[month])
        _deductions(record, minimum, gaps, out)
        _overtime_pay(record, gaps, out)
        _pay_date(record, settings, gaps, out)
        payroll_hours = record.overtime_hours
        if payroll_hours is not None and seen is None and exceeds_monthly_overtime(payroll_hours):
            out.append(
                Violation(
                    Rule.MONTHLY_OVERTIME,
                    record.worker,
                    month,
                    payroll_hours,
                    MONTHLY_OVERTIME_LIMIT,
                    payroll_hours - MONTHLY_OVERTIME_LIMIT,
                    detail=(("basis", "payroll"),),
                )
            )
    return out, gaps.items()


# --- attendance ------------------------------------------------------------------------------------------------


def worked_minutes(first: int, last: int, break_minutes: int) -> int:
    """Minutes worked on a day from its first and last punch (minutes after midnight; a last punch before the
    first is taken as after midnight), less the meal break. Never negative."""
    span = last - first if last >= first else last + 1440 - first
    return max(0, span - break_minutes)


def _thursday_month(ordinal: int) -> dt.date:
    day = dt.date.fromordinal(ordinal)
    thursday = day + dt.timedelta(days=3 - day.weekday())
    return thursday.replace(day=1)


def attendance_months(
    worker: int,
    days: Sequence[tuple[int, int, int]],
    period: tuple[int, int],
    month_of: dict[int, dt.date] | None = None,
) -> Iterator[AttendanceMonth]:
    """A worker's months from their days ``(ordinal, minutes worked, overtime minutes or -1)``, sorted by day.

    Overtime is what the record gives (a daily overtime column) or else the minutes beyond eight a day, plus the
    regular minutes beyond forty in the week (Monday to Sunday), counted on the day they happen. ``period`` is the
    first and last ordinal the attendance covers: only weeks wholly inside it are judged for a rest day.
    ``month_of`` may be shared between calls as a cache of each day's month.
    """
    cache = month_of if month_of is not None else {}
    months: dict[dt.date, list[int]] = {}
    weeks: dict[int, int] = {}
    week_regular = 0
    current_week = -1
    for ordinal, worked, given in days:
        monday = ordinal - (ordinal - 1) % 7  # date.fromordinal(1) is a Monday
        if monday != current_week:
            current_week, week_regular = monday, 0
        if worked <= 0 and given <= 0:
            continue
        weeks[monday] = weeks.get(monday, 0) + 1
        month = cache.get(ordinal)
        if month is None:
            month = cache[ordinal] = dt.date.fromordinal(ordinal).replace(day=1)
        if given >= 0:
            daily, weekly = given, 0
        else:
            daily = worked - DAY_MINUTES if worked > DAY_MINUTES else 0
            before = week_regular
            week_regular += worked - daily
            weekly = (week_regular - WEEK_MINUTES if week_regular > WEEK_MINUTES else 0) - (
                before - WEEK_MINUTES if before > WEEK_MINUTES else 0
            )
        figures = months.get(month)
        if figures is None:
            figures = months[month] = [0, 0, 0, 0]
        figures[0] += 1
        figures[1] += daily + weekly
        if daily > figures[2]:
            figures[2] = daily
        if daily > DAILY_LIMIT_MINUTES:
            figures[3] += 1
    start, end = period
    restless: dict[dt.date, list[dt.date]] = {}
    for monday, count in weeks.items():
        if count >= 7 and monday >= start and monday + 6 <= end:
            restless.setdefault(_thursday_month(monday), []).append(dt.date.fromordinal(monday))
    for month in sorted(set(months) | set(restless)):
        figures = months.get(month, [0, 0, 0, 0])
        yield AttendanceMonth(
            worker, month, figures[0], figures[1], figures[2], figures[3], tuple(sorted(restless.get(month, ())))
        )


def check_attendance(
    months: Iterable[AttendanceMonth], payroll_overtime: Mapping[tuple[int, dt.date], Decimal] | None = None
) -> list[Violation]:
    """Working-time breaches from attendance. A month whose payroll states its overtime hours is judged for the
    monthly limit on the payroll's figure (:func:`check_payroll`), not on hours computed from punches."""
    payroll_overtime = payroll_overtime or {}
    out: list[Violation] = []
    for month in months:
        daily = hours(month.max_daily_overtime_minutes)
        if exceeds_daily_overtime(Decimal(month.max_daily_overtime_minutes) / 60):
            out.append(
                Violation(
                    Rule.DAILY_OVERTIME,
                    month.worker,
                    month.month,
                    daily,
                    DAILY_OVERTIME_LIMIT,
                    daily - DAILY_OVERTIME_LIMIT,
                    detail=(("days_over", str(month.days_over_daily_limit)),),
                )
            )
        if (month.worker, month.month) not in payroll_overtime:
            total = Decimal(month.overtime_minutes) / 60
            if exceeds_monthly_overtime(total):
                shown = hours(month.overtime_minutes)
                out.append(
                    Violation(
                        Rule.MONTHLY_OVERTIME,
                        month.worker,
                        month.month,
                        shown,
                        MONTHLY_OVERTIME_LIMIT,
                        shown - MONTHLY_OVERTIME_LIMIT,
                        detail=(("basis", "attendance"),),
                    )
                )
        if month.weeks_without_rest:
            count = Decimal(len(month.weeks_without_rest))
            weeks = ",".join(monday.isoformat() for monday in month.weeks_without_rest)
            detail = (("weeks", weeks),)
            out.append(Violation(Rule.NO_REST_DAY, month.worker, month.month, count, Decimal(0), count, detail=detail))
    return out
