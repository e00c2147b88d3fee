"""Reference documents the district office publishes for every laptop: one mechanism for all of them.

Some facts a check depends on are not the coordinator's to type and not the app's to ship, because they change
by decision of a government between releases: the regional minimum-wage table, the State Council's holiday
schedule for a year (published late in the year before, so deadlines in a year the holiday libraries do not know
yet count right). The office publishes such a document on the server
(``laborcheck-server publish KIND FILE``); it travels in the change feed as a ``publication`` record and each
laptop keeps the newest version of each ``(kind, key)``.

Both ends validate a document with the same schema, here: the server before it stores one, the laptop again when
it receives one (validation at the edge — a damaged or hostile feed row is refused and logged, never used).
A kind is registered with :func:`register_kind`: its schema turns raw JSON into the canonical content and names
its key (the region of a minimum-wage table, the year of a holiday schedule). The content hash is the SHA-256 of
the canonical JSON (sorted keys, no spaces, UTF-8), the same on every side.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import LaborCheckError
from core.minimum_wage import MinimumWageError, MinimumWageTable, parse_minimum_wage_csv, validation_message
from core.text_files import decode_text
from core.workdays import HolidaySchedule, schedule_problems

__all__ = [
    "HOLIDAY_CALENDAR",
    "MINIMUM_WAGE",
    "PUBLICATION_ENTITY",
    "Publication",
    "PublicationInvalid",
    "canonical_hash",
    "documents_from_file",
    "holiday_schedule",
    "kind_label",
    "known_kinds",
    "register_kind",
    "validate_publication",
]

PUBLICATION_ENTITY: Final = "publication"
"""The entity name of published documents in the server's record store and the change feed."""

MINIMUM_WAGE: Final = "minimum_wage"
HOLIDAY_CALENDAR: Final = "holiday_calendar"


class PublicationInvalid(LaborCheckError):
    """A document that does not match its kind's schema (or names a kind this build does not know)."""


@dataclass(frozen=True)
class _Kind:
    label: str
    parse: Callable[[Any], tuple[str, dict[str, Any]]]
    read_csv: Callable[[str], list[Any]] | None


_KINDS: dict[str, _Kind] = {}


def register_kind(
    kind: str,
    label: str,
    parse: Callable[[Any], tuple[str, dict[str, Any]]],
    read_csv: Callable[[str], list[Any]] | None = None,
) -> None:
    """Make ``kind`` publishable: ``parse(raw) -> (key, canonical content)`` raises ValueError/ValidationError;
    ``read_csv(text) -> [raw, …]`` (optional) reads the office's CSV form of the document."""
    _KINDS[kind] = _Kind(label, parse, read_csv)


def documents_from_file(kind: str, name: str, data: bytes) -> list[Any]:
    """The raw documents in an office file: a ``.json`` object or list of objects, or the kind's ``.csv`` form
    (UTF-8 or GBK). Each is still to be checked with :func:`validate_publication`."""
    found = _KINDS.get(kind)
    if found is None:
        raise PublicationInvalid(f"未知的发布类型：{kind}")
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "json":
        try:
            loaded = json.loads(decode_text(data))
        except json.JSONDecodeError as error:
            raise PublicationInvalid(f"{name}：不是有效的 JSON（第{error.lineno}行）") from None
        return loaded if isinstance(loaded, list) else [loaded]
    if suffix == "csv" and found.read_csv is not None:
        try:
            return found.read_csv(decode_text(data))
        except MinimumWageError as error:
            raise PublicationInvalid(f"{name}：{error}") from None
    accepted = "JSON 或 CSV" if found.read_csv is not None else "JSON"
    raise PublicationInvalid(f"{name}：{found.label}应为 {accepted} 文件")


def known_kinds() -> list[str]:
    return sorted(_KINDS)


def kind_label(kind: str) -> str:
    found = _KINDS.get(kind)
    return found.label if found is not None else kind


def canonical_hash(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Publication:
    """A validated document: its kind, key, canonical content and that content's hash."""

    kind: str
    key: str
    content: dict[str, Any]
    content_hash: str


def validate_publication(kind: str, raw: Any) -> Publication:
    """Check ``raw`` against ``kind``'s schema and return it in canonical form; :class:`PublicationInvalid` else."""
    found = _KINDS.get(kind)
    if found is None:
        raise PublicationInvalid(f"未知的发布类型：{kind}")
    try:
        key, content = found.parse(raw)
    except ValidationError as error:
        raise PublicationInvalid(f"{found.label}内容有误：{validation_message(error)}") from None
    except ValueError as error:
        raise PublicationInvalid(f"{found.label}内容有误：{error}") from None
    return Publication(kind, key, content, canonical_hash(content))


def _minimum_wage(raw: Any) -> tuple[str, dict[str, Any]]:
    table = MinimumWageTable.model_validate(raw)
    return table.region, table.model_dump(mode="json")


def _minimum_wage_csv(text: str) -> list[Any]:
    return [table.model_dump(mode="json") for table in parse_minimum_wage_csv(text)]


register_kind(MINIMUM_WAGE, "最低工资标准", _minimum_wage, _minimum_wage_csv)


class _HolidayCalendar(BaseModel):
    """A year's schedule (SYNC.md, "Holiday calendars"): days off (放假) and weekend days worked (调休上班)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=2000, le=2100)
    holidays: list[dt.date] = Field(min_length=1, max_length=80)
    workdays: list[dt.date] = Field(default_factory=list, max_length=20)
    published_by: str = Field(default="", max_length=100)


def _holiday_calendar(raw: Any) -> tuple[str, dict[str, Any]]:
    calendar = _HolidayCalendar.model_validate(raw)
    holidays, workdays = sorted(set(calendar.holidays)), sorted(set(calendar.workdays))
    problems = schedule_problems(calendar.year, holidays, workdays)
    if problems:
        raise ValueError("；".join(problems))
    content = {
        "year": calendar.year,
        "holidays": [day.isoformat() for day in holidays],
        "workdays": [day.isoformat() for day in workdays],
        "published_by": calendar.published_by,
    }
    return str(calendar.year), content


def holiday_schedule(content: Mapping[str, Any]) -> HolidaySchedule:
    """The schedule in a validated ``holiday_calendar`` publication's canonical content."""
    return HolidaySchedule(
        int(content["year"]),
        frozenset(dt.date.fromisoformat(day) for day in content["holidays"]),
        frozenset(dt.date.fromisoformat(day) for day in content["workdays"]),
    )


register_kind(HOLIDAY_CALENDAR, "节假日安排", _holiday_calendar)
