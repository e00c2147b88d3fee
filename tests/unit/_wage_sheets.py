"""Payroll and attendance sheets in the shapes enterprises really send, with violations whose figures are known.

A :class:`Month` says what one worker was paid in one month and which breach it carries; the writers render the
same data as (a) an xlsx with a sheet per month, a title, a two-row header under merged group cells, amounts as
text, blank separator rows and a 合计 row; (b) an xlsx with one sheet, a month column and pay dates as Excel
serial numbers; (c) a GBK csv with text dates and "3,000.00" amounts. The expected findings are computed here
from the data directly, not by the rules under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook

from core.minimum_wage import MinimumWageTable

MINIMUM = Decimal(2330)
TABLE = MinimumWageTable.model_validate(
    {
        "region": "测试省",
        "rates": [
            {"grade": "第一档", "monthly": "2330", "hourly": "24", "effective_from": "2025-01-01", "document": "测府规〔2024〕1号", "areas": ["达川区"]},
        ],
    }
)  # fmt: skip
PAY_DAY = 15
AS_OF = dt.date(2026, 12, 20)
EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Worker:
    name: str
    id_number: str
    number: str


@dataclass(frozen=True)
class Month:
    worker: Worker
    month: dt.date
    base: Decimal
    overtime_pay: Decimal
    night: Decimal
    social: Decimal
    deduction: Decimal
    pay_date: dt.date | None

    @property
    def gross(self) -> Decimal:
        return self.base + self.overtime_pay + self.night

    @property
    def net(self) -> Decimal:
        return self.gross - self.social - self.deduction


def id_number(index: int) -> str:
    body = f"51170219900101{index:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def due(month: dt.date) -> dt.date:
    """The 15th of the next month, brought forward over weekends (no holiday near the 15th in these months)."""
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, PAY_DAY)
    while nxt.weekday() >= 5:
        nxt -= dt.timedelta(days=1)
    return nxt


def expected(months: Sequence[Month]) -> dict[str, dict[tuple[str, dt.date], Decimal]]:
    """Rule → {(name, month): shortfall or amount} as the law says, from the data alone."""
    found: dict[str, dict[tuple[str, dt.date], Decimal]] = {}
    for m in months:
        key = (m.worker.name, m.month)
        compared = m.gross - m.overtime_pay - m.night
        if compared < MINIMUM:
            found.setdefault("minimum_wage", {})[key] = MINIMUM - compared
        if m.deduction and m.deduction * 5 > m.gross:
            found.setdefault("deduction_share", {})[key] = m.deduction - m.gross / 5
        if m.deduction and m.gross - m.deduction < MINIMUM:
            found.setdefault("deduction_minimum", {})[key] = MINIMUM - (m.gross - m.deduction)
        limit = due(m.month)
        if m.pay_date is None:
            if limit < AS_OF and m.net > 0:
                found.setdefault("unpaid", {})[key] = m.net
        elif m.pay_date > limit:
            found.setdefault("late_payment", {})[key] = m.net
    return found


def _header_rows() -> tuple[list[str | None], list[str | None]]:
    top = ["序号", "姓名", "身份证号", "应发项目", None, None, "应发工资", "代扣项目", None, "实发工资", "发放日期"]
    bottom = [None, None, None, "基本工资", "加班费", "夜班津贴", None, "社保（个人）", "其他扣款", None, None]
    return top, bottom


def _money_text(value: Decimal) -> str:
    return f"{value:,.2f}"


def monthly_workbook(months: Sequence[Month], text_amounts: bool = True) -> bytes:
    """(a) A sheet per month: title, merged two-row header, text amounts, blank separators, a 合计 row."""
    book = Workbook()
    book.remove(book.active)
    by_month: dict[dt.date, list[Month]] = {}
    for m in months:
        by_month.setdefault(m.month, []).append(m)
    for month, rows in sorted(by_month.items()):
        sheet = book.create_sheet(f"{month.month}月")
        sheet.append([f"达州恒达机械制造有限公司{month.year}年{month.month}月工资发放表"])
        sheet.merge_cells("A1:K1")
        sheet.append(["单位：元"])
        top, bottom = _header_rows()
        sheet.append(top)
        sheet.append(bottom)
        for column in "ABCGJK":
            sheet.merge_cells(f"{column}3:{column}4")
        sheet.merge_cells("D3:F3")
        sheet.merge_cells("H3:I3")
        for number, m in enumerate(rows, start=1):
            amount = _money_text if text_amounts and number % 2 else float
            sheet.append(
                [number, m.worker.name, m.worker.id_number, amount(m.base), amount(m.overtime_pay), amount(m.night),
                 amount(m.gross), amount(m.social), amount(m.deduction), amount(m.net),
                 m.pay_date.strftime("%Y年%m月%d日") if m.pay_date else None]
            )  # fmt: skip
            if number % 3 == 0:
                sheet.append([])
        sheet.append(
            ["合计", None, None, float(sum(m.base for m in rows)), None, None, float(sum(m.gross for m in rows))]
        )
        sheet.append(["制表人：王芳", None, None, None, None, "审核：张伟"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def single_sheet_workbook(months: Sequence[Month]) -> bytes:
    """(b) One sheet, a month column, pay dates as Excel serial numbers, 工号 instead of ID numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "工资明细"
    sheet.append(
        [
            "工资月份",
            "工号",
            "姓名",
            "基本工资",
            "加班工资",
            "夜班津贴",
            "应发合计",
            "个人社保",
            "扣款",
            "实发工资",
            "发放日期",
        ]
    )
    for m in months:
        serial = (m.pay_date - EPOCH).days if m.pay_date else None
        sheet.append(
            [f"{m.month.year}-{m.month.month:02d}", m.worker.number, m.worker.name, float(m.base), float(m.overtime_pay),
             float(m.night), float(m.gross), float(m.social), float(m.deduction), float(m.net), serial]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def gbk_csv(months: Sequence[Month]) -> bytes:
    """(c) A GBK csv (Excel's "CSV" on Chinese Windows): text dates and thousands separators."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "月份",
            "姓名",
            "身份证号",
            "基本工资",
            "加班费",
            "夜班津贴",
            "应发工资",
            "社保",
            "扣款",
            "实发工资",
            "发放日期",
        ]
    )
    for m in months:
        writer.writerow(
            [f"{m.month.year}年{m.month.month}月", m.worker.name, m.worker.id_number, _money_text(m.base),
             _money_text(m.overtime_pay), _money_text(m.night), _money_text(m.gross), _money_text(m.social),
             _money_text(m.deduction), _money_text(m.net), m.pay_date.isoformat() if m.pay_date else ""]
        )  # fmt: skip
    writer.writerow(["合计", "", "", "", "", "", _money_text(sum((m.gross for m in months), Decimal(0)))])
    return out.getvalue().encode("gbk")


def attendance_csv(rows: Sequence[tuple[Worker, dt.date, str, str]], encoding: str = "utf-8") -> bytes:
    """A clock-in export: one row per worker-day with the first and last punch."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["工号", "姓名", "考勤日期", "上班打卡", "下班打卡"])
    for worker, day, first, last in rows:
        writer.writerow([worker.number, worker.name, day.isoformat(), first, last])
    return out.getvalue().encode(encoding)
