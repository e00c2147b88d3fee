"""The statement of what was found (经查，你单位……。), chosen from a template item's ``finding`` by a visit's facts.

A template item lists its statements in order of preference (:class:`core.checklist_schema.Statement`). The first
one whose ``when`` condition holds and whose placeholders all have values is the finding printed on the notice;
the last one has neither, so there is always a statement. The values come from any source: the visit inputs and
derived values, the item's computed figures, and facts another part of the app supplies — payroll and attendance
evidence, for instance, can pass ``{"underpaid_workers": 12, "underpaid_total": 3460, "payroll_month": "2026年9月"}``
and a statement "经查，你单位{payroll_month}有{underpaid_workers}名劳动者实发工资低于当地月最低工资标准，差额合计
{underpaid_total:money}元。" is printed with them. Nothing here reads a database: the laptop and the server word a
finding identically.

Numbers are written as official documents write them: whole numbers plainly (3, 1200), other numbers with one
decimal (4.5, 14.3), amounts (``:money``) with thousands separators and at most two decimals (3,460; 2,537.50).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeAlias

from core.checklist_schema import PLACEHOLDER, Item, compile_expression, statement_placeholders
from core.expressions import EvaluationError, Value, evaluate

__all__ = ["ChosenStatement", "FactValue", "choose_statement", "fill", "format_value"]

FactValue: TypeAlias = bool | int | float | str | None


@dataclass(frozen=True, slots=True)
class ChosenStatement:
    """The statement printed for a finding, in Chinese and English; ``index`` is its place in the template."""

    zh: str
    en: str
    index: int


def _decimal(value: int | float, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def format_value(value: FactValue, spec: str = "") -> str:
    """A value as a notice writes it (see the module docstring); text is written as given."""
    if value is None or isinstance(value, bool):
        raise ValueError("a statement cannot print an unknown or yes/no value")
    if isinstance(value, str):
        return value
    if spec == "money":
        amount = _decimal(value, 2)
        whole = amount == amount.to_integral_value()
        return f"{int(amount):,}" if whole else f"{amount:,.2f}"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    rounded = _decimal(value, 1)
    return str(int(rounded)) if rounded == rounded.to_integral_value() else f"{rounded:.1f}"


def fill(text: str, values: Mapping[str, FactValue]) -> str | None:
    """``text`` with its placeholders filled, or None when a value is missing or cannot be printed."""
    for name, _spec in statement_placeholders(text):
        value = values.get(name)
        if not name or value is None or isinstance(value, bool):
            return None

    def replace(match: object) -> str:
        name, spec = statement_placeholders(match.group(0))[0]  # type: ignore[attr-defined]
        return format_value(values[name], spec)

    return PLACEHOLDER.sub(replace, text)


def _holds(condition: str | None, values: Mapping[str, FactValue]) -> bool:
    if condition is None:
        return True
    env: dict[str, Value] = {
        name: value for name, value in values.items() if value is None or isinstance(value, bool | int | float)
    }
    try:
        return evaluate(compile_expression(condition), env) is True
    except EvaluationError:
        return False


def choose_statement(item: Item, values: Mapping[str, FactValue]) -> ChosenStatement:
    """The statement of ``item`` that the facts in ``values`` support (the first whose condition holds and whose
    placeholders all have values). An item from a template version made before statements existed is worded from
    its ``problem`` (经查，你单位……。)."""
    for index, statement in enumerate(item.finding or ()):
        if not _holds(statement.when, values):
            continue
        zh, en = fill(statement.zh, values), fill(statement.en, values)
        if zh is not None and en is not None:
            return ChosenStatement(zh, en, index)
    problem = (item.problem or item.text).rstrip("。；;，,")
    return ChosenStatement(
        f"经查，你单位{problem}。", f"The inspection found a problem: {item.title or item.text}.", -1
    )
