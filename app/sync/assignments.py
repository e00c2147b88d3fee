"""Visit assignments from the change feed, validated at the edge, and the 待体检 list they make.

A ``visit_assignment`` row is data from the network: it is read through the protocol's
:class:`app.sync.protocol.VisitAssignment` again before it is kept; one that does not match is refused and a
conflict-log entry says so (the last good version stays). An older seq never overwrites a newer one; a tombstone
removes the row. Nothing here is ever pushed back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import VisitAssignment
from app.sync.outbox import log_conflict

if TYPE_CHECKING:
    from app.sync.protocol import ChangeRow

ASSIGNMENT_ENTITY = "visit_assignment"
ASSIGNED = "assigned"


def apply_assignment(session: Session, row: ChangeRow) -> None:
    from app.sync.protocol import VisitAssignment as Wire

    current = session.get(VisitAssignment, row.entity_id)
    if row.op == "delete" or not row.data:
        if current is not None:
            session.delete(current)
        return
    if current is not None and current.server_seq > row.seq:
        return
    try:
        wire = Wire.model_validate(row.data)
    except ValidationError as error:
        log_conflict(
            session,
            entity=ASSIGNMENT_ENTITY,
            entity_id=row.entity_id,
            field_name="content",
            local=None,
            server=None,
            resolution=f"区办下发的走访任务格式不正确，未采用（{error.error_count()} 处错误）",
        )
        return
    if wire.id != row.entity_id:
        return
    if current is None:
        current = VisitAssignment(id=row.entity_id)
        session.add(current)
    current.plan_name = wire.plan_name
    current.kind = wire.kind
    current.enterprise_id = wire.enterprise_id
    current.enterprise_name = wire.enterprise_name
    current.uscc = wire.uscc
    current.assignee = wire.assignee
    current.assignee_name = wire.assignee_name
    current.target_date = wire.target_date
    current.assigned_on = wire.assigned_on
    current.risk_grade = wire.risk_grade
    current.risk_score = wire.risk_score
    current.reasons = list(wire.reasons)
    current.item_ids = list(wire.item_ids)
    current.status = wire.status
    current.server_seq = row.seq


def my_assignments(session: Session, username: str | None) -> list[VisitAssignment]:
    """The signed-in coordinator's open assignments, riskiest first, then the nearest target date."""
    if not username:
        return []
    return list(
        session.scalars(
            select(VisitAssignment)
            .where(VisitAssignment.assignee == username, VisitAssignment.status == ASSIGNED)
            .order_by(VisitAssignment.risk_score.desc(), VisitAssignment.target_date, VisitAssignment.id)
        )
    )


def moved_away(session: Session, username: str | None) -> list[VisitAssignment]:
    """Follow-ups of this coordinator's items that the office gave to a colleague (shown for information)."""
    if not username:
        return []
    from app.models import RectificationItem

    own_items = set(session.scalars(select(RectificationItem.id)))
    found = session.scalars(
        select(VisitAssignment).where(
            VisitAssignment.kind == "follow_up",
            VisitAssignment.status == ASSIGNED,
            VisitAssignment.assignee != username,
        )
    )
    return [row for row in found if own_items.intersection(row.item_ids or [])]


def prune_assignments(session: Session, seen: set[str]) -> int:
    """After a full resync: drop assignments the feed no longer has."""
    stale = [row for row in session.scalars(select(VisitAssignment)) if row.id not in seen]
    for row in stale:
        session.delete(row)
    return len(stale)


__all__ = ["ASSIGNMENT_ENTITY", "apply_assignment", "moved_away", "my_assignments", "prune_assignments"]
