"""Rectification items from findings to verification: 整改一条消除一条.

An item moves open → submitted (the enterprise says it is fixed) → verified (a coordinator checked it on a
follow-up visit or from documents). "Overdue" is not a stored status: it is open or submitted past the deadline,
judged for a given day, so it can never go stale in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from app.audit.errors import LaborCheckError
from app.audit.risk import refresh_grade
from app.audit.workdays import Deadline, WorkdayCalendar, compute_deadline
from app.models import Audit, Coordinator, Enterprise, Finding, FollowUp, ItemStatus, RectificationItem, utcnow

FOLLOW_UP_METHODS = {"on_site": "现场复查", "documents": "书面材料审核"}


class ItemNotEditable(LaborCheckError):
    pass


class FollowUpInvalid(LaborCheckError):
    pass


def default_calendar() -> WorkdayCalendar:
    """The working-day calendar from the holiday libraries (office-published schedules are added by sync)."""
    return WorkdayCalendar()


def deadline_for(
    issued_on: dt.date, days: int, working_days: bool, calendar: WorkdayCalendar | None = None
) -> Deadline:
    return compute_deadline(issued_on, days, working_days=working_days, calendar=calendar or default_calendar())


def _editable(session: Session, item_id: str) -> RectificationItem:
    item = session.get(RectificationItem, item_id)
    if item is None:
        raise ItemNotEditable("整改事项不存在")
    if item.status is ItemStatus.VERIFIED:
        raise ItemNotEditable("该整改事项已复查销号，不能再修改")
    return item


def update_item(
    session: Session,
    item_id: str,
    *,
    requirement: str | None = None,
    deadline: dt.date | None = None,
    responsible_person: str | None = None,
    responsible_phone: str | None = None,
) -> RectificationItem:
    """Edit what the coordinator may edit before verification: requirement text, deadline, responsible person."""
    item = _editable(session, item_id)
    if requirement is not None:
        if not requirement.strip():
            raise ItemNotEditable("整改事项不能为空")
        item.requirement = requirement.strip()
    if deadline is not None:
        if deadline < session.get_one(Audit, item.audit_id).visit_date:
            raise ItemNotEditable("整改时限不能早于体检日期")
        item.deadline = deadline
        item.deadline_estimated = False
    if responsible_person is not None:
        item.responsible_person = responsible_person.strip()
    if responsible_phone is not None:
        item.responsible_phone = responsible_phone.strip()
    item.version += 1
    session.flush()
    return item


def submit_item(session: Session, item_id: str, *, note: str, when: dt.datetime | None = None) -> RectificationItem:
    """The enterprise reports the item fixed. Not a verification: the item still counts as open for risk."""
    item = _editable(session, item_id)
    item.status = ItemStatus.SUBMITTED
    item.submitted_at = when or utcnow()
    item.submitted_note = note.strip()
    item.version += 1
    session.flush()
    return item


@dataclass(frozen=True)
class Verification:
    item_id: str
    note: str = ""


def record_follow_up(
    session: Session,
    *,
    enterprise_id: str,
    coordinator_id: str,
    visit_date: dt.date,
    method: str,
    note: str,
    verifications: Sequence[Verification],
    today: dt.date | None = None,
) -> FollowUp:
    """A follow-up visit (复查) that verifies the listed items, then updates the enterprise's risk grade."""
    if method not in FOLLOW_UP_METHODS:
        raise FollowUpInvalid(f"复查方式无效：{method}（应为现场复查或书面材料审核）")
    if not verifications:
        raise FollowUpInvalid("复查至少需要核验一项整改事项")
    coordinator = session.get_one(Coordinator, coordinator_id)
    follow_up = FollowUp(
        enterprise_id=enterprise_id,
        coordinator_id=coordinator_id,
        visit_date=visit_date,
        method=method,
        note=note.strip(),
    )
    session.add(follow_up)
    session.flush()
    for verification in verifications:
        item = _editable(session, verification.item_id)
        if item.enterprise_id != enterprise_id:
            raise FollowUpInvalid("所选整改事项不属于该企业")
        item.status = ItemStatus.VERIFIED
        item.verified_on = visit_date
        item.verified_by = coordinator.name
        item.verification_note = verification.note.strip()
        item.follow_up_id = follow_up.id
        item.version += 1
    session.flush()
    refresh_grade(session, enterprise_id, today or visit_date)
    return follow_up


@dataclass(frozen=True)
class OpenItem:
    item: RectificationItem
    finding: Finding
    enterprise: Enterprise
    overdue_days: int
    due_in_days: int


def open_items(session: Session, today: dt.date, *, enterprise_id: str | None = None) -> list[OpenItem]:
    """Items not yet verified across enterprises, overdue first (most overdue on top), then by nearest deadline."""
    overdue_first = case((RectificationItem.deadline < today, 0), else_=1)
    query = (
        select(RectificationItem, Finding, Enterprise)
        .join(Finding, Finding.id == RectificationItem.finding_id)
        .join(Enterprise, Enterprise.id == RectificationItem.enterprise_id)
        .where(RectificationItem.status != ItemStatus.VERIFIED, Finding.removed_at.is_(None))
        .order_by(overdue_first, RectificationItem.deadline, Enterprise.name, Finding.position)
    )
    if enterprise_id is not None:
        query = query.where(RectificationItem.enterprise_id == enterprise_id)
    return [
        OpenItem(
            item=item,
            finding=finding,
            enterprise=enterprise,
            overdue_days=max(0, (today - item.deadline).days),
            due_in_days=(item.deadline - today).days,
        )
        for item, finding, enterprise in session.execute(query).all()
    ]
