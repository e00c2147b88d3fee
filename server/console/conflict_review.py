"""冲突: the district's conflict log, and the office's review of coordinators' proposed registry changes.

Registry fields belong to the office (:mod:`server.merge`): a coordinator's edit of one arrives as a proposal.
The office accepts it (the value is applied as an office edit, through the same merge) or rejects it, in both
cases with a reason that stays with the entry; values that lost a merge by the latest-observation rule are listed
for information. Reviews are written to the office log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.console.enterprise_view import office_caller
from server.console.markers import T
from server.console.sessions import Viewer
from server.merge import REGISTRY_FIELDS
from server.models import ConflictEntry, District, Record, User, utcnow
from server.push import apply_enterprise

PAGE: Final = 200


class ReviewRefused(Exception):
    """A review the office must correct (message in Chinese)."""


def conflicts(session: Session, district_id: int, *, waiting_only: bool) -> list[tuple[ConflictEntry, str, str]]:
    """Entries with the enterprise's name and the coordinator's name, newest first."""
    query = select(ConflictEntry).where(ConflictEntry.district_id == district_id)
    if waiting_only:
        query = query.where(ConflictEntry.is_proposal.is_(True), ConflictEntry.reviewed_at.is_(None))
    rows: Sequence[ConflictEntry] = session.scalars(query.order_by(ConflictEntry.id.desc()).limit(PAGE)).all()
    names = {
        entity_id: str((data or {}).get("name") or "")
        for entity_id, data in session.execute(
            select(Record.entity_id, Record.data).where(
                Record.entity == "enterprise", Record.entity_id.in_(sorted({row.entity_id for row in rows}))
            )
        )
    }
    users = {
        user_id: display or username
        for user_id, display, username in session.execute(select(User.id, User.display_name, User.username))
    }
    return [(row, names.get(row.entity_id, ""), users.get(row.user_id or 0, "")) for row in rows]


def _value(entry: ConflictEntry) -> Any:
    if entry.field == "is_key" and entry.proposed_value is not None:
        try:
            return bool(json.loads(entry.proposed_value))
        except ValueError:
            return entry.proposed_value
    return entry.proposed_value


def review(
    session: Session, viewer: Viewer, district: District, conflict_id: int, *, accept: bool, reason: str
) -> ConflictEntry:
    entry = session.get(ConflictEntry, conflict_id)
    if entry is None or entry.district_id != district.id or not entry.is_proposal:
        raise ReviewRefused(T("修改建议不存在"))
    if entry.reviewed_at is not None:
        raise ReviewRefused(T("该修改建议已处理"))
    reason = reason.strip()[:500]
    if not reason:
        raise ReviewRefused(T("请填写处理理由"))
    if accept:
        record = session.get(Record, (entry.entity, entry.entity_id))
        if record is None or record.deleted or entry.entity != "enterprise" or entry.field not in REGISTRY_FIELDS:
            raise ReviewRefused(T("该企业已不在名录中，无法采纳"))
        payload = {**(record.data or {}), entry.field: _value(entry), "updated_at": utcnow().isoformat()}
        apply_enterprise(
            session,
            office_caller(viewer, district),
            f"review-{entry.id}",
            record.entity_id,
            payload,
            base_version=None,
            insert=False,
        )
    entry.reviewed_at = utcnow()
    entry.reviewed_by = viewer.display_name[:80]
    entry.review = "accepted" if accept else "rejected"
    entry.review_reason = reason
    return entry
