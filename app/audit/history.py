"""Recording and reading the change history: who changed what after a visit was finished, and why.

Services that change a finished audit, a finding, a rectification item or a notice call :func:`record_changes`
inside the same unit of work as the change itself, so the history and the data can never disagree. A reason is
required (:class:`ReasonRequired` otherwise); one row is written per field whose value actually changed. The
person is the laptop's active coordinator profile, the device its device code; the time is UTC.

The rows are append-only in storage (triggers refuse UPDATE and DELETE); the timeline functions read them back
in order, with Chinese field labels, for the history view and for reviewers.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.audit.profile import require_coordinator
from app.models import Audit, AuditStatus, ChangeHistory, Finding, Notice, RectificationItem, utcnow
from core.clock import CHINA_TZ
from core.errors import LaborCheckError

ENTITY_LABELS = {
    "audit": "体检记录",
    "finding": "问题",
    "rectification_item": "整改事项",
    "notice": "整改通知书",
    "wage_check": "工资考勤核查",
}

FIELD_LABELS = {
    "requirement": "整改要求",
    "deadline": "整改时限",
    "deadline_estimated": "时限为估算",
    "responsible_person": "整改负责人",
    "responsible_phone": "联系电话",
    "status": "状态",
    "submitted_at": "提交整改材料时间",
    "submitted_note": "企业整改说明",
    "verified_on": "复查日期",
    "verified_by": "复查人",
    "verification_note": "复查说明",
    "follow_up_id": "复查记录",
    "description": "问题表述",
    "description_en": "问题表述（英文）",
    "note_on_notice": "备注写入通知书",
    "removed_reason": "删除理由",
    "removed_at": "删除时间",
    "void_reason": "作废理由",
    "voided_at": "作废时间",
    "supersedes_id": "替代的通知书",
    "arrived_at": "到达时间",
    "departed_at": "离开时间",
    "people_met": "接待人员",
    "documents_inspected": "查阅资料",
    "excluded_worker": "排除核查的劳动者",
}

STATUS_LABELS = {
    "open": "未整改",
    "submitted": "已提交整改材料",
    "verified": "已复查销号",
    "draft": "草稿",
    "signed": "已签署",
    "voided": "已作废",
    "in_progress": "进行中",
    "finished": "已完成",
}


class ReasonRequired(LaborCheckError):
    def __init__(self, what: str = "修改") -> None:
        super().__init__(f"体检完成后的{what}必须说明理由，理由将记入修改记录")


def require_reason(reason: str | None, what: str = "修改") -> str:
    """The stripped reason, or :class:`ReasonRequired` when it is empty."""
    text = (reason or "").strip()
    if not text:
        raise ReasonRequired(what)
    return text


def audit_is_finished(session: Session, audit_id: str) -> bool:
    status = session.execute(select(Audit.status).where(Audit.id == audit_id)).scalar_one_or_none()
    return status is AuditStatus.FINISHED


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def to_json(value: Any) -> str:
    """The stored form of a value: JSON text, Chinese as is, keys sorted (so equal values compare equal)."""
    return json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=True)


def snapshot(obj: object, fields: Iterable[str]) -> dict[str, str]:
    """The JSON text of ``fields`` of ``obj`` now: take one before a change and diff it with :func:`record_diff`."""
    return {name: to_json(getattr(obj, name)) for name in fields}


def record_changes(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    audit_id: str,
    changes: Mapping[str, tuple[Any, Any]],
    reason: str,
    when: dt.datetime | None = None,
) -> list[ChangeHistory]:
    """Append one history row per field whose old and new values differ; the reason must not be empty."""
    text = require_reason(reason)
    coordinator = require_coordinator(session)
    moment = when or utcnow()
    rows: list[ChangeHistory] = []
    for name, (old, new) in changes.items():
        old_text, new_text = to_json(old), to_json(new)
        if old_text == new_text:
            continue
        rows.append(
            ChangeHistory(
                entity=entity,
                entity_id=entity_id,
                audit_id=audit_id,
                field=name,
                old_value=old_text,
                new_value=new_text,
                reason=text,
                who=coordinator.name,
                device_code=coordinator.device_code,
                changed_at=moment,
            )
        )
    session.add_all(rows)
    session.flush()
    return rows


def record_diff(
    session: Session,
    obj: Any,
    before: Mapping[str, str],
    *,
    entity: str,
    audit_id: str,
    reason: str,
) -> list[ChangeHistory]:
    """Record the fields of ``obj`` that differ from a :func:`snapshot` taken before the change."""
    changes = {
        name: (json.loads(old), getattr(obj, name))
        for name, old in before.items()
        if old != to_json(getattr(obj, name))
    }
    return record_changes(
        session, entity=entity, entity_id=str(obj.id), audit_id=audit_id, changes=changes, reason=reason
    )


# --- reading ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One row of the timeline, in plain values."""

    id: str
    entity: str
    entity_id: str
    audit_id: str
    field: str
    old: Any
    new: Any
    reason: str
    who: str
    device_code: str
    changed_at: dt.datetime

    @property
    def entity_label(self) -> str:
        return ENTITY_LABELS.get(self.entity, self.entity)

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def old_text(self) -> str:
        return display_value(self.field, self.old)

    @property
    def new_text(self) -> str:
        return display_value(self.field, self.new)


def display_value(field: str, value: Any) -> str:
    """A stored value as a reviewer reads it: statuses in Chinese, people as 姓名（职务）, empty as “（空）”."""
    if value is None or value == "" or value == []:
        return "（空）"
    if field == "status" and isinstance(value, str):
        return STATUS_LABELS.get(value, value)
    if field == "people_met" and isinstance(value, list):
        return "、".join(
            f"{person.get('name', '')}（{person.get('role', '')}）" if person.get("role") else str(person.get("name"))
            for person in value
            if isinstance(person, dict)
        )
    if isinstance(value, list):
        return "、".join(str(part) for part in value)
    if field.endswith("_id") and isinstance(value, str):
        return f"编号 {value[:8]}…"  # a linked record (follow-up, superseded notice): its id, shortened
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.endswith("_at") and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _entry(row: ChangeHistory) -> HistoryEntry:
    return HistoryEntry(
        id=row.id,
        entity=row.entity,
        entity_id=row.entity_id,
        audit_id=row.audit_id,
        field=row.field,
        old=json.loads(row.old_value) if row.old_value is not None else None,
        new=json.loads(row.new_value) if row.new_value is not None else None,
        reason=row.reason,
        who=row.who,
        device_code=row.device_code,
        changed_at=row.changed_at,
    )


def history_of_audit(session: Session, audit_id: str) -> list[HistoryEntry]:
    """Every recorded change of an audit and of what hangs on it, oldest first."""
    rows = session.scalars(
        select(ChangeHistory)
        .where(ChangeHistory.audit_id == audit_id)
        .order_by(ChangeHistory.changed_at, ChangeHistory.id)
    )
    return [_entry(row) for row in rows]


def history_of_item(session: Session, item_id: str) -> list[HistoryEntry]:
    """The changes of one rectification item and of its finding, oldest first."""
    item = session.get(RectificationItem, item_id)
    ids = [item_id] + ([item.finding_id] if item is not None else [])
    rows = session.scalars(
        select(ChangeHistory)
        .where(or_(*(ChangeHistory.entity_id == entity_id for entity_id in ids)))
        .order_by(ChangeHistory.changed_at, ChangeHistory.id)
    )
    return [_entry(row) for row in rows]


def entity_titles(session: Session, entries: Iterable[HistoryEntry], width: int = 28) -> dict[str, str]:
    """A short title for each entity in ``entries``: the problem text of a finding or item, a notice's number."""
    titles: dict[str, str] = {}

    def short(text: str) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    for entry in entries:
        if entry.entity_id in titles:
            continue
        title = ""
        if entry.entity == "rectification_item":
            item = session.get(RectificationItem, entry.entity_id)
            finding = session.get(Finding, item.finding_id) if item is not None else None
            title = short(finding.title or finding.description) if finding is not None else ""
        elif entry.entity == "finding":
            finding = session.get(Finding, entry.entity_id)
            title = short(finding.title or finding.description) if finding is not None else ""
        elif entry.entity == "notice":
            notice = session.get(Notice, entry.entity_id)
            title = notice.number if notice is not None else ""
        titles[entry.entity_id] = title
    return titles


__all__ = [
    "ENTITY_LABELS",
    "FIELD_LABELS",
    "HistoryEntry",
    "ReasonRequired",
    "audit_is_finished",
    "display_value",
    "entity_titles",
    "history_of_audit",
    "history_of_item",
    "record_changes",
    "record_diff",
    "require_reason",
    "snapshot",
    "to_json",
]
