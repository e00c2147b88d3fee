"""A wage check's details and gaps in Chinese, as the exported table and the notice's annex print them.

The rules (:mod:`core.wage_rules`) keep a breach's figures by name and a gap's reason as a code, so that each
output words them in its own language: the xlsx export and the annex in Chinese (here), the screens in the
interface language (``app.ui.wage_check_dialog``). One wording per language, never parsed back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from core.labor_math import overtime_pay_due
from core.wage_rules import RULES, Gap, GapReason, Rule, Violation
from core.wage_statements import months_text

__all__ = ["GAP_TEXT", "detail_text", "gap_lines", "gap_text", "week_text", "yuan"]

GAP_TEXT: Final[dict[GapReason, str]] = {
    GapReason.NO_GROSS: "工资表未提供应发工资",
    GapReason.PARTIAL_MONTH: "当月出勤天数少于当月工作日，未按月最低工资标准比较（《最低工资规定》第三条）",
    GapReason.NO_CONTRIBUTIONS: "标准不含个人缴纳社会保险费和住房公积金，工资表未列该项，未予剔除",
    GapReason.NO_PART_TIME_PAY: "非全日制劳动者未提供工资或工作小时数",
    GapReason.NO_HOURLY_RATE: "最低工资标准表未列小时最低工资标准",
    GapReason.NO_MINIMUM: "最低工资标准表未覆盖该月或未选择适用标准",
    GapReason.NO_BASE: "工资表未同时提供基本工资和加班工资",
    GapReason.NO_PAY_DAY: "未填写约定的工资支付日",
    GapReason.NO_PAY_DATE: "工资表未提供发放日期",
    GapReason.NO_AMOUNT: "工资表未提供实发或应发工资",
}
_CENT: Final = Decimal("0.01")


def yuan(value: Decimal | str) -> str:
    """An amount as the tables print it: thousands separated, two decimals (2,330.00)."""
    return f"{Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP):,}"


def week_text(monday: dt.date) -> str:
    sunday = monday + dt.timedelta(days=6)
    return f"{monday.month}月{monday.day}日至{sunday.month}月{sunday.day}日"


def _weeks(text: str) -> list[dt.date]:
    return [dt.date.fromisoformat(day) for day in text.split(",") if day]


def _source(values: dict[str, str]) -> str:
    """The rate compared with, as the published table names it ("测试省第一档（测〔2026〕2号，2026-07-01起执行）")."""
    return f"{values['standard']}（{values['document']}，{values['effective']}起执行）"


def detail_text(violation: Violation) -> str:
    """How the figure of a breach was found, in Chinese ("应发 2,300.00 − 加班工资 200.00 = 2,100.00；…")."""
    values = dict(violation.detail)
    match violation.rule:
        case Rule.MINIMUM_WAGE:
            labels = (("gross", "应发"), ("overtime_pay", "加班工资"), ("allowances", "特殊津贴及福利"),
                      ("contributions", "个人缴纳社保公积金"))  # fmt: skip
            parts = [f"{label} {yuan(values[key])}" for key, label in labels if key in values]
            return f"{' − '.join(parts)} = {yuan(values['compared'])}；{_source(values)}"
        case Rule.HOURLY_MINIMUM:
            return f"{yuan(values['pay'])} ÷ {values['hours']} 小时；{_source(values)}"
        case Rule.DEDUCTION_SHARE:
            return f"当月工资 {yuan(values['wage'])}"
        case Rule.DEDUCTION_MINIMUM:
            return f"{yuan(values['gross'])} − {yuan(values['deduction'])}；{_source(values)}"
        case Rule.OVERTIME_PAY:
            hours = [Decimal(values[key]) for key in ("workday_hours", "rest_day_hours", "holiday_hours")]
            return overtime_pay_due(Decimal(values["base"]), *hours).explanation
        case Rule.LATE_PAYMENT:
            return f"{values['paid_on']} 支付"
        case Rule.UNPAID:
            return f"截至 {values['as_of']} 未支付"
        case Rule.NOT_ON_PAYROLL:
            return "考勤表有出勤记录"
        case Rule.DAILY_OVERTIME:
            return f"超过三小时的天数：{values['days_over']}天"
        case Rule.MONTHLY_OVERTIME:
            return "工资表记载的加班小时数" if values.get("basis") == "payroll" else "按考勤记录计算"
        case Rule.NO_REST_DAY:
            return "、".join(week_text(monday) for monday in _weeks(values["weeks"]))


def gap_text(gap: Gap) -> str:
    """One gap's reason; a worker's short month says its days ("出勤18天，当月工作日22天；…")."""
    if gap.reason is GapReason.PARTIAL_MONTH and gap.figure is not None and gap.limit is not None:
        days = format(gap.figure.normalize(), "f")
        return f"出勤{days}天，当月工作日{int(gap.limit)}天；{GAP_TEXT[gap.reason]}"
    return GAP_TEXT[gap.reason]


def gap_lines(gaps: Iterable[Gap]) -> list[str]:
    """What could not be checked, one line per rule and reason with its months and worker-months."""
    grouped: dict[tuple[Rule, GapReason], list[Gap]] = {}
    for gap in gaps:
        grouped.setdefault((gap.rule, gap.reason), []).append(gap)
    lines = []
    for (rule, reason), found in grouped.items():
        months = months_text(gap.month for gap in found if gap.month)
        count = sum(gap.count for gap in found)
        when = f"{months}，" if months else ""
        lines.append(f"{RULES[rule].title}：{when}{GAP_TEXT[reason]}（{count}人次未核查）")
    return lines
