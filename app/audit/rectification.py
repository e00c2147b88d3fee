"""Rectification items from findings to verification: 整改一条消除一条.

An item moves open → submitted (the enterprise says it is fixed) → verified (a coordinator checked it on a
follow-up visit or from documents). "Overdue" is not a stored status: it is open or submitted past the deadline,
judged for a given day, so it can never go stale in the database.

Items exist only once their audit is finished, so every change to one is a correction a reviewer may ask about:
each goes into the append-only change history (:mod:`app.audit.history`) with a reason. Verification needs
evidence — a follow-up record with its date, who verified, how, a note, and at least one attachment (photo or
document) or a document reference — and can be revoked only with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from app.audit.history import record_diff, require_reason, snapshot
from app.audit.risk import refresh_grade
from app.models import (
    Attachment,
    Audit,
    Coordinator,
    Enterprise,
    Finding,
    FollowUp,
    ItemStatus,
    RectificationItem,
    utcnow,
)
from app.models.publication import holiday_schedules
from core.clock import china_today
from core.errors import LaborCheckError
from core.workdays import Deadline, WorkdayCalendar, compute_deadline, published_calendar

FOLLOW_UP_METHODS = {"on_site": "现场复查", "documents": "书面材料审核"}
EVIDENCE_KINDS = frozenset({"photo", "document"})
ITEM_FIELDS = (
    "requirement",
    "deadline",
    "deadline_estimated",
    "responsible_person",
    "responsible_phone",
    "status",
    "submitted_at",
    "submitted_note",
    "verified_on",
    "verified_by",
    "verification_note",
    "follow_up_id",
)
"""The fields of an item whose changes are recorded in the history."""


class ItemNotEditable(LaborCheckError):
    pass


class FollowUpInvalid(LaborCheckError):
    pass


class RevokeInvalid(LaborCheckError):
    pass


def default_calendar(session: Session | None = None) -> WorkdayCalendar:
    """The working-day calendar: the holiday libraries, with the years' schedules the office published laid over
    them (received at sync; :func:`app.models.publication.holiday_schedules`) when a ``session`` is given."""
    if session is None:
        return WorkdayCalendar()
    return published_calendar(holiday_schedules(session))


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


BLANK_FILL_REASON = "补填（原为空白）"
"""The reason recorded when an edit only fills fields that were blank: completing the record is not a correction."""


@dataclass(frozen=True)
class ItemEdit:
    """What a coordinator may change on an item before verification; ``None`` leaves a field as it is."""

    requirement: str | None = None
    deadline: dt.date | None = None
    responsible_person: str | None = None
    responsible_phone: str | None = None

    def normalised(self) -> ItemEdit:
        def strip(value: str | None) -> str | None:
            return None if value is None else value.strip()

        return ItemEdit(
            strip(self.requirement), self.deadline, strip(self.responsible_person), strip(self.responsible_phone)
        )

    def is_empty(self) -> bool:
        return self == ItemEdit()


def corrections(item: RectificationItem, edit: ItemEdit) -> list[str]:
    """The fields ``edit`` would change from a value that was not blank: these corrections need a reason.

    Filling a blank responsible person or phone after the visit completes the record and needs none.
    """
    edit = edit.normalised()
    changed: list[str] = []
    for name in ("requirement", "responsible_person", "responsible_phone"):
        value = getattr(edit, name)
        if value is not None and value != getattr(item, name) and getattr(item, name):
            changed.append(name)
    if edit.deadline is not None and edit.deadline != item.deadline:
        changed.append("deadline")
    return changed


def edit_needs_reason(session: Session, item_id: str, edit: ItemEdit) -> bool:
    return bool(corrections(_editable(session, item_id), edit))


def update_item(
    session: Session,
    item_id: str,
    *,
    requirement: str | None = None,
    deadline: dt.date | None = None,
    responsible_person: str | None = None,
    responsible_phone: str | None = None,
    reason: str | None = None,
) -> RectificationItem:
    """Edit what the coordinator may edit before verification: requirement text, deadline, responsible person.

    Every changed field is recorded in the change history (old → new). A correction — a field that had a value
    gets another — requires the reason; filling blank fields does not (recorded as :data:`BLANK_FILL_REASON`
    unless a reason is given). An edit that changes nothing records nothing and does not raise the version.
    """
    item = _editable(session, item_id)
    edit = ItemEdit(requirement, deadline, responsible_person, responsible_phone).normalised()
    text = require_reason(reason) if corrections(item, edit) else (reason or "").strip() or BLANK_FILL_REASON
    before = snapshot(item, ITEM_FIELDS)
    if edit.requirement is not None:
        if not edit.requirement:
            raise ItemNotEditable("整改事项不能为空")
        item.requirement = edit.requirement
    if edit.deadline is not None and edit.deadline != item.deadline:
        if edit.deadline < session.get_one(Audit, item.audit_id).visit_date:
            raise ItemNotEditable("整改时限不能早于体检日期")
        item.deadline = edit.deadline
        item.deadline_estimated = False
    if edit.responsible_person is not None:
        item.responsible_person = edit.responsible_person
    if edit.responsible_phone is not None:
        item.responsible_phone = edit.responsible_phone
    if record_diff(session, item, before, entity="rectification_item", audit_id=item.audit_id, reason=text):
        item.version += 1
    session.flush()
    return item


def submit_item(session: Session, item_id: str, *, note: str, when: dt.datetime | None = None) -> RectificationItem:
    """The enterprise reports the item fixed. Not a verification: the item still counts as open for risk.

    ``note`` (what the enterprise reported) is required: it is the reason recorded in the change history.
    """
    reason = require_reason(note, "提交整改材料")
    item = _editable(session, item_id)
    before = snapshot(item, ITEM_FIELDS)
    item.status = ItemStatus.SUBMITTED
    item.submitted_at = when or utcnow()
    item.submitted_note = reason
    item.version += 1
    record_diff(session, item, before, entity="rectification_item", audit_id=item.audit_id, reason=reason)
    session.flush()
    return item


@dataclass(frozen=True)
class Verification:
    item_id: str
    note: str = ""


def _check_evidence(
    session: Session, enterprise_id: str, attachment_ids: Sequence[str], document_reference: str
) -> list[str]:
    """At least one piece of evidence; every attachment a photo or document of this enterprise's audits."""
    ids = list(dict.fromkeys(a.strip() for a in attachment_ids if a.strip()))
    if not ids and not document_reference:
        raise FollowUpInvalid("复查销号必须有证据：请添加复查照片或材料，或填写所查阅文件的名称和编号")
    for attachment_id in ids:
        attachment = session.get(Attachment, attachment_id)
        if attachment is None:
            raise FollowUpInvalid("所附的证据文件不存在，可能已被删除，请重新添加")
        if attachment.kind not in EVIDENCE_KINDS:
            raise FollowUpInvalid("证据只能是照片或文件材料（签名不能作为复查证据）")
        owner = session.get(Audit, attachment.audit_id) if attachment.audit_id else None
        if owner is None or owner.enterprise_id != enterprise_id:
            raise FollowUpInvalid("所附的证据不属于该企业的体检记录")
    return ids


def record_follow_up(
    session: Session,
    *,
    enterprise_id: str,
    coordinator_id: str,
    visit_date: dt.date,
    method: str,
    note: str,
    verifications: Sequence[Verification],
    evidence_attachment_ids: Sequence[str] = (),
    document_reference: str = "",
    today: dt.date | None = None,
) -> FollowUp:
    """A follow-up (复查) that verifies the listed items with evidence, then updates the enterprise's risk grade.

    The only way an item becomes ``verified``. Required: the date (not in the future), who verified (the
    coordinator), the method (on site or documents sent), a note, and at least one piece of evidence — an
    attachment id of a photo or document of this enterprise, or a document reference text. Each item's status
    change is recorded in the change history with the note as the reason.
    """
    if method not in FOLLOW_UP_METHODS:
        raise FollowUpInvalid(f"复查方式无效：{method}（应为现场复查或书面材料审核）")
    if not verifications:
        raise FollowUpInvalid("复查至少需要核验一项整改事项")
    note = note.strip()
    if not note:
        raise FollowUpInvalid("请填写复查说明：核实了什么、结果如何")
    if today is not None and visit_date > today:
        raise FollowUpInvalid("复查日期不能晚于今天")
    coordinator = session.get(Coordinator, coordinator_id)
    if coordinator is None:
        raise FollowUpInvalid("复查人不存在，请先在“设置”中填写协调员信息")
    reference = document_reference.strip()
    evidence = _check_evidence(session, enterprise_id, evidence_attachment_ids, reference)
    follow_up = FollowUp(
        enterprise_id=enterprise_id,
        coordinator_id=coordinator_id,
        visit_date=visit_date,
        method=method,
        note=note,
        evidence_attachment_ids=evidence,
        evidence_reference=reference,
    )
    session.add(follow_up)
    session.flush()
    for verification in verifications:
        item = _editable(session, verification.item_id)
        if item.enterprise_id != enterprise_id:
            raise FollowUpInvalid("所选整改事项不属于该企业")
        if visit_date < session.get_one(Audit, item.audit_id).visit_date:
            raise FollowUpInvalid("复查日期不能早于体检日期")
        before = snapshot(item, ITEM_FIELDS)
        item.status = ItemStatus.VERIFIED
        item.verified_on = visit_date
        item.verified_by = coordinator.name
        item.verification_note = verification.note.strip() or note
        item.follow_up_id = follow_up.id
        item.version += 1
        reason = f"复查销号（{FOLLOW_UP_METHODS[method]}）：{note}"
        record_diff(session, item, before, entity="rectification_item", audit_id=item.audit_id, reason=reason)
    session.flush()
    refresh_grade(session, enterprise_id, today or visit_date)
    return follow_up


def revoke_verification(
    session: Session, item_id: str, *, reason: str, today: dt.date | None = None
) -> RectificationItem:
    """Undo a verification (e.g. the problem came back): the item is open again, or submitted if it had been.

    The follow-up record itself stays (it happened); the item no longer points at it. Recorded in the change
    history with the required reason; the enterprise's risk grade is recomputed.
    """
    reason = require_reason(reason, "撤销复查销号")
    item = session.get(RectificationItem, item_id)
    if item is None:
        raise RevokeInvalid("整改事项不存在")
    if item.status is not ItemStatus.VERIFIED:
        raise RevokeInvalid("该整改事项尚未复查销号，无需撤销")
    before = snapshot(item, ITEM_FIELDS)
    item.status = ItemStatus.SUBMITTED if item.submitted_at is not None else ItemStatus.OPEN
    item.verified_on = None
    item.verified_by = ""
    item.verification_note = ""
    item.follow_up_id = None
    item.version += 1
    record_diff(
        session, item, before, entity="rectification_item", audit_id=item.audit_id, reason=f"撤销复查销号：{reason}"
    )
    session.flush()
    refresh_grade(session, item.enterprise_id, today or china_today())
    return item


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
