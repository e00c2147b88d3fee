"""The district work ledger's row (劳动用工法治“体检”服务工作台账): columns, cells and texts, defined once.

The laptop's ledger (``app.reports.ledger``) and the district office's console ledger and export
(``server.console``) build their rows here, so both print the campaign annex's columns, in its order, with the
same 整改情况 wording and the same protection against spreadsheet formulas. An item's state is
:func:`core.statistics.item_state`'s; the ledger's status filter folds its two overdue states into one. Nothing
here reads a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from core.clock import china_date
from core.statistics import ItemState, item_state

LEDGER_TITLE: Final = "劳动用工法治“体检”服务工作台账"

LedgerStatus = Literal["open", "submitted", "verified", "overdue"]
"""The status filter. The four are disjoint: ``open``/``submitted`` mean not yet past the deadline, ``overdue``
is open or submitted past it, ``verified`` is 已复查销号."""
LEDGER_STATUSES: Final = get_args(LedgerStatus)


def status_of(state: ItemState) -> LedgerStatus:
    """The status filter's four states from an item's state: both overdue states are ``overdue``."""
    return "overdue" if state.startswith("overdue") else state  # type: ignore[return-value]


def ledger_state(status: str, deadline: dt.date, today: dt.date) -> LedgerStatus:
    """An item's ledger status on ``today`` (:func:`core.statistics.item_state`, overdue folded)."""
    return status_of(item_state(status, deadline, today))


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    width: float
    wrap: bool = False


COLUMNS: Final = (
    LedgerColumn("序号", 6),
    LedgerColumn("单位名称", 28, wrap=True),
    LedgerColumn("统一社会信用代码", 21),
    LedgerColumn("所属行业", 12, wrap=True),
    LedgerColumn("地址", 30, wrap=True),
    LedgerColumn("联系人及电话", 18, wrap=True),
    LedgerColumn("上年底职工数量", 9),
    LedgerColumn("目前职工数量", 9),
    LedgerColumn("体检日期", 12),
    LedgerColumn("体检人员", 14, wrap=True),
    LedgerColumn("存在问题", 40, wrap=True),
    LedgerColumn("法律依据", 30, wrap=True),
    LedgerColumn("整改事项", 40, wrap=True),
    LedgerColumn("整改时限", 12, wrap=True),
    LedgerColumn("整改负责人", 16, wrap=True),
    LedgerColumn("整改情况", 22, wrap=True),
    LedgerColumn("风险等级", 8),
)
HEADERS: Final = tuple(column.header for column in COLUMNS)


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One rectification item as the ledger shows it. ``cells()`` gives the 17 values in column order."""

    number: int
    enterprise_name: str
    uscc: str
    industry: str
    address: str
    contact: str
    headcount_last_year_end: int | None
    headcount: int | None
    visit_date: dt.date
    coordinators: str
    problem: str
    basis: str
    requirement: str
    deadline: dt.date
    deadline_estimated: bool
    responsible: str
    progress: str
    risk_grade: str
    item_state: ItemState
    """The item's state for the day, as :func:`core.statistics.item_state` defines it (five disjoint states)."""
    item_id: str
    audit_id: str
    enterprise_id: str = ""
    module: str = ""
    item_code: str = ""
    """The checklist item (never shown: the 存在问题 column names the problem in words)."""
    severity: str = ""
    item_status: str = "open"
    """The stored status (open / submitted / verified) with the dates below: what ``progress`` says, for a screen
    that words it in another language."""
    submitted_at: dt.datetime | None = None
    verified_on: dt.date | None = None
    verified_by: str = ""

    @property
    def state(self) -> LedgerStatus:
        """The status filter's four states: both overdue states are ``overdue``."""
        return status_of(self.item_state)

    @property
    def deadline_text(self) -> str:
        return self.deadline.isoformat() + ("（预计）" if self.deadline_estimated else "")

    def cells(self) -> tuple[int | str | None, ...]:
        return (
            self.number,
            self.enterprise_name,
            self.uscc,
            self.industry,
            self.address,
            self.contact,
            self.headcount_last_year_end,
            self.headcount,
            self.visit_date.isoformat(),
            self.coordinators,
            self.problem,
            self.basis,
            self.requirement,
            self.deadline_text,
            self.responsible,
            self.progress,
            self.risk_grade,
        )


def _citation(entry: Any) -> str:
    """Findings store citations as printed (《劳动合同法》第十条); older or hand-made ones may be {law, article}."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        law = str(entry.get("title") or entry.get("law") or entry.get("name") or "")
        if law and not law.startswith("《"):
            law = f"《{law}》"
        return law + str(entry.get("article") or "")
    return str(entry)


def basis_text(basis: Iterable[Any]) -> str:
    return "；".join(text for text in (_citation(entry) for entry in basis) if text)


def joined(*parts: object, separator: str = " ") -> str:
    return separator.join(str(part).strip() for part in parts if part is not None and str(part).strip())


def fact(facts: dict[str, Any], key: str, fallback: Any) -> Any:
    value = facts.get(key)
    return fallback if value is None or value == "" else value


def count(*candidates: Any) -> int | None:
    for value in candidates:
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            return int(value)
    return None


def progress_text(
    status: str,
    *,
    deadline: dt.date,
    today: dt.date,
    submitted_at: dt.datetime | None = None,
    verified_on: dt.date | None = None,
    verified_by: str = "",
) -> str:
    """整改情况: 未整改 / 已提交整改材料（日期） / 已复查销号（日期，复查人）, with "已逾期N天" when late."""
    if status == "verified":
        details = "，".join(part for part in (verified_on.isoformat() if verified_on else "", verified_by) if part)
        return f"已复查销号（{details}）" if details else "已复查销号"
    if status == "submitted":
        text = "已提交整改材料"
        if submitted_at is not None:
            text += f"（{china_date(submitted_at).isoformat()}）"
    else:
        text = "未整改"
    if deadline < today:
        text += f"，已逾期{(today - deadline).days}天"
    return text


_CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: int | str | None) -> int | str:
    """Empty for None; a text that Excel would run as a formula gets a leading apostrophe (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_CSV_FORMULA_PREFIXES):
        return "'" + value
    return value


__all__ = [
    "COLUMNS",
    "HEADERS",
    "LEDGER_STATUSES",
    "LEDGER_TITLE",
    "LedgerColumn",
    "LedgerRow",
    "LedgerStatus",
    "basis_text",
    "count",
    "csv_safe",
    "fact",
    "joined",
    "ledger_state",
    "progress_text",
    "status_of",
]
