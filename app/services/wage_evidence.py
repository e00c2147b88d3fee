"""The wage-evidence actions both front ends call: read the sheets, check them, keep the check, exclude a worker.

1. :func:`prepare` opens the payroll and attendance files and finds each sheet's header and fields, starting
   from what this enterprise's sheets were mapped to last time; the coordinator then corrects fields, months and
   pay dates on the returned layouts.
2. :func:`run` loads every row (progress, cancel) and, when nothing is wrong, checks every worker-month.
   Nothing is written: a coordinator can correct the mapping and run again.
3. :func:`save` keeps the check with the audit (one unit of work) and remembers the mapping for the enterprise.
4. :func:`exclude` leaves a worker out with a reason (or takes them back), recorded in the change history.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.audit.rectification import default_calendar
from app.audit.visits import AuditError
from app.audit.wage_checks import (
    SheetFile,
    current_check,
    load_evidence,
    preview_statements,
    save_check,
    set_exclusion,
)
from app.models import Audit, Coordinator, Enterprise
from app.services.changes import OpChanges, ids
from app.services.workspace import Workspace
from app.wage_evidence.columns import ATTENDANCE, PAYROLL, SheetLayout, detect_layout, label_key
from app.wage_evidence.evidence import Evidence, check, summary
from app.wage_evidence.loading import Loaded, load
from app.wage_evidence.profiles import load_profile, minimum_wage_tables, save_profile
from app.wage_evidence.sheets import SheetError, open_sheets
from core.errors import LaborCheckError
from core.minimum_wage import MinimumWageTable, grades_for_area
from core.statements import ChosenStatement
from core.wage_rules import CheckSettings

__all__ = [
    "CheckOptions",
    "Outcome",
    "Preparation",
    "SheetChoice",
    "changes",
    "exclude",
    "prepare",
    "run",
    "save",
    "saved_evidence",
    "statements",
    "unsaved_summary",
]

Progress = Callable[[int, int], None]


@dataclass
class SheetChoice:
    """A sheet as the coordinator confirms it: its layout (fields editable), and a month and pay date for the
    sheet where it has no such column (a grid attendance sheet takes its month the same way)."""

    layout: SheetLayout
    month: dt.date | None = None
    pay_date: dt.date | None = None
    include: bool = True


@dataclass
class Preparation:
    audit_id: str
    enterprise_id: str
    files: list[SheetFile]
    sheets: list[SheetChoice]
    unreadable: list[str]
    """The sheets skipped because no row of their first lines looks like a header (by label)."""
    tables: dict[str, MinimumWageTable]
    profile: dict[str, Any]
    suggested_standard: tuple[str, str] | None

    @property
    def payroll(self) -> list[SheetChoice]:
        return [s for s in self.sheets if s.layout.kind == PAYROLL and s.include]

    @property
    def attendance(self) -> list[SheetChoice]:
        return [s for s in self.sheets if s.layout.kind == ATTENDANCE and s.include]

    @property
    def total_rows(self) -> int:
        return sum(choice.layout.sheet.rows_hint or 0 for choice in self.sheets if choice.include)


@dataclass(frozen=True)
class CheckOptions:
    """The minimum-wage standard (region and grade), the agreed pay day and the meal break for attendance."""

    region: str | None = None
    grade: str | None = None
    pay_day: int | None = None
    pay_month_offset: int = 1
    break_minutes: int = 60

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "grade": self.grade,
            "pay_day": self.pay_day,
            "pay_month_offset": self.pay_month_offset,
            "break_minutes": self.break_minutes,
        }


@dataclass
class Outcome:
    loaded: Loaded
    evidence: Evidence | None
    options: CheckOptions
    settings: dict[str, Any] = field(default_factory=dict)
    as_of: dt.date | None = None
    """The day the check judges unpaid wages on (the visit's date)."""

    @property
    def ok(self) -> bool:
        return self.evidence is not None


def _read(paths: Sequence[Path], kind: str) -> list[tuple[SheetFile, Path]]:
    files = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SheetError(f"{path.name}：无法读取文件（{error.strerror or error}）") from None
        files.append((SheetFile(path.name, kind, data), path))
    return files


def prepare(ws: Workspace, audit_id: str, payroll: Sequence[Path], attendance: Sequence[Path] = ()) -> Preparation:
    """Open the files and propose each sheet's header and fields (remembered ones first)."""
    if not payroll:
        raise LaborCheckError("请选择工资表文件")
    with ws.db.session() as session:
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise AuditError("体检记录不存在")
        enterprise = session.get_one(Enterprise, audit.enterprise_id)
        profile = load_profile(session, enterprise.id)
        tables = minimum_wage_tables(session)
        coordinator = session.get(Coordinator, audit.coordinator_id)
        district = enterprise.district or (coordinator.district if coordinator is not None else "")
    remembered = profile.get("columns", {})
    files: list[SheetFile] = []
    choices: list[SheetChoice] = []
    unreadable: list[str] = []
    for kind, paths in ((PAYROLL, payroll), (ATTENDANCE, attendance)):
        for file, _path in _read(paths, kind):
            sheets = open_sheets(file.name, file.data)
            rows = 0
            for sheet in sheets:
                layout = detect_layout(sheet, kind, remembered.get(kind))
                if layout is None:
                    unreadable.append(sheet.label)
                    continue
                rows += sheet.rows_hint or 0
                choices.append(SheetChoice(layout))
            files.append(SheetFile(file.name, kind, file.data, rows))
    if not any(choice.layout.kind == PAYROLL for choice in choices):
        raise LaborCheckError("工资表中没有找到可识别的表头（姓名、应发工资等列名）：" + "、".join(unreadable))
    suggested: tuple[str, str] | None = None
    if profile.get("region") in tables and profile.get("grade") in tables[profile["region"]].grades:
        suggested = (profile["region"], profile["grade"])
    else:
        found = grades_for_area(tables.values(), district)
        suggested = found[0] if len(found) == 1 else None
    return Preparation(audit_id, enterprise.id, files, choices, unreadable, tables, profile, suggested)


def run(
    ws: Workspace,
    prep: Preparation,
    options: CheckOptions,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Outcome:
    """Load every row of the chosen sheets and, when nothing is wrong, check every worker-month (nothing saved)."""
    with ws.db.session() as session:
        visit_date = session.get_one(Audit, prep.audit_id).visit_date
    table = prep.tables.get(options.region or "")
    loaded = load(
        [(choice.layout, choice.month, choice.pay_date) for choice in prep.payroll],
        [(choice.layout, choice.month) for choice in prep.attendance],
        break_minutes=options.break_minutes,
        progress=progress,
        cancel=cancel,
        total_rows=prep.total_rows,
    )
    settings = {
        **options.as_dict(),
        "as_of": visit_date.isoformat(),
        "table_document": ", ".join(sorted({rate.document for rate in table.rates})) if table else "",
    }
    if not loaded.ok:
        return Outcome(loaded, None, options, settings, visit_date)
    check_settings = CheckSettings(
        as_of=visit_date,
        minimum_table=table,
        grade=options.grade,
        pay_day=options.pay_day,
        pay_month_offset=options.pay_month_offset,
        calendar=default_calendar(),
    )
    return Outcome(loaded, check(loaded, check_settings), options, settings, visit_date)


def changes(audit_id: str) -> OpChanges:
    """What saving a check or excluding a worker changes: the visit's answers and statements (and so the findings
    and notice a finished visit shows)."""
    return OpChanges(audits=True, items=True, audit_ids=ids([audit_id]))


def save(ws: Workspace, prep: Preparation, outcome: Outcome) -> str:
    """Keep the check with the audit and remember this enterprise's mapping; returns the check's id."""
    if outcome.evidence is None:
        raise LaborCheckError("数据有错误，不能保存核查结果")
    columns: dict[str, dict[str, str]] = {PAYROLL: {}, ATTENDANCE: {}}
    for choice in prep.sheets:
        mapped = columns[choice.layout.kind]
        for index, label in enumerate(choice.layout.labels):
            if label:
                found = choice.layout.fields.get(index)
                mapped[label_key(label)] = found.value if found is not None else ""
    with ws.db.session() as session:
        saved = save_check(session, ws.blobs, prep.audit_id, outcome.evidence, prep.files, outcome.settings)
        save_profile(session, prep.enterprise_id, {"columns": columns, **outcome.options.as_dict()})
        return saved.id


def exclude(ws: Workspace, check_id: str, worker_key: str, *, excluded: bool, reason: str) -> None:
    with ws.db.session() as session:
        set_exclusion(session, ws.blobs, check_id, worker_key, excluded=excluded, reason=reason)


def saved_evidence(ws: Workspace, audit_id: str) -> tuple[str, Evidence, dict[str, Any], dict[str, Any]] | None:
    """The audit's kept check: its id, evidence table, exclusions and summary (None: no check)."""
    with ws.db.session() as session:
        found = current_check(session, audit_id)
        if found is None:
            return None
        return found.id, load_evidence(ws.blobs, found), dict(found.exclusions), dict(found.summary)


def unsaved_summary(outcome: Outcome) -> dict[str, Any]:
    """What :func:`save` would keep beside the table, for the screen before saving (no exclusions yet)."""
    if outcome.evidence is None or outcome.as_of is None:
        return {}
    return summary(outcome.evidence, {}, outcome.as_of)


def statements(ws: Workspace, audit_id: str, facts: dict[str, dict[str, Any]]) -> dict[str, ChosenStatement]:
    """The finding statement each checklist item of the audit would print with the check's facts (item → facts),
    in Chinese and English, as finishing the visit will word it."""
    with ws.db.session() as session:
        return preview_statements(session, audit_id, facts)
