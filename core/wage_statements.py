"""What a wage check says to the checklist items: the facts their finding statements are filled with.

The statements themselves are in the templates (``finding`` of WAGE-01/04/06/07 and HOURS-02/03, e.g.
"经查，你单位{underpaid_months}有{underpaid_workers}名提供正常劳动的劳动者月工资低于当地月最低工资标准，差额合计
{underpaid_total:money}元，明细见附件。"), chosen and filled by :func:`core.statements.choose_statement` like
every other finding; the facts are declared in ``inputs.yaml`` (``facts``). This module computes them: for each
rule with breaches, under the rule's prefix (:data:`FACT_PREFIX`),

* ``<prefix>_months`` and ``<prefix>_months_en`` — the months of the breaches as a reader says them
  ("2026年7月至9月" / "July to September 2026"),
* ``<prefix>_workers`` — how many workers (a worker counts once however many months),
* ``<prefix>_total`` — the money owed or exceeded in total (rules about money),
* ``<prefix>_days`` — the longest delay in days (late and unpaid wages),
* ``<prefix>_hours`` — the largest overtime found (daily and monthly overtime),
* ``<prefix>_weeks`` — the weeks without a rest day in total,

and for unpaid wages the day they were still unpaid on (``unpaid_as_of``, ``unpaid_as_of_en``). Every figure is
a sum or a count over the :class:`~core.wage_rules.Violation` rows left after the coordinator's exclusions, so the
statement and the annex's table always agree. Nothing here reads a database or the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from core.statements import FactValue
from core.wage_rules import RULES, Rule, Violation

__all__ = ["FACT_PREFIX", "evidence_facts", "months_text", "months_text_en"]

FACT_PREFIX: Final[dict[Rule, str]] = {
    Rule.MINIMUM_WAGE: "underpaid",
    Rule.HOURLY_MINIMUM: "hourly_underpaid",
    Rule.DEDUCTION_SHARE: "over_deducted",
    Rule.DEDUCTION_MINIMUM: "deducted_below_minimum",
    Rule.OVERTIME_PAY: "overtime_underpaid",
    Rule.LATE_PAYMENT: "late_paid",
    Rule.UNPAID: "unpaid",
    Rule.NOT_ON_PAYROLL: "unlisted",
    Rule.DAILY_OVERTIME: "long_day",
    Rule.MONTHLY_OVERTIME: "long_month",
    Rule.NO_REST_DAY: "no_rest",
}
_DAYS: Final = frozenset({Rule.LATE_PAYMENT, Rule.UNPAID})
_HOURS: Final = frozenset({Rule.DAILY_OVERTIME, Rule.MONTHLY_OVERTIME})
_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _runs(months: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive months joined: [(first, last), …] in order."""
    runs: list[tuple[dt.date, dt.date]] = []
    for month in sorted({month.replace(day=1) for month in months}):
        if runs:
            start, end = runs[-1]
            following = dt.date(end.year + end.month // 12, end.month % 12 + 1, 1)
            if month == following:
                runs[-1] = (start, month)
                continue
        runs.append((month, month))
    return runs


def months_text(months: Iterable[dt.date]) -> str:
    """Months as a reader says them: "2026年9月", "2026年7月至9月", "2025年12月至2026年2月、5月"."""
    parts: list[str] = []
    last_year: int | None = None
    for start, end in _runs(months):
        head = f"{start.month}月" if start.year == last_year else f"{start.year}年{start.month}月"
        if start == end:
            parts.append(head)
        elif start.year == end.year:
            parts.append(f"{head}至{end.month}月")
        else:
            parts.append(f"{head}至{end.year}年{end.month}月")
        last_year = end.year
    return "、".join(parts)


def months_text_en(months: Iterable[dt.date]) -> str:
    """The same in English: "September 2026", "July to September 2026", "December 2025 to February 2026, May 2026"."""
    parts: list[str] = []
    for start, end in _runs(months):
        first, last = _MONTH_NAMES[start.month - 1], _MONTH_NAMES[end.month - 1]
        if start == end:
            parts.append(f"{first} {start.year}")
        elif start.year == end.year:
            parts.append(f"{first} to {last} {end.year}")
        else:
            parts.append(f"{first} {start.year} to {last} {end.year}")
    return ", ".join(parts)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def evidence_facts(violations: Iterable[Violation], as_of: dt.date) -> dict[str, dict[str, FactValue]]:
    """The facts of every checklist item that has breaches, by item id (items without breaches are absent)."""
    grouped: dict[Rule, list[Violation]] = {}
    for violation in violations:
        grouped.setdefault(violation.rule, []).append(violation)
    facts: dict[str, dict[str, FactValue]] = {}
    for rule in Rule:
        rows = grouped.get(rule)
        if not rows:
            continue
        prefix = FACT_PREFIX[rule]
        months = [row.month for row in rows]
        values: dict[str, FactValue] = {
            f"{prefix}_months": months_text(months),
            f"{prefix}_months_en": months_text_en(months),
            f"{prefix}_workers": len({row.worker for row in rows}),
        }
        if RULES[rule].money:
            values[f"{prefix}_total"] = _number(sum((row.shortfall for row in rows), Decimal(0)))
        if rule in _DAYS:
            values[f"{prefix}_days"] = max((row.days_late or 0) for row in rows)
        if rule in _HOURS:
            values[f"{prefix}_hours"] = _number(max(row.figure for row in rows))
        if rule is Rule.NO_REST_DAY:
            values[f"{prefix}_weeks"] = int(sum((row.shortfall for row in rows), Decimal(0)))
        if rule is Rule.UNPAID:
            values["unpaid_as_of"] = f"{as_of.year}年{as_of.month}月{as_of.day}日"
            values["unpaid_as_of_en"] = f"{as_of.day} {_MONTH_NAMES[as_of.month - 1]} {as_of.year}"
        facts.setdefault(RULES[rule].item_id, {}).update(values)
    return facts
