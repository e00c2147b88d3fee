"""A wage check's evidence table as an xlsx workbook, one row per breach, written like the ledger (``xlsx_files``:
constant memory, scratch files in a private directory beside the target, never in a shared temporary directory).

What the enterprise and the office open in Excel or WPS: worker (ID number masked), month, the rule and its legal
basis, the figure, the legal line, the shortfall, days late, the detail of the computation, and whether the
coordinator excluded the worker (with the reason). A second sheet lists what could not be checked and why: each
worker-month that could not be judged (a month with fewer attendance days than working days) with the worker and
the days, then the rest by rule and reason with their months and counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.wage_evidence.evidence import Evidence
from core.wage_rules import RULES
from core.wage_statements import months_text
from core.wage_wording import detail_text, gap_lines, gap_text
from core.xlsx_files import private_workbook, write_cells

__all__ = ["COLUMNS", "write_evidence_xlsx"]

COLUMNS = (
    "序号", "姓名", "身份证号", "工号", "月份", "检查项", "问题", "法律依据", "数值", "法定标准", "差额或超出",
    "单位", "应支付日期", "迟延天数", "计算说明", "是否排除", "排除理由",
)  # fmt: skip


def write_evidence_xlsx(
    evidence: Evidence,
    exclusions: Mapping[str, Any],
    target: Path,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the table to ``target``; returns the rows written."""
    with private_workbook(target) as book:
        sheet = book.add_worksheet("核查明细")
        write_cells(sheet, 0, COLUMNS)
        total = len(evidence.violations)
        for number, violation in enumerate(evidence.violations, start=1):
            info = RULES[violation.rule]
            worker = evidence.workers[violation.worker]
            excluded = exclusions.get(worker.key)
            write_cells(sheet, number, (
                number, worker.name, worker.id_masked, worker.employee_no,
                f"{violation.month.year}-{violation.month.month:02d}", info.item_id, info.title, info.citation,
                float(violation.figure), float(violation.limit), float(violation.shortfall), info.unit,
                violation.due.isoformat() if violation.due else "", violation.days_late or "", detail_text(violation),
                "是" if excluded else "", (excluded or {}).get("reason", ""),
            ))  # fmt: skip
            if progress is not None and number % 2000 == 0:
                progress(number, total)
        gaps = book.add_worksheet("未核查事项")
        write_cells(gaps, 0, ("姓名", "身份证号", "工号", "月份", "问题", "未核查的原因"))
        row_index = 1
        for gap in evidence.unchecked:
            assert gap.worker is not None
            worker = evidence.workers[gap.worker]
            month = months_text([gap.month]) if gap.month else ""
            row = (worker.name, worker.id_masked, worker.employee_no, month, RULES[gap.rule].title, gap_text(gap))
            write_cells(gaps, row_index, row)
            row_index += 1
        row_index += 1  # an empty row before the summary
        write_cells(gaps, row_index, ("未能核查的事项及原因（汇总）",))
        for line in gap_lines(evidence.gaps):
            row_index += 1
            write_cells(gaps, row_index, (line,))
    return total
