"""Per-field merge of shared enterprise facts, and the policy it states.

- Registry fields (name, USCC, address, industry, district, key-enterprise flag) belong to the office: an office
  edit applies; a coordinator's edit does not, it becomes a *proposal* the office reviews, and the coordinator's
  value is reported back as a losing value.
- Visit-observed facts (headcount, headcount at last year end, contact name and phone) take the latest
  observation by observed time (the laptop's edit time, never later than the server's clock).
- Which fields a laptop changed is decided against the version it started from (``base_version``; the server
  keeps past versions), so a laptop's stale copy of a field is never mistaken for an edit.
- Every value that lost, either way, is returned as a :class:`FieldConflict` and kept in ``conflict_entry``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from app.sync.protocol import FieldConflict
from core.initials import name_initials

REGISTRY_FIELDS = ("name", "uscc", "address", "industry", "district", "is_key")
OBSERVED_FIELDS = ("headcount", "headcount_last_year_end", "contact_name", "contact_phone")
MERGED_FIELDS = REGISTRY_FIELDS + OBSERVED_FIELDS

OFFICE_WINS = "登记信息以区办为准：您的修改已作为修改建议提交区办审核"
SERVER_LATER = "以最新观察为准：服务器上的记录更晚，保留服务器的值"
LOCAL_LATER = "以最新观察为准：本机的观察更晚，已替换服务器上较早的值"


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@dataclass
class MergeResult:
    data: dict[str, Any]
    observed: dict[str, str]
    changed: bool = False
    conflicts: list[FieldConflict] = field(default_factory=list)
    proposals: list[FieldConflict] = field(default_factory=list)


def merge_enterprise(
    *,
    entity_id: str,
    current: dict[str, Any],
    observed: dict[str, str],
    base: dict[str, Any] | None,
    incoming: dict[str, Any],
    observed_at: dt.datetime,
    office: bool,
) -> MergeResult:
    """Merge ``incoming`` (a laptop's row, or the office's edit) into the server's ``current`` row."""
    result = MergeResult(data=dict(current), observed=dict(observed))
    for name in MERGED_FIELDS:
        if name not in incoming:
            continue
        value = incoming[name]
        if base is not None and name in base and base[name] == value:
            continue  # the laptop did not touch this field: its value is merely what it last saw
        if current.get(name) == value:
            continue
        if name in REGISTRY_FIELDS:
            if office:
                result.data[name] = value
                result.changed = True
            else:
                entry = FieldConflict(
                    entity="enterprise",
                    entity_id=entity_id,
                    field=name,
                    local_value=as_text(value),
                    server_value=as_text(current.get(name)),
                    resolution=OFFICE_WINS,
                )
                result.conflicts.append(entry)
                result.proposals.append(entry)
            continue
        server_time = parse_time(observed.get(name))
        if server_time is None or observed_at >= server_time:
            base_value = base.get(name) if base is not None else None
            if base is not None and current.get(name) != base_value and not office:
                result.conflicts.append(
                    FieldConflict(
                        entity="enterprise",
                        entity_id=entity_id,
                        field=name,
                        local_value=as_text(value),
                        server_value=as_text(current.get(name)),
                        resolution=LOCAL_LATER,
                    )
                )
            result.data[name] = value
            result.observed[name] = observed_at.isoformat()
            result.changed = True
        else:
            result.conflicts.append(
                FieldConflict(
                    entity="enterprise",
                    entity_id=entity_id,
                    field=name,
                    local_value=as_text(value),
                    server_value=as_text(current.get(name)),
                    resolution=SERVER_LATER,
                )
            )
    return result


def public_enterprise(data: dict[str, Any]) -> dict[str, Any]:
    """The fields the server keeps and serves for an enterprise (laptop-only caches are dropped)."""
    keep = ("id", *MERGED_FIELDS, "created_at")
    return {name: data.get(name) for name in keep if name in data}


def with_initials(data: dict[str, Any]) -> dict[str, Any]:
    """The enterprise's fields with the pinyin initials of its name (:mod:`core.initials`), computed whenever the
    server writes an enterprise, so laptops pulling the registry store them instead of converting every name."""
    name = data.get("name")
    if not isinstance(name, str) or not name:
        return data
    return {**data, "name_initials": name_initials(name)}
