"""Import the enterprise registry from the district's ledger: .xlsx (Excel, WPS) or .csv.

Promise: **all or nothing, never half silently.** Every row is read and checked before anything is written. If any
row is wrong, nothing is imported and the report lists every problem by line ("第12行：…"), so the coordinator can
fix the file and import it again. With ``accept_partial=True`` the good rows are imported and the bad ones are
listed as not imported. Either way the writes happen in the caller's transaction, so a failure while writing rolls
back the whole import with it.

Reading follows what offices really send:

* the first worksheet of an .xlsx (cached values, not formulas); a .txt is read as CSV;
* headers as in the ledger (单位名称, 统一社会信用代码, 所属行业, 地址, 所属区县, 联系人, 联系电话 or the combined
  联系人及电话, 上年底职工数量, 目前职工数量, 是否重点企业) or their English names; a title row above the header
  is skipped; columns we do not know are reported, and a missing 名称 or 代码 column stops the import naming it;
* a CSV's encoding is detected: UTF-8 with or without BOM, else GB18030 (a superset of the GBK that Excel in
  China writes), or UTF-16 with a BOM ("Unicode text");
* numbers such as "120人", "1,200" or 120.0 are read as 120 / 1200; anything else is reported, not guessed;
* a code Excel turned into a number (digits only, precision lost) is reported with how to fix the column.

An existing code updates that enterprise with the non-blank cells of the row: a blank cell never erases what the
registry holds, because ledgers are often partial.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import enum
import io
import re
import threading
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.enterprises import (
    FIELD_LABELS,
    EnterpriseInput,
    InvalidEnterprise,
    apply_input,
    input_of,
    name_initials,
    normalise_input,
)
from app.audit.uscc import InvalidUSCC, validate_uscc
from app.models.enterprise import Enterprise
from core.errors import LaborCheckError

HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 100
"""How many rows from the top may hold titles before the header row."""
_PREFETCH_CHUNK = 500
_COMBINED_CONTACT = "contact"

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("单位名称", "企业名称", "名称", "用人单位名称", "用人单位", "单位", "name", "enterprise_name", "company"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "uscc", "credit_code", "code"),
    "industry": ("所属行业", "行业", "industry"),
    "address": ("地址", "单位地址", "企业地址", "注册地址", "经营地址", "address"),
    "district": ("所属区县", "区县", "所属区域", "区域", "所属区县/区域", "district", "region"),
    "contact_name": ("联系人", "联系人姓名", "contact_name", "contact"),
    "contact_phone": ("联系电话", "电话", "联系方式", "手机", "contact_phone", "phone"),
    _COMBINED_CONTACT: ("联系人及电话", "联系人及联系电话", "联系人和电话"),
    "headcount_last_year_end": (
        "上年底职工数量",
        "上年底职工人数",
        "上年末职工数量",
        "上年末职工人数",
        "headcount_last_year_end",
    ),
    "headcount": ("目前职工数量", "目前职工人数", "职工数量", "职工人数", "现有职工数", "headcount"),
    "is_key": ("是否重点企业", "重点企业", "is_key", "key"),
}
_IGNORED_HEADERS = ("序号", "编号", "no", "no.", "备注")
"""Columns every ledger has that carry nothing for the registry: not reported as unknown."""
REQUIRED_FIELDS = ("name", "uscc")

_TRUE_WORDS = frozenset({"是", "重点", "重点企业", "y", "yes", "true", "1", "√", "✓", "✔"})
_FALSE_WORDS = frozenset({"否", "非重点", "不是", "n", "no", "false", "0", "×", "✗", "✘"})
_COUNT_PATTERN = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?$")
_PHONE_PATTERN = re.compile(r"(\+?\d[\d\- ]{5,}\d)")


class RowStatus(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclasses.dataclass
class RowResult:
    """One data row of the file: its line as Excel numbers it, what happened, and every problem found."""

    line: int
    status: RowStatus
    uscc: str
    messages: list[str] = dataclasses.field(default_factory=list)
    name: str = ""


@dataclasses.dataclass
class ImportReport:
    """What an import did (``applied``) or would have done, row by row."""

    rows: list[RowResult]
    unknown_headers: list[str] = dataclasses.field(default_factory=list)
    applied: bool = False

    @property
    def totals(self) -> dict[RowStatus, int]:
        counts = dict.fromkeys(RowStatus, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.status is RowStatus.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(row.status is RowStatus.ERROR for row in self.rows)


class EnterpriseImportError(LaborCheckError):
    """The file as a whole cannot be imported (unreadable, no header, a required column missing)."""


@dataclasses.dataclass
class _Header:
    line: int
    columns: dict[str, int]
    unknown: list[str]


def _header_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).strip().lower()
    key = re.sub(r"[\s_\-*:：]", "", key)
    return re.sub(r"\((必填|选填)\)$", "", key)


_HEADER_LOOKUP = {_header_key(alias): field for field, aliases in _HEADER_ALIASES.items() for alias in aliases}
_IGNORED_KEYS = frozenset(_header_key(name) for name in _IGNORED_HEADERS)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _detect_header(rows: Iterable[tuple[int, list[object]]]) -> _Header | None:
    for seen, (line, cells) in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            return None
        keys = [_header_key(_cell_text(cell)) for cell in cells]
        if not any(_HEADER_LOOKUP.get(key) in REQUIRED_FIELDS for key in keys):
            continue
        columns: dict[str, int] = {}
        unknown: list[str] = []
        for index, (cell, key) in enumerate(zip(cells, keys, strict=True)):
            field = _HEADER_LOOKUP.get(key)
            if field is None:
                if key and key not in _IGNORED_KEYS:
                    unknown.append(_cell_text(cell))
                continue
            if field in columns:
                label = FIELD_LABELS.get(field, "联系人及电话")
                raise EnterpriseImportError(
                    f"第{line}行表头中“{label}”出现了两次（第{columns[field] + 1}列和第{index + 1}列），"
                    "请删除多余的一列"
                )
            columns[field] = index
        missing = [FIELD_LABELS[field] for field in REQUIRED_FIELDS if field not in columns]
        if missing:
            raise EnterpriseImportError(f"缺少必需的列：{'、'.join(missing)}（表头在第{line}行）")
        return _Header(line, columns, unknown)
    return None


# --- reading files -------------------------------------------------------------------------------------------


def _decode_csv(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise EnterpriseImportError(
            "无法识别CSV文件的编码，请在Excel中另存为“CSV UTF-8（逗号分隔）”后重新导入"
        ) from error


def _read_csv(path: Path) -> list[tuple[int, list[object]]]:
    text = _decode_csv(path.read_bytes())
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return [(line, list(row)) for line, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise EnterpriseImportError(f"CSV文件第{reader.line_num}行格式有误：{error}") from error


def _read_xlsx(path: Path) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # Files saved by WPS or generated by other systems trigger harmless style/extension warnings.
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises zipfile, KeyError or its own errors for a damaged file
            raise EnterpriseImportError(f"无法打开Excel文件（{path.name}），文件可能已损坏或不是.xlsx格式") from error
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some writers record a wrong sheet size; read what is really there
            return [(line, list(row)) for line, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        finally:
            workbook.close()


def _read_table(path: Path) -> list[tuple[int, list[object]]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise EnterpriseImportError(f"找不到文件：{path}")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix in (".xls", ".et"):
        raise EnterpriseImportError("不支持旧版Excel格式（.xls/.et），请在Excel或WPS中另存为.xlsx后导入")
    raise EnterpriseImportError(f"不支持的文件类型“{suffix or path.name}”，请使用.xlsx或.csv文件")


# --- reading cells -------------------------------------------------------------------------------------------


def parse_headcount(value: object, label: str) -> int | None:
    """A number of people from a cell: 120, 120.0, "120人", "1,200", "１２０" → an int; blank → ``None``.

    Raises ``ValueError`` with a Chinese message for anything else (ranges, words, negatives, fractions).
    """
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueError(f"{label}“{value}”不是人数")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{label}不能为负数（{value}）")
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{label}应为整数，实际为{value:g}")
        return parse_headcount(int(value), label)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    compact = re.sub(r"\s+", "", text).removesuffix("人").removesuffix("名")
    if compact.startswith("-"):
        raise ValueError(f"{label}不能为负数（{text}）")
    match = _COUNT_PATTERN.fullmatch(compact)
    if match is None:
        raise ValueError(f"{label}“{text}”无法识别为人数，请填写整数，例如120")
    return int(match.group(1).replace(",", ""))


def parse_is_key(value: object) -> bool | None:
    """是/否 and the usual spellings (Y/N, √/×, 1/0, true/false); blank → ``None``; else ``ValueError``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", _cell_text(value)).strip().lower()
    if not text:
        return None
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    raise ValueError(f"是否重点企业“{_cell_text(value)}”无法识别，请填写“是”或“否”")


def split_contact(text: str) -> tuple[str, str]:
    """Split a ledger's "联系人及电话" cell ("张三 13800000000", "张三/0818-1234567") into name and phone."""
    match = _PHONE_PATTERN.search(text)
    if match is None:
        return text.strip(" ：:，,/、;；"), ""
    phone = match.group(1).strip()
    name = (text[: match.start()] + text[match.end() :]).strip(" ：:，,/、;；（）()")
    return name, phone


def _uscc_cell(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(
            "统一社会信用代码被Excel存成了数字（末几位可能已丢失），请把该列设为“文本”格式后按营业执照重新填写"
        )
    return _cell_text(value)


@dataclasses.dataclass
class _ParsedRow:
    line: int
    cells: dict[str, Any]
    messages: list[str]
    uscc: str = ""
    uscc_valid: bool = False
    name: str = ""


def _parse_row(line: int, cells: list[object], header: _Header) -> _ParsedRow:
    def cell(field: str) -> object:
        index = header.columns.get(field)
        return cells[index] if index is not None and index < len(cells) else None

    parsed = _ParsedRow(line, {}, [])
    try:
        raw_code = _uscc_cell(cell("uscc"))
    except ValueError as error:
        parsed.messages.append(str(error))
        raw_code = ""
    else:
        try:
            parsed.uscc = validate_uscc(raw_code)
            parsed.uscc_valid = True
        except InvalidUSCC as error:
            parsed.uscc = error.code
            parsed.messages.append(str(error))
    parsed.name = _cell_text(cell("name"))
    if not parsed.name:
        parsed.messages.append("单位名称未填写")
    for field in ("industry", "address", "district", "contact_name", "contact_phone"):
        text = _cell_text(cell(field))
        if text:
            parsed.cells[field] = text
    combined = _cell_text(cell(_COMBINED_CONTACT))
    if combined:
        contact_name, contact_phone = split_contact(combined)
        if contact_name and "contact_name" not in parsed.cells:
            parsed.cells["contact_name"] = contact_name
        if contact_phone and "contact_phone" not in parsed.cells:
            parsed.cells["contact_phone"] = contact_phone
    for field in ("headcount_last_year_end", "headcount"):
        try:
            count = parse_headcount(cell(field), FIELD_LABELS[field])
        except ValueError as error:
            parsed.messages.append(str(error))
        else:
            if count is not None:
                parsed.cells[field] = count
    try:
        is_key = parse_is_key(cell("is_key"))
    except ValueError as error:
        parsed.messages.append(str(error))
    else:
        if is_key is not None:
            parsed.cells["is_key"] = is_key
    return parsed


def _existing_by_code(session: Session, codes: list[str]) -> dict[str, Enterprise]:
    found: dict[str, Enterprise] = {}
    for start in range(0, len(codes), _PREFETCH_CHUNK):
        chunk = codes[start : start + _PREFETCH_CHUNK]
        for enterprise in session.scalars(select(Enterprise).where(Enterprise.uscc.in_(chunk))):
            found[enterprise.uscc] = enterprise
    return found


def _plan(parsed: _ParsedRow, existing: Enterprise | None) -> tuple[RowResult, EnterpriseInput | None]:
    """Check the merged record; the row's result and, when it is good, the normalised input to write."""
    base = input_of(existing) if existing is not None else EnterpriseInput(uscc=parsed.uscc, name=parsed.name)
    merged = dataclasses.replace(base, uscc=parsed.uscc, name=parsed.name, **parsed.cells)
    try:
        checked = normalise_input(merged)
    except InvalidEnterprise as error:
        return RowResult(parsed.line, RowStatus.ERROR, parsed.uscc, error.messages, parsed.name), None
    if existing is None:
        status = RowStatus.CREATED
    elif checked == input_of(existing) and existing.name_initials == name_initials(checked.name):
        status = RowStatus.UNCHANGED
    else:
        status = RowStatus.UPDATED
    return RowResult(parsed.line, status, checked.uscc, [], checked.name), checked


class ImportCancelled(LaborCheckError):
    def __init__(self) -> None:
        super().__init__("已取消导入，未写入任何企业")


def import_enterprises(
    session: Session,
    path: Path,
    *,
    accept_partial: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Read ``path`` (.xlsx or .csv), check every row, and write the registry unless a row is wrong.

    Returns the per-row report; ``report.applied`` says whether anything was written. File-level problems raise
    :class:`EnterpriseImportError`. Writes are flushed, not committed: the caller's unit of work commits.
    ``on_progress(done, total)`` reports rows checked then written (for a progress bar); setting ``cancel``
    raises :class:`ImportCancelled`, and the caller's rollback leaves the registry as it was.
    """
    rows = _read_table(path)
    total = 2 * len(rows)

    def step(done: int) -> None:
        if cancel is not None and cancel.is_set():
            raise ImportCancelled()
        if on_progress is not None and done % PROGRESS_EVERY == 0:
            on_progress(done, total)

    table = iter(rows)
    header = _detect_header(table)
    if header is None:
        wanted = "、".join(FIELD_LABELS[field] for field in REQUIRED_FIELDS)
        raise EnterpriseImportError(f"文件前{HEADER_SEARCH_ROWS}行中没有找到表头（应含“{wanted}”列）")
    parsed_rows: list[_ParsedRow] = []
    first_line_of: dict[str, int] = {}
    for index, (line, cells) in enumerate(table):
        step(index)
        if not any(_cell_text(cell) for cell in cells):
            continue
        parsed = _parse_row(line, cells, header)
        if parsed.uscc_valid:
            earlier = first_line_of.setdefault(parsed.uscc, line)
            if earlier != line:
                parsed.messages.append(f"统一社会信用代码{parsed.uscc}与第{earlier}行重复")
        parsed_rows.append(parsed)

    good_codes = [row.uscc for row in parsed_rows if not row.messages]
    existing = _existing_by_code(session, good_codes)
    results: list[RowResult] = []
    writes: list[tuple[Enterprise | None, EnterpriseInput]] = []
    for parsed in parsed_rows:
        if parsed.messages:
            results.append(RowResult(parsed.line, RowStatus.ERROR, parsed.uscc, parsed.messages, parsed.name))
            continue
        current = existing.get(parsed.uscc)
        result, checked = _plan(parsed, current)
        results.append(result)
        if checked is not None and result.status is not RowStatus.UNCHANGED:
            writes.append((current, checked))

    report = ImportReport(results, header.unknown)
    if report.has_errors and not accept_partial:
        return report
    for index, (current, checked) in enumerate(writes):
        step(len(rows) + index)
        if current is None:
            session.add(Enterprise(**dataclasses.asdict(checked), name_initials=name_initials(checked.name)))
        else:
            apply_input(current, checked)
    session.flush()
    report.applied = True
    if on_progress is not None:
        on_progress(total, total)
    return report


def format_report(report: ImportReport) -> str:
    """The report for a coordinator, in Chinese: a summary, then one line per problem ("第12行：…")."""
    totals = report.totals
    errors = totals[RowStatus.ERROR]
    good = len(report.rows) - errors
    lines: list[str] = []
    if not report.rows:
        lines.append("文件中没有企业数据")
    elif report.applied:
        summary = (
            f"导入完成：新增{totals[RowStatus.CREATED]}家，更新{totals[RowStatus.UPDATED]}家，"
            f"无变化{totals[RowStatus.UNCHANGED]}家"
        )
        if errors:
            summary += f"；{errors}行有错误，未导入（见下）"
        lines.append(summary)
    else:
        lines.append(
            f"未导入任何数据：{errors}行有错误（见下）。请改正后重新导入，或选择只导入无误的{good}行"
            f"（其中新增{totals[RowStatus.CREATED]}家，更新{totals[RowStatus.UPDATED]}家）"
        )
    if report.unknown_headers:
        lines.append(f"以下列未识别，已忽略：{'、'.join(report.unknown_headers)}")
    for row in report.error_rows:
        lines.extend(f"第{row.line}行：{message}" for message in row.messages)
    return "\n".join(lines)


__all__ = [
    "EnterpriseImportError",
    "ImportReport",
    "RowResult",
    "RowStatus",
    "format_report",
    "import_enterprises",
    "parse_headcount",
    "parse_is_key",
    "split_contact",
]
