"""The regional minimum-wage table (最低工资标准) as the district office publishes it, and the lookup for a month.

Minimum wages are set by each province (劳动法 第四十八条: "最低工资的具体标准由省、自治区、直辖市人民政府规定"),
usually in grades (档次/类) that apply to named cities and counties, as a monthly amount for full-time work and an
hourly amount for part-time work (最低工资规定 第五条), each from an effective date fixed by a document. Some
provinces' monthly figure excludes the worker's own social-insurance and housing-fund contributions (e.g. "不包含
个人应缴纳的社会保险费和住房公积金"): that is a property of the published row, so a row carries the flag.

The office publishes a table per region (a province or a city that sets its own figures), with its whole history;
laptops receive it at sync (:mod:`core.publications`) and validate it again at the edge with the same schema.

The lookup never guesses. A month is checked against the rate **in force on its first day**; where another rate
of the same grade takes effect later in that month, the month is checked against the **lower** of the two, so a
month can only be found below a minimum that applied to all of it. A month before the first rate of the grade,
and a grade or region the table does not have, is *not covered*: the check reports "not checked", never a figure.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from core.errors import LaborCheckError

__all__ = [
    "CSV_COLUMNS",
    "MinimumWageError",
    "MinimumWageRate",
    "MinimumWageTable",
    "MonthlyMinimum",
    "grades_for_area",
    "minimum_for_month",
    "parse_minimum_wage_csv",
    "validation_message",
]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
MAX_RATES: Final = 2000
MAX_MONTHLY: Final = Decimal(100_000)
MAX_HOURLY: Final = Decimal(1_000)


class MinimumWageError(LaborCheckError):
    """A table that cannot be published or used as given; the message names the row and the field."""


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError("应为金额")
    try:
        number = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValueError(f"“{value}”不是金额") from None
    if not number.is_finite() or number <= 0:
        raise ValueError("应为正数")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError("最多保留两位小数")
    return number.quantize(Decimal("0.01"))


class MinimumWageRate(BaseModel):
    """One published figure: a grade's monthly (and hourly) minimum from a date, and the document that set it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    grade: Short = Field(description="档次，如“第一档”“一类地区”")
    areas: tuple[Short, ...] = Field(default=(), max_length=300, description="适用的市、区、县")
    monthly: Decimal = Field(description="月最低工资标准（元）")
    hourly: Decimal | None = Field(default=None, description="非全日制用工小时最低工资标准（元）")
    effective_from: dt.date
    document: Text = Field(description="发布文件，如“川府规〔2024〕1号”")
    excludes_personal_contributions: bool = Field(
        default=False, description="月最低工资标准不包含劳动者个人缴纳的社会保险费和住房公积金"
    )

    @field_validator("monthly", mode="before")
    @classmethod
    def _monthly(cls, value: Any) -> Decimal:
        number = _money(value)
        if number > MAX_MONTHLY:
            raise ValueError("超出合理范围")
        return number

    @field_validator("hourly", mode="before")
    @classmethod
    def _hourly(cls, value: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = _money(value)
        if number > MAX_HOURLY:
            raise ValueError("超出合理范围")
        return number


class MinimumWageTable(BaseModel):
    """A region's whole table: every grade and every rate with its effective date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: Short = Field(description="地区（省、自治区、直辖市或自定标准的城市）")
    rates: tuple[MinimumWageRate, ...] = Field(min_length=1, max_length=MAX_RATES)

    @model_validator(mode="after")
    def _one_rate_per_grade_and_date(self) -> Self:
        seen: set[tuple[str, dt.date]] = set()
        for rate in self.rates:
            key = (rate.grade, rate.effective_from)
            if key in seen:
                raise ValueError(f"{rate.grade} 在 {rate.effective_from.isoformat()} 有两条标准")
            seen.add(key)
        return self

    @property
    def grades(self) -> list[str]:
        return list(dict.fromkeys(rate.grade for rate in self.rates))


@dataclass(frozen=True)
class MonthlyMinimum:
    """The minimum a month is checked against, with where it comes from (printed next to every figure)."""

    region: str
    grade: str
    monthly: Decimal
    hourly: Decimal | None
    effective_from: dt.date
    document: str
    excludes_personal_contributions: bool
    changed_in_month: bool
    """Another rate took effect during the month: the lower one is used (see the module docstring)."""

    @property
    def source(self) -> str:
        return f"{self.region}{self.grade}（{self.document}，{self.effective_from.isoformat()}起执行）"


def _month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def minimum_for_month(table: MinimumWageTable, grade: str, month: dt.date) -> MonthlyMinimum | None:
    """The minimum a month (any day of it) is checked against, or None when the table does not cover it."""
    first, last = _month_bounds(month)
    rates = sorted((rate for rate in table.rates if rate.grade == grade), key=lambda rate: rate.effective_from)
    in_force = [rate for rate in rates if rate.effective_from <= first]
    if not in_force:
        return None
    during = [in_force[-1], *(rate for rate in rates if first < rate.effective_from <= last)]
    lowest = min(during, key=lambda rate: (rate.monthly, rate.effective_from))
    hourlies = [rate.hourly for rate in during]
    hourly = None if any(value is None for value in hourlies) else min(v for v in hourlies if v is not None)
    return MonthlyMinimum(
        region=table.region,
        grade=grade,
        monthly=lowest.monthly,
        hourly=hourly,
        effective_from=lowest.effective_from,
        document=lowest.document,
        excludes_personal_contributions=all(rate.excludes_personal_contributions for rate in during),
        changed_in_month=len(during) > 1,
    )


def grades_for_area(tables: Iterable[MinimumWageTable], area: str) -> list[tuple[str, str]]:
    """The ``(region, grade)`` pairs whose rows name ``area`` (an enterprise's district), for a default choice."""
    wanted = area.strip()
    if not wanted:
        return []
    found: list[tuple[str, str]] = []
    for table in tables:
        for rate in table.rates:
            if wanted in rate.areas and (table.region, rate.grade) not in found:
                found.append((table.region, rate.grade))
    return found


# --- the office's file ---------------------------------------------------------------------------------------

CSV_COLUMNS: Final = {
    "region": ("地区", "省份", "region"),
    "grade": ("档次", "类别", "等级", "grade"),
    "monthly": ("月最低工资标准", "月最低工资", "月标准", "monthly"),
    "hourly": ("小时最低工资标准", "小时最低工资", "小时标准", "hourly"),
    "effective_from": ("执行日期", "生效日期", "起始日期", "effective_from"),
    "document": ("发布文件", "文件", "依据", "document"),
    "excludes_personal_contributions": (
        "不含个人缴纳社会保险费和住房公积金",
        "不含个人社保公积金",
        "excludes_personal_contributions",
    ),
    "areas": ("适用地区", "适用区县", "适用范围", "areas"),
}
_TRUE = frozenset({"是", "y", "yes", "true", "1", "√"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "", "×"})
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _key(text: str) -> str:
    return re.sub(r"[\s（）()]", "", unicodedata.normalize("NFKC", text)).lower()


def _date(text: str, where: str) -> dt.date:
    match = _DATE.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise MinimumWageError(f"{where}：执行日期“{text}”应写成 2026-10-01")
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise MinimumWageError(f"{where}：执行日期“{text}”不存在") from None


def parse_minimum_wage_csv(text: str) -> list[MinimumWageTable]:
    """Tables from the office's CSV, one row per rate (columns :data:`CSV_COLUMNS`); several regions allowed."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise MinimumWageError("文件是空的")
    lookup = {_key(alias): field for field, aliases in CSV_COLUMNS.items() for alias in aliases}
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        field = lookup.get(_key(name))
        if field is not None:
            columns.setdefault(field, index)
    missing = [
        CSV_COLUMNS[f][0] for f in ("region", "grade", "monthly", "effective_from", "document") if f not in columns
    ]
    if missing:
        raise MinimumWageError(f"缺少必需的列：{'、'.join(missing)}")
    by_region: dict[str, list[dict[str, Any]]] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {field: (row[index].strip() if index < len(row) else "") for field, index in columns.items()}
        where = f"第{line}行"
        flag = cells.get("excludes_personal_contributions", "").lower()
        if flag not in _TRUE | _FALSE:
            raise MinimumWageError(f"{where}：“不含个人缴纳社会保险费和住房公积金”应填是或否")
        rate = {
            "grade": cells["grade"],
            "monthly": cells["monthly"],
            "hourly": cells.get("hourly") or None,
            "effective_from": _date(cells["effective_from"], where),
            "document": cells["document"],
            "excludes_personal_contributions": flag in _TRUE,
            "areas": tuple(a.strip() for a in re.split(r"[、,，;；]", cells.get("areas", "")) if a.strip()),
        }
        try:
            MinimumWageRate.model_validate(rate)
        except ValidationError as error:
            raise MinimumWageError(f"{where}：{validation_message(error)}") from None
        by_region.setdefault(cells["region"], []).append(rate)
    if not by_region:
        raise MinimumWageError("文件中没有最低工资标准")
    tables = []
    for region, rates in by_region.items():
        try:
            tables.append(MinimumWageTable.model_validate({"region": region, "rates": rates}))
        except ValidationError as error:
            raise MinimumWageError(f"{region}：{validation_message(error)}") from None
    return tables


_FIELD_LABELS: Final = {
    "region": "地区",
    "grade": "档次",
    "monthly": "月最低工资标准",
    "hourly": "小时最低工资标准",
    "effective_from": "执行日期",
    "document": "发布文件",
    "areas": "适用地区",
    "rates": "标准",
    "excludes_personal_contributions": "不含个人缴纳社会保险费和住房公积金",
}


def validation_message(error: ValidationError) -> str:
    """One Chinese line per problem, naming the field ("标准第2条 月最低工资标准：应为正数")."""
    lines: list[str] = []
    for problem in error.errors():
        path: Sequence[Any] = problem.get("loc", ())
        parts = []
        for part in path:
            if isinstance(part, int):
                parts.append(f"第{part + 1}条")
            else:
                parts.append(_FIELD_LABELS.get(str(part), str(part)))
        message = str(problem.get("msg", "")).removeprefix("Value error, ")
        lines.append(f"{' '.join(parts)}：{message}" if parts else message)
    return "；".join(lines)
