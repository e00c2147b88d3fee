"""企业: one enterprise as the office sees it, and the office's registry edit through the per-field merge.

What the page shows: the registry facts, the risk grade with its reasons and the departmental indicators behind
them (with their sources), every visit, every rectification item with its status history (the laptops' append-only
change history), and every notice with its verification state. A coordinator sees the registry and only their own
visits. A registry edit goes through :func:`server.push.apply_enterprise` as an office edit: registry fields take
the office's value, observed facts the latest observation, and anything that lost is logged as a conflict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final

import uuid6
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.protocol import MutationResult, Role
from server.console.markers import T
from server.console.models import EnterpriseRisk, LedgerEntry
from server.console.sessions import Viewer
from server.merge import MERGED_FIELDS
from server.models import District, Record, User
from server.policy import console_can_read
from server.push import apply_enterprise
from server.security import Caller

EDITABLE: Final = (
    "name",
    "uscc",
    "industry",
    "address",
    "contact_name",
    "contact_phone",
    "headcount",
    "headcount_last_year_end",
)
FIELD_NAMES: Final = {
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "industry": "所属行业",
    "address": "地址",
    "district": "所属区县",
    "is_key": "重点企业",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "headcount": "目前职工数量",
    "headcount_last_year_end": "上年底职工数量",
}


class EditRefused(Exception):
    """An edit the office must correct (message in Chinese)."""


@dataclass
class VisitView:
    audit_id: str
    visit_date: str
    coordinator: str
    status: str
    campaign_id: str | None
    notices: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ItemView:
    item_id: str
    requirement: str
    problem: str
    severity: str
    deadline: dt.date | None
    status: str
    verified_on: dt.date | None
    coordinator: str
    history: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class EnterpriseView:
    record: Record
    risk: EnterpriseRisk | None
    indicators: list[dict[str, Any]]
    visits: list[VisitView]
    items: list[ItemView]


def load_enterprise(session: Session, viewer: Viewer, district: District, enterprise_id: str) -> EnterpriseView | None:
    record = session.get(Record, ("enterprise", enterprise_id[:64]))
    if record is None or record.district_id != district.id or not console_can_read(viewer, district, record):
        return None
    risk = session.get(EnterpriseRisk, record.entity_id)
    children = session.scalars(
        select(Record).where(
            Record.parent_id == record.entity_id,
            Record.entity.in_(("risk_indicator", "audit")),
            Record.deleted.is_(False),
        )
    ).all()
    indicators = [dict(child.data or {}) for child in children if child.entity == "risk_indicator"]
    audits = [child for child in children if child.entity == "audit" and console_can_read(viewer, district, child)]
    names = {
        user_id: display or username
        for user_id, display, username in session.execute(
            select(User.id, User.display_name, User.username).where(User.district_id == district.id)
        )
    }
    audit_ids = [audit.entity_id for audit in audits]
    hanging = (
        session.scalars(
            select(Record).where(
                Record.parent_id.in_(audit_ids),
                Record.entity.in_(("notice", "rectification_item", "finding", "change_history")),
                Record.deleted.is_(False),
            )
        ).all()
        if audit_ids
        else []
    )
    by_entity: dict[str, list[Record]] = {}
    for child in hanging:
        by_entity.setdefault(child.entity, []).append(child)
    visits = []
    for audit in sorted(audits, key=lambda a: str((a.data or {}).get("visit_date") or ""), reverse=True):
        data = audit.data or {}
        notices = [
            {
                "number": (notice.data or {}).get("number") or "",
                "status": (notice.data or {}).get("status") or "",
                "issued_on": (notice.data or {}).get("issued_on") or "",
                "verified": bool((notice.data or {}).get("content_hash"))
                and (notice.data or {}).get("status") == "signed",
                "notice_id": notice.entity_id,
                "content_hash": (notice.data or {}).get("content_hash") or "",
            }
            for notice in by_entity.get("notice", [])
            if notice.parent_id == audit.entity_id
        ]
        visits.append(
            VisitView(
                audit_id=audit.entity_id,
                visit_date=str(data.get("visit_date") or ""),
                coordinator=names.get(audit.owner_id or 0, ""),
                status=str(data.get("status") or ""),
                campaign_id=data.get("campaign_id"),
                notices=notices,
            )
        )
    findings = {finding.entity_id: finding.data or {} for finding in by_entity.get("finding", [])}
    history: dict[str, list[dict[str, Any]]] = {}
    for entry in by_entity.get("change_history", []):
        data = entry.data or {}
        if data.get("entity") == "rectification_item":
            history.setdefault(str(data.get("entity_id")), []).append(data)
    entries = {
        entry.item_id: entry
        for entry in session.scalars(select(LedgerEntry).where(LedgerEntry.enterprise_id == record.entity_id))
        if entry.item_id
    }
    items = []
    for item in by_entity.get("rectification_item", []):
        data = item.data or {}
        finding = findings.get(str(data.get("finding_id")), {})
        projected = entries.get(item.entity_id)
        if projected is not None and not projected.live:
            continue
        items.append(
            ItemView(
                item_id=item.entity_id,
                requirement=str(data.get("requirement") or ""),
                problem=str(finding.get("description") or ""),
                severity=str(finding.get("severity") or ""),
                deadline=_date(data.get("deadline")),
                status=str(data.get("status") or "open"),
                verified_on=_date(data.get("verified_on")),
                coordinator=names.get(item.owner_id or 0, ""),
                history=sorted(history.get(item.entity_id, []), key=lambda h: str(h.get("changed_at") or "")),
            )
        )
    items.sort(key=lambda view: (view.status == "verified", view.deadline or dt.date.max))
    return EnterpriseView(record=record, risk=risk, indicators=indicators, visits=visits, items=items)


def _notice(notice: Record) -> dict[str, Any]:
    data = notice.data or {}
    return {
        "number": data.get("number") or "",
        "status": data.get("status") or "",
        "issued_on": data.get("issued_on") or "",
        "verified": bool(data.get("content_hash")) and data.get("status") == "signed",
        "notice_id": notice.entity_id,
        "content_hash": data.get("content_hash") or "",
    }


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def office_caller(viewer: Viewer, district: District) -> Caller:
    """The office user as the merge sees them (an office edit, from the console rather than a device)."""
    return Caller(
        user_id=viewer.user_id,
        username=viewer.username,
        role=Role(viewer.role),
        district_id=district.id,
        district=district.name,
        device_id="console",
    )


def edit_enterprise(
    session: Session,
    viewer: Viewer,
    district: District,
    record: Record,
    submitted: dict[str, str],
    base_version: int | None,
) -> MutationResult:
    """Apply the office's edit of the registry fields (only the ones it changed)."""
    current = record.data or {}
    changes: dict[str, Any] = {}
    for name in EDITABLE:
        if name not in submitted:
            continue
        text = submitted[name].strip()
        value: Any = text
        if name in ("headcount", "headcount_last_year_end"):
            if text == "":
                value = None
            elif not text.isdigit():
                raise EditRefused(T("职工数量应为整数"))
            else:
                value = int(text)
        if name == "uscc":
            value = text.upper()
        if name == "name" and not text:
            raise EditRefused(T("企业名称不能为空"))
        if value != current.get(name) and not (value in ("", None) and current.get(name) in ("", None)):
            changes[name] = value
    if not changes:
        raise EditRefused(T("没有修改任何内容"))
    if "uscc" in changes:
        from stdnum.cn import uscc as stdnum_uscc
        from stdnum.exceptions import ValidationError as NumberInvalid

        try:
            stdnum_uscc.validate(changes["uscc"])
        except NumberInvalid:
            raise EditRefused(T("统一社会信用代码不正确（校验位不符或格式有误）")) from None
    payload = {**{name: current.get(name) for name in MERGED_FIELDS if name in current}, **changes}
    payload["updated_at"] = dt.datetime.now(dt.UTC).isoformat()
    return apply_enterprise(
        session,
        office_caller(viewer, district),
        f"console-{uuid6.uuid7()}",
        record.entity_id,
        payload,
        base_version=base_version,
        insert=False,
    )
