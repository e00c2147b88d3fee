"""The finding statement a wage check gives each checklist item: who, when and how much, in the notice's words.

"经查，你单位2026年9月有12名劳动者的月工资……低于当地月最低工资标准，差额合计3,460.00元（明细见附件）。"
Every figure in a statement is a sum or a count over the :class:`~core.wage_rules.Violation` rows that remain
after the coordinator's exclusions, so the statement and the annex's table always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.wage_rules import RULES, Rule, Violation

__all__ = ["ItemStatement", "RuleTotals", "format_hours", "format_yuan", "months_text", "statements", "totals"]

_CENT = Decimal("0.01")


def format_yuan(amount: Decimal) -> str:
    """3460 → "3,460.00元" (as an official notice writes money)."""
    return f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):,}元"


def format_hours(value: Decimal) -> str:
    text = format(value.quantize(_CENT, rounding=ROUND_HALF_UP), "f").rstrip("0").rstrip(".")
    return f"{text}小时"


def months_text(months: Iterable[dt.date]) -> str:
    """Months as a reader says them: "2026年9月", "2026年7月至9月", "2025年12月至2026年2月、2026年5月"."""
    ordered = sorted({month.replace(day=1) for month in months})
    if not ordered:
        return ""
    runs: list[tuple[dt.date, dt.date]] = []
    for month in ordered:
        if runs:
            start, end = runs[-1]
            following = dt.date(end.year + end.month // 12, end.month % 12 + 1, 1)
            if month == following:
                runs[-1] = (start, month)
                continue
        runs.append((month, month))
    parts: list[str] = []
    last_year: int | None = None
    for start, end in runs:
        head = f"{start.month}月" if start.year == last_year else f"{start.year}年{start.month}月"
        if start == end:
            parts.append(head)
        elif start.year == end.year:
            parts.append(f"{head}至{end.month}月")
        else:
            parts.append(f"{head}至{end.year}年{end.month}月")
        last_year = end.year
    return "、".join(parts)


@dataclass(frozen=True)
class RuleTotals:
    """One rule's breaches summed: distinct workers, worker-months, months, the total and the largest figure."""

    rule: Rule
    workers: int
    cases: int
    months: tuple[dt.date, ...]
    total: Decimal
    largest_figure: Decimal
    longest_delay: int


def totals(violations: Iterable[Violation]) -> dict[Rule, RuleTotals]:
    grouped: dict[Rule, list[Violation]] = {}
    for violation in violations:
        grouped.setdefault(violation.rule, []).append(violation)
    result: dict[Rule, RuleTotals] = {}
    for rule in Rule:
        rows = grouped.get(rule)
        if not rows:
            continue
        result[rule] = RuleTotals(
            rule,
            workers=len({row.worker for row in rows}),
            cases=len(rows),
            months=tuple(sorted({row.month for row in rows})),
            total=sum((row.shortfall for row in rows), Decimal(0)),
            largest_figure=max(row.figure for row in rows),
            longest_delay=max((row.days_late or 0) for row in rows),
        )
    return result


def _clause(t: RuleTotals, as_of: dt.date) -> str:
    when = months_text(t.months)
    who = f"{t.workers}名劳动者" if t.workers == t.cases else f"{t.workers}名劳动者（共{t.cases}人次）"
    money = format_yuan(t.total)
    match t.rule:
        case Rule.MINIMUM_WAGE:
            return (
                f"{when}有{who}的月工资（剔除延长工作时间工资、特殊工作环境和条件下的津贴及法定福利待遇后）"
                f"低于当地月最低工资标准，差额合计{money}"
            )
        case Rule.HOURLY_MINIMUM:
            return f"{when}有{who}（非全日制用工）的小时工资低于当地小时最低工资标准，差额合计{money}"
        case Rule.DEDUCTION_SHARE:
            return f"{when}有{who}当月被扣除的工资超过当月工资的百分之二十，超出部分合计{money}"
        case Rule.DEDUCTION_MINIMUM:
            return f"{when}有{who}被扣除工资后的剩余工资低于当地月最低工资标准，差额合计{money}"
        case Rule.OVERTIME_PAY:
            return f"{when}有{who}的加班工资低于法定标准，少付合计{money}"
        case Rule.LATE_PAYMENT:
            return f"{when}有{who}的工资未在约定日期支付，涉及金额{money}，最长迟延{t.longest_delay}天"
        case Rule.UNPAID:
            return (
                f"{when}有{who}的工资截至{as_of.year}年{as_of.month}月{as_of.day}日仍未支付，"
                f"拖欠金额合计{money}，最长逾期{t.longest_delay}天"
            )
        case Rule.NOT_ON_PAYROLL:
            return f"{when}有{who}有出勤记录而工资表中无其当月工资"
        case Rule.DAILY_OVERTIME:
            return f"{when}有{who}单日延长工作时间超过三小时，单日最长延长{format_hours(t.largest_figure)}"
        case Rule.MONTHLY_OVERTIME:
            return f"{when}有{who}月延长工作时间超过三十六小时，最多的达{format_hours(t.largest_figure)}"
        case Rule.NO_REST_DAY:
            return f"{when}有{who}共计{int(t.total)}周未休息（每周未休息一日）"


@dataclass(frozen=True)
class ItemStatement:
    """The statement for one checklist item, with the rule totals it sums."""

    item_id: str
    text: str
    rules: tuple[RuleTotals, ...]


def statements(violations: Sequence[Violation], as_of: dt.date) -> dict[str, ItemStatement]:
    """One statement per checklist item that has breaches, in the order of :data:`~core.wage_rules.RULES`."""
    by_rule = totals(violations)
    items: dict[str, list[RuleTotals]] = {}
    for rule, info in RULES.items():
        if rule in by_rule:
            items.setdefault(info.item_id, []).append(by_rule[rule])
    return {
        item_id: ItemStatement(
            item_id,
            "经查，你单位" + "；".join(_clause(t, as_of) for t in rule_totals) + "（明细见附件）。",
            tuple(rule_totals),
        )
        for item_id, rule_totals in items.items()
    }
