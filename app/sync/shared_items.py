"""Other coordinators' rectification items, stored from the pull feed as a read-only status summary.

The server sends, for the caller's district, the items of *other* coordinators reduced to enterprise, audit,
requirement, deadline, status, verified date and the coordinator's name (``server.feed.SHARED_ITEM_FIELDS``).
They land in ``shared_item_status`` inside the page's transaction (outbox suppressed by ``apply_page``); a
tombstone removes the row. Nothing here is ever pushed back.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SharedItemStatus

if TYPE_CHECKING:  # the enterprise page reads these rows at start-up; pydantic can load later
    from app.sync.protocol import ChangeRow

SHARED_ITEM_ENTITY = "rectification_item"


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def apply_shared_item(session: Session, row: ChangeRow) -> None:
    """Insert, update or (tombstone) delete one shared item row; an older seq never overwrites a newer one."""
    current = session.get(SharedItemStatus, row.entity_id)
    if row.op == "delete" or not row.data:
        if current is not None:
            session.delete(current)
        return
    if current is not None and current.server_seq > row.seq:
        return
    data = row.data
    if current is None:
        current = SharedItemStatus(item_id=row.entity_id)
        session.add(current)
    current.enterprise_id = str(data.get("enterprise_id") or "")
    current.audit_id = str(data.get("audit_id") or "")
    current.coordinator = str(data.get("coordinator") or "")[:100]
    current.requirement = str(data.get("requirement") or "")
    current.deadline = _date(data.get("deadline"))
    current.status = str(data.get("status") or "open")[:20]
    current.verified_on = _date(data.get("verified_on"))
    current.server_seq = row.seq


def shared_items(session: Session, enterprise_id: str) -> list[SharedItemStatus]:
    """Colleagues' items at one enterprise, soonest deadline first (for the enterprise screen)."""
    return list(
        session.scalars(
            select(SharedItemStatus)
            .where(SharedItemStatus.enterprise_id == enterprise_id)
            .order_by(SharedItemStatus.deadline, SharedItemStatus.item_id)
        )
    )


def prune_shared_items(session: Session, seen: set[str]) -> int:
    """After a full resync: drop shared items the feed no longer has."""
    stale = [row for row in session.scalars(select(SharedItemStatus)) if row.item_id not in seen]
    for row in stale:
        session.delete(row)
    return len(stale)


__all__ = ["SHARED_ITEM_ENTITY", "apply_shared_item", "prune_shared_items", "shared_items"]
