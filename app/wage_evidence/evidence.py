"""The evidence of a wage check: every breach with its worker, month, figure, legal line and shortfall.

:func:`check` runs the pure rules (:mod:`core.wage_rules`) on what :mod:`app.wage_evidence.loading` read.
:class:`Evidence` is the table kept with the audit: written to the encrypted blob store as compressed JSON (one
blob, so 5,000 workers sync like a photo), read back for the screen, the xlsx export and the notice's annex.
ID numbers appear only masked; a worker is matched by a key derived from the number, never the number itself.

Exclusions (a worker the coordinator leaves out, with a reason) never change the table: the summary, the
facts of the findings and the annex are computed from the table minus the excluded workers, so undoing an
exclusion is exact.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from app.wage_evidence.loading import Loaded, Worker, collector_paused
from core.errors import LaborCheckError
from core.wage_rules import (
    RULES,
    CheckSettings,
    Gap,
    GapReason,
    Rule,
    Violation,
    check_attendance,
    check_payroll,
)
from core.wage_statements import evidence_facts, months_text
from core.wage_wording import detail_text

__all__ = [
    "ANNEX_MAX_ROWS",
    "EVIDENCE_FORMAT",
    "Evidence",
    "EvidenceError",
    "annex",
    "check",
    "summary",
]

EVIDENCE_FORMAT: Final = 1
ANNEX_MAX_ROWS: Final = 3000
"""The most rows a printed annex lists; beyond that it says how many more are in the exported table."""


class EvidenceError(LaborCheckError):
    pass


@dataclass
class Evidence:
    """A check's result: the workers, the breaches (all of them) and what could not be checked."""

    workers: list[Worker]
    violations: list[Violation]
    gaps: list[Gap]
    months: list[dt.date] = field(default_factory=list)
    attendance_period: tuple[dt.date, dt.date] | None = None

    def worker(self, violation: Violation) -> Worker:
        return self.workers[violation.worker]

    def kept(self, exclusions: Mapping[str, Any]) -> list[Violation]:
        if not exclusions:
            return list(self.violations)
        return [v for v in self.violations if self.workers[v.worker].key not in exclusions]

    @property
    def unchecked(self) -> list[Gap]:
        """The worker-months a rule could not judge, with the worker (a month of fewer days than working days)."""
        return [gap for gap in self.gaps if gap.worker is not None]

    # --- storage -----------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        document = {
            "format": EVIDENCE_FORMAT,
            "workers": [[w.key, w.name, w.id_masked, w.employee_no] for w in self.workers],
            "violations": [
                [
                    v.rule.value,
                    v.worker,
                    v.month.isoformat()[:7],
                    str(v.figure),
                    str(v.limit),
                    str(v.shortfall),
                    v.days_late,
                    v.due.isoformat() if v.due else None,
                    [list(pair) for pair in v.detail],
                ]
                for v in self.violations
            ],
            "gaps": [
                [
                    g.rule.value,
                    g.month.isoformat()[:7] if g.month else None,
                    g.reason.value,
                    g.count,
                    g.worker,
                    None if g.figure is None else str(g.figure),
                    None if g.limit is None else str(g.limit),
                ]
                for g in self.gaps
            ],
            "months": [month.isoformat()[:7] for month in self.months],
            "attendance_period": [day.isoformat() for day in self.attendance_period]
            if self.attendance_period
            else None,
        }
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes) -> Evidence:
        try:
            document = json.loads(gzip.decompress(data).decode("utf-8"))
        except (OSError, ValueError) as error:
            raise EvidenceError("核查明细文件已损坏，无法读取") from error
        if document.get("format") != EVIDENCE_FORMAT:
            raise EvidenceError("核查明细的格式版本不受支持，请升级本软件")

        def month(text: str) -> dt.date:
            return dt.date.fromisoformat(text + "-01")

        workers = [Worker(key, name, masked, number) for key, name, masked, number in document["workers"]]
        violations = [
            Violation(
                Rule(rule),
                worker,
                month(when),
                Decimal(figure),
                Decimal(limit),
                Decimal(shortfall),
                days_late,
                dt.date.fromisoformat(due) if due else None,
                tuple((str(key), str(value)) for key, value in detail),
            )
            for rule, worker, when, figure, limit, shortfall, days_late, due, detail in document["violations"]
        ]
        gaps = [
            Gap(
                Rule(rule),
                month(when) if when else None,
                GapReason(reason),
                count,
                worker,
                None if figure is None else Decimal(figure),
                None if limit is None else Decimal(limit),
            )
            for rule, when, reason, count, worker, figure, limit in document["gaps"]
        ]
        period = document.get("attendance_period")
        return cls(
            workers,
            violations,
            gaps,
            [month(text) for text in document.get("months", [])],
            (dt.date.fromisoformat(period[0]), dt.date.fromisoformat(period[1])) if period else None,
        )


def check(loaded: Loaded, settings: CheckSettings) -> Evidence:
    """Every rule on every worker-month that was loaded (``loaded.ok`` must be true)."""
    if not loaded.ok:
        raise EvidenceError("数据有错误，未进行核查")
    with collector_paused():
        return _check(loaded, settings)


def _check(loaded: Loaded, settings: CheckSettings) -> Evidence:
    attendance = {(month.worker, month.month): month for month in loaded.attendance}
    violations, gaps = check_payroll(loaded.payroll, settings, attendance)
    payroll_hours = {(r.worker, r.month): r.overtime_hours for r in loaded.payroll if r.overtime_hours is not None}
    violations += check_attendance(loaded.attendance, payroll_hours)
    paid = {(r.worker, r.month) for r in loaded.payroll}
    payroll_months = {r.month for r in loaded.payroll}
    for month in loaded.attendance:
        if month.days_worked and month.month in payroll_months and (month.worker, month.month) not in paid:
            days = Decimal(month.days_worked)
            violations.append(Violation(Rule.NOT_ON_PAYROLL, month.worker, month.month, days, Decimal(0), days))
    order = {rule: index for index, rule in enumerate(Rule)}
    violations.sort(key=lambda v: (order[v.rule], v.month, v.worker))
    return Evidence(loaded.workers, violations, gaps, sorted(payroll_months), loaded.attendance_period)


def summary(evidence: Evidence, exclusions: Mapping[str, Any], as_of: dt.date) -> dict[str, Any]:
    """What the check keeps beside its table (JSON-ready): how many workers and which months were checked, the
    facts the findings are worded with per checklist item (:func:`core.wage_statements.evidence_facts`, after the
    exclusions), and how many workers were excluded."""
    return {
        "workers": len(evidence.workers),
        "months": [month.isoformat()[:7] for month in evidence.months],
        "facts": evidence_facts(evidence.kept(exclusions), as_of),
        "excluded": len(exclusions),
    }


def _figure(value: Decimal, money: bool) -> str:
    return f"{value:,.2f}" if money else format(value.normalize(), "f")


def annex(evidence: Evidence, exclusions: Mapping[str, Any], items: Sequence[str]) -> dict[str, Any]:
    """The annex printed with the notice: a table per rule of the given items, workers by masked ID, capped."""
    kept = [v for v in evidence.kept(exclusions) if RULES[v.rule].item_id in items]
    sections: list[dict[str, Any]] = []
    printed = 0
    for rule in Rule:
        rows = [v for v in kept if v.rule is rule]
        if not rows:
            continue
        info = RULES[rule]
        room = max(0, ANNEX_MAX_ROWS - printed)
        shown = rows[:room]
        printed += len(shown)
        late = rule in (Rule.LATE_PAYMENT, Rule.UNPAID)
        columns = ["序号", "姓名", "身份证号/工号", "月份", info.figure]
        if late:
            columns += ["应支付日期", "迟延天数"]
        elif rule is Rule.NO_REST_DAY:
            columns += ["未休息的周"]  # no legal line to print: the weeks themselves
        elif rule is not Rule.NOT_ON_PAYROLL:
            columns += [info.limit, f"{info.shortfall}（{info.unit}）"]
        table_rows = []
        for number, v in enumerate(shown, start=1):
            worker = evidence.workers[v.worker]
            row = [
                str(number),
                worker.name,
                worker.id_masked or worker.employee_no,
                f"{v.month.year}年{v.month.month}月",
                _figure(v.figure, info.money),
            ]
            if late:
                row += [v.due.isoformat() if v.due else "", str(v.days_late or 0)]
            elif rule is Rule.NO_REST_DAY:
                row.append(detail_text(v))
            elif rule is not Rule.NOT_ON_PAYROLL:
                row += [_figure(v.limit, info.money), _figure(v.shortfall, info.money)]
            table_rows.append(row)
        sections.append(
            {
                "rule": rule.value,
                "item_id": info.item_id,
                "title": info.title,
                "citation": info.citation,
                "columns": columns,
                "rows": table_rows,
                "total": _figure(sum((v.shortfall for v in rows), Decimal(0)), info.money) if info.money else "",
                "omitted": len(rows) - len(shown),
            }
        )
    return {"title": "工资支付和工作时间核查明细", "months": months_text(evidence.months), "sections": sections}
