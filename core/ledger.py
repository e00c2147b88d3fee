"""The district work ledger's row (劳动用工法治“体检”服务工作台账): columns, cells and texts, defined once.

The laptop's ledger (``app.reports.ledger``) and the district office's console ledger and export
(``server.console``) build their rows here, so both print the campaign annex's columns, in its order, with the
same 整改情况 wording and the same protection against spreadsheet formulas. An item's state is
:func:`core.statistics.item_state`'s; the ledger's status filter folds its two overdue states into one. Nothing
here reads a database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from core.clock import china_date
from core.statistics import ItemState, item_state

LEDGER_TITLE: Final = "劳动用工法治“体检”服务工作台账"
PROGRESS_EVERY: Final = 500
"""An export reports its progress (and the console's csv sends a chunk) every this many rows."""

ProgressCallback = Callable[[int], None]

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


def fact(facts: Mapping[str, Any], key: str, fallback: Any) -> Any:
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


def ledger_row(
    *,
    number: int,
    today: dt.date,
    facts: Mapping[str, Any],
    inputs: Mapping[str, Any],
    registry: Mapping[str, Any],
    visit_date: dt.date,
    coordinator: str | None,
    co_coordinators: str | None,
    problem: str,
    basis: Iterable[Any],
    requirement: str,
    deadline: dt.date,
    deadline_estimated: bool,
    responsible_person: str | None,
    responsible_phone: str | None,
    status: str,
    submitted_at: dt.datetime | None,
    verified_on: dt.date | None,
    verified_by: str | None,
    risk_grade: str | None,
    item_id: str,
    audit_id: str,
    enterprise_id: str,
    module: str = "",
    item_code: str = "",
    severity: str = "",
) -> LedgerRow:
    """One item's ledger row, the one rule both ledgers follow: the enterprise as the visit recorded it
    (``facts``, the audit's snapshot) with the registry only where the snapshot lacks a value, headcounts from the
    visit's inputs first, the coordinator and co-coordinators joined with 、, and 整改情况 and the item's state for
    ``today``. ``registry`` holds the enterprise record's fields by their names (name, uscc, industry, address,
    contact_name, contact_phone, headcount_last_year_end, headcount)."""

    def shown(key: str) -> Any:
        return fact(facts, key, registry.get(key) or "")

    return LedgerRow(
        number=number,
        enterprise_name=str(shown("name")),
        uscc=str(shown("uscc")),
        industry=str(shown("industry")),
        address=str(shown("address")),
        contact=joined(shown("contact_name"), shown("contact_phone")),
        headcount_last_year_end=count(
            inputs.get("headcount_last_year_end"),
            facts.get("headcount_last_year_end"),
            registry.get("headcount_last_year_end"),
        ),
        headcount=count(inputs.get("headcount"), facts.get("headcount"), registry.get("headcount")),
        visit_date=visit_date,
        coordinators=joined(coordinator, *(co_coordinators or "").split("、"), separator="、"),
        problem=problem,
        basis=basis_text(basis),
        requirement=requirement,
        deadline=deadline,
        deadline_estimated=deadline_estimated,
        responsible=joined(responsible_person, responsible_phone),
        progress=progress_text(
            status,
            deadline=deadline,
            today=today,
            submitted_at=submitted_at,
            verified_on=verified_on,
            verified_by=verified_by or "",
        ),
        risk_grade=risk_grade or "",
        item_state=item_state(status, deadline, today),
        item_id=item_id,
        audit_id=audit_id,
        enterprise_id=enterprise_id,
        module=module,
        item_code=item_code,
        severity=severity,
        item_status=status,
        submitted_at=submitted_at,
        verified_on=verified_on,
        verified_by=verified_by or "",
    )


_CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: int | str | None) -> int | str:
    """Empty for None; a text that Excel would run as a formula gets a leading apostrophe (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_CSV_FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_chunks(rows: Iterable[LedgerRow], chunk_rows: int = PROGRESS_EVERY) -> Iterator[tuple[str, int]]:
    """The ledger as csv text, ``chunk_rows`` rows at a time, each chunk with the number of rows written so far.

    UTF-8 with a BOM (the first chunk starts with it): without it Excel and WPS on Chinese Windows read the file as
    GBK and show mojibake. Header then rows, no title; a text a spreadsheet would run as a formula stays text. The
    laptop writes the chunks to a file, the console streams them.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    done = 0
    for row in rows:
        writer.writerow([csv_safe(value) for value in row.cells()])
        done += 1
        if done % chunk_rows == 0:
            yield buffer.getvalue(), done
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue(), done


__all__ = [
    "COLUMNS",
    "HEADERS",
    "LEDGER_STATUSES",
    "LEDGER_TITLE",
    "PROGRESS_EVERY",
    "LedgerColumn",
    "LedgerRow",
    "LedgerStatus",
    "ProgressCallback",
    "basis_text",
    "count",
    "csv_chunks",
    "csv_safe",
    "fact",
    "joined",
    "ledger_row",
    "ledger_state",
    "progress_text",
    "status_of",
]
