"""风险摸排 data: the departmental sheets (tax, social insurance, loans, complaints, credit grade, logistics).

Other departments share lists of enterprises (缴税、缴费、还贷、物流, wage-arrears complaints, the labour-inspection
credit grade A/B/C). The office uploads one as xlsx or csv (UTF-8 or GBK); each row names an enterprise by its
统一社会信用代码 and, where it matters, a value (the credit grade, an amount, a note). Every row is judged and
reported with its line number, like the laptop's registry import: by default a sheet with any bad row imports
nothing (all or nothing); the office may choose to import the good rows only.

An indicator is a ``risk_indicator`` record of the district (so it reaches laptops at their next sync and the
enterprise's grade on both sides, :mod:`core.risk`); importing the same kind from the same source for the same
enterprise again replaces the earlier value instead of adding a second one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import uuid6
from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as NumberInvalid

from core.risk import CREDIT_GRADES, INDICATOR_KINDS, INDICATOR_LABELS
from server.console.markers import T
from server.feed import put_record
from server.models import Record

MAX_ROWS: Final = 20_000
MAX_BYTES: Final = 10 * 1024 * 1024
CODE_COLUMNS: Final = ("统一社会信用代码", "信用代码", "社会信用代码", "uscc")
NAME_COLUMNS: Final = ("企业名称", "单位名称", "名称", "name")
KIND_COLUMNS: Final = ("指标", "类型", "风险类型", "kind")
VALUE_COLUMNS: Final = ("等级", "信用等级", "情况", "金额", "数值", "value")
DATE_COLUMNS: Final = ("日期", "数据日期", "统计日期", "date")
KIND_BY_LABEL: Final = {**{label: kind for kind, label in INDICATOR_LABELS.items()}, **{k: k for k in INDICATOR_KINDS}}


class SheetUnreadable(Exception):
    """The file cannot be read at all (type, encoding, size, missing code column): a message for the office."""


@dataclass(frozen=True)
class RowReport:
    line: int
    uscc: str
    name: str
    kind: str
    ok: bool
    message: str


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    imported: int = 0
    replaced: int = 0
    applied: bool = False

    @property
    def errors(self) -> list[RowReport]:
        return [row for row in self.rows if not row.ok]

    @property
    def good(self) -> int:
        return sum(1 for row in self.rows if row.ok)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_sheet(name: str, data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, {header: text})`` for each row of an xlsx or csv sheet (line numbers as the office sees them)."""
    if len(data) > MAX_BYTES:
        raise SheetUnreadable(T("文件过大（最大 10 MB），请拆分后导入"))
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx":
        yield from _read_xlsx(data)
        return
    if suffix != "csv":
        raise SheetUnreadable(T("只能导入 .xlsx 或 .csv 文件"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetUnreadable(T("无法识别文件编码（应为 UTF-8 或 GBK）"))
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    for line, row in enumerate(reader, start=2):
        if any(cell.strip() for cell in row):
            yield line, {header[i]: row[i].strip() for i in range(min(len(header), len(row)))}


def _read_xlsx(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook  # only when a sheet is imported

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise SheetUnreadable(f"无法读取 Excel 文件：{type(error).__name__}") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_cell(value) for value in next(rows, ())]
        for line, row in enumerate(rows, start=2):
            cells = [_cell(value) for value in row]
            if any(cells):
                yield line, {header[i]: cells[i] for i in range(min(len(header), len(cells))) if header[i]}
    finally:
        book.close()


def _pick(row: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        if row.get(name):
            return row[name]
    return ""


def _date(text: str) -> str | None:
    for candidate in (text[:10], text[:10].replace("/", "-"), text[:10].replace(".", "-")):
        try:
            return dt.date.fromisoformat(candidate).isoformat()
        except ValueError:
            continue
    return None


def import_indicators(
    session: Session,
    *,
    district_id: int,
    rows: Iterator[tuple[int, dict[str, str]]],
    default_kind: str,
    source: str,
    good_rows_only: bool,
    writer: str,
    today: dt.date,
) -> ImportReport:
    """Judge every row, then import all of them, or none (or only the good ones, when asked)."""
    if default_kind not in INDICATOR_KINDS:
        raise SheetUnreadable(T("请选择数据类型"))
    source = source.strip()[:50]
    if not source:
        raise SheetUnreadable(T("请填写数据来源（提供数据的部门）"))
    report = ImportReport()
    accepted: list[tuple[str, str, str, str | None]] = []
    seen: set[tuple[str, str]] = set()
    codes: dict[str, str] = {}
    staged: list[tuple[int, dict[str, str]]] = []
    for line, row in rows:
        if len(staged) >= MAX_ROWS:
            raise SheetUnreadable(f"行数过多（最多 {MAX_ROWS} 行），请拆分后导入")
        staged.append((line, row))
        code = _pick(row, CODE_COLUMNS).upper().replace(" ", "")
        if code:
            codes[code] = ""
    if staged and not any(_pick(row, CODE_COLUMNS) for _, row in staged):
        raise SheetUnreadable(T("表头中没有“统一社会信用代码”列"))
    registry = _registry(session, district_id, sorted(codes))
    for line, row in staged:
        code = _pick(row, CODE_COLUMNS).upper().replace(" ", "")
        name = _pick(row, NAME_COLUMNS)
        kind = KIND_BY_LABEL.get(_pick(row, KIND_COLUMNS), "") if _pick(row, KIND_COLUMNS) else default_kind
        value = _pick(row, VALUE_COLUMNS)[:100]
        problem = ""
        if not code:
            problem = T("缺少统一社会信用代码")
        elif not kind:
            problem = f"未知的数据类型：{_pick(row, KIND_COLUMNS)}"
        else:
            try:
                stdnum_uscc.validate(code)
            except NumberInvalid:
                problem = T("统一社会信用代码不正确（校验位不符或格式有误）")
        if not problem and code not in registry:
            problem = T("本区企业名录中没有该统一社会信用代码（请先导入企业名录）")
        if not problem and kind == "credit_grade":
            value = value.strip().upper()
            if value not in CREDIT_GRADES:
                problem = T("劳动保障守法诚信等级应为 A、B 或 C")
        if not problem and (code, kind) in seen:
            problem = T("与前面的行重复（同一企业、同一类型）")
        ok = not problem
        report.rows.append(RowReport(line, code, name, kind, ok, problem or T("可导入")))
        if ok:
            seen.add((code, kind))
            accepted.append((registry[code], kind, value, _date(_pick(row, DATE_COLUMNS))))
    if report.errors and not good_rows_only:
        return report
    for enterprise_id, kind, value, observed_on in accepted:
        natural_key = f"{kind}:{enterprise_id}:{source}"[:120]
        existing = session.scalars(
            select(Record).where(Record.entity == "risk_indicator", Record.natural_key == natural_key)
        ).one_or_none()
        entity_id = existing.entity_id if existing is not None else str(uuid6.uuid7())
        put_record(
            session,
            entity="risk_indicator",
            entity_id=entity_id,
            data={
                "id": entity_id,
                "enterprise_id": enterprise_id,
                "kind": kind,
                "value": value,
                "source": source,
                "observed_on": observed_on or today.isoformat(),
            },
            writer=writer,
            district_id=district_id,
            natural_key=natural_key,
        )
        if existing is not None and not existing.deleted:
            report.replaced += 1
        report.imported += 1
    report.applied = True
    return report


def _registry(session: Session, district_id: int, codes: list[str]) -> dict[str, str]:
    """Enterprise ids of the district by credit code."""
    found: dict[str, str] = {}
    for start in range(0, len(codes), 500):
        part = codes[start : start + 500]
        for entity_id, code in session.execute(
            select(Record.entity_id, Record.natural_key).where(
                Record.entity == "enterprise",
                Record.natural_key.in_(part),
                Record.district_id == district_id,
                Record.deleted.is_(False),
            )
        ):
            found[str(code)] = entity_id
    return found
