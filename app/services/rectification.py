"""Rectification items for both front ends: edit one or several, follow-up verification, revocation.

Edits are committed as they are typed (the findings screen's autosave). Filling a blank field (responsible
person, phone) is completing the record and needs no reason; a correction of a value does. An edit that needs a
reason and has none yet is kept as the item's draft (:mod:`app.services.drafts`) and ``needs_reason`` is
returned, so the screen can ask once — for one item or for several set in one action.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from app.audit.attachments import add_photo
from app.audit.findings import edit_finding, normalised_statement
from app.audit.history import ReasonRequired
from app.audit.rectification import (
    ItemEdit,
    Verification,
    corrections,
    open_items,
    record_follow_up,
    revoke_verification,
    update_item,
)
from app.models import Enterprise, Finding, RectificationItem
from app.services import drafts
from app.services.changes import OpChanges, OpResult, ids
from app.services.workspace import Workspace
from core.errors import LaborCheckError

EditOutcome = Literal["saved", "unchanged", "needs_reason"]


def _items_changed(audit_ids: Sequence[str], enterprise_ids: Sequence[str]) -> OpChanges:
    return OpChanges(
        items=True, enterprises=True, notices=True, audit_ids=ids(audit_ids), enterprise_ids=ids(enterprise_ids)
    )


@dataclass(frozen=True)
class Wording:
    """What the notice says of a finding: its statement and whether the coordinator's note is printed.
    ``None`` leaves a part as it is."""

    statement: str | None = None
    note_on_notice: bool | None = None


@dataclass(frozen=True)
class ItemDraft:
    edit: ItemEdit
    wording: Wording


def _to_draft(edit: ItemEdit, wording: Wording) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: getattr(edit, name)
        for name in ("requirement", "responsible_person", "responsible_phone")
        if getattr(edit, name) is not None
    }
    if edit.deadline is not None:
        data["deadline"] = edit.deadline.isoformat()
    if wording.statement is not None:
        data["statement"] = wording.statement
    if wording.note_on_notice is not None:
        data["note_on_notice"] = wording.note_on_notice
    return data


def item_draft(ws: Workspace, item_id: str) -> ItemDraft | None:
    """What was typed on an item and not committed yet (a correction waiting for its reason)."""
    data = drafts.load_draft(ws, drafts.ITEM, item_id)
    if not data:
        return None
    deadline = data.get("deadline")
    edit = ItemEdit(
        requirement=data.get("requirement"),
        deadline=dt.date.fromisoformat(deadline) if isinstance(deadline, str) else None,
        responsible_person=data.get("responsible_person"),
        responsible_phone=data.get("responsible_phone"),
    )
    return ItemDraft(edit, Wording(data.get("statement"), data.get("note_on_notice")))


def _wording_changes(finding: Finding, wording: Wording) -> Wording:
    """Only the parts of ``wording`` that differ from what the finding says now."""
    statement = wording.statement
    if statement is not None and normalised_statement(statement) == finding.description:
        statement = None
    flag = wording.note_on_notice
    if flag is not None and flag == finding.note_on_notice:
        flag = None
    return Wording(statement, flag)


def edit_item(
    ws: Workspace, item_id: str, edit: ItemEdit, *, wording: Wording | None = None, reason: str | None = None
) -> OpResult[EditOutcome]:
    """Commit an edit of one item (and of its finding's wording) as typed. Filling blank fields commits at once;
    a correction without a reason is kept as the item's draft and ``needs_reason`` returned."""
    wording = wording or Wording()
    try:
        with ws.db.session() as session:
            item = session.get(RectificationItem, item_id)
            if item is None:
                raise LaborCheckError("整改事项不存在")
            changed_wording = _wording_changes(item.finding, wording)
            needs_reason = bool(corrections(item, edit)) or changed_wording != Wording()
            if needs_reason and not (reason or "").strip():
                drafts.put(session, drafts.ITEM, item_id, _to_draft(edit, wording))
                return OpResult("needs_reason", drafts.DRAFT_SAVED)
            version, finding_before = item.version, (item.finding.description, item.finding.note_on_notice)
            if changed_wording != Wording():
                edit_finding(
                    session,
                    item.finding_id,
                    statement=changed_wording.statement,
                    note_on_notice=changed_wording.note_on_notice,
                    reason=reason or "",
                )
            update_item(
                session,
                item_id,
                requirement=edit.requirement,
                deadline=edit.deadline,
                responsible_person=edit.responsible_person,
                responsible_phone=edit.responsible_phone,
                reason=reason,
            )
            drafts.discard(session, drafts.ITEM, item_id)
            finding_after = (item.finding.description, item.finding.note_on_notice)
            if item.version == version and finding_after == finding_before:
                return OpResult("unchanged", drafts.DRAFT_SAVED)
            changes = _items_changed([item.audit_id], [item.enterprise_id]) | drafts.DRAFT_SAVED
            return OpResult("saved", changes)
    except LaborCheckError:
        drafts.save_draft(ws, drafts.ITEM, item_id, _to_draft(edit, wording))
        raise


def discard_item_draft(ws: Workspace, item_id: str) -> OpChanges:
    return drafts.discard_draft(ws, drafts.ITEM, item_id)


def items_need_reason(ws: Workspace, item_ids: Sequence[str], edit: ItemEdit) -> bool:
    """Whether setting ``edit`` on every item would correct a value on any of them (one reason covers all)."""
    with ws.db.session() as session:
        return any(
            corrections(session.get_one(RectificationItem, item_id), edit) for item_id in dict.fromkeys(item_ids)
        )


def edit_items(ws: Workspace, item_ids: Sequence[str], edit: ItemEdit, *, reason: str | None = None) -> OpResult[int]:
    """Set the same responsible person, phone or deadline on several items, in one transaction, with at most one
    reason (required when any of them had another value); how many items changed."""
    if edit.requirement is not None:
        raise LaborCheckError("整改要求须逐项修改")
    changed = 0
    audits: list[str] = []
    enterprises: list[str] = []
    with ws.db.session() as session:
        targets = [session.get_one(RectificationItem, item_id) for item_id in dict.fromkeys(item_ids)]
        if any(corrections(item, edit) for item in targets) and not (reason or "").strip():
            raise ReasonRequired()
        for item in targets:
            version = item.version
            update_item(
                session,
                item.id,
                deadline=edit.deadline,
                responsible_person=edit.responsible_person,
                responsible_phone=edit.responsible_phone,
                reason=reason,
            )
            if item.version != version:
                changed += 1
                audits.append(item.audit_id)
                enterprises.append(item.enterprise_id)
    return OpResult(changed, _items_changed(audits, enterprises) if changed else OpChanges())


def revoke(ws: Workspace, item_id: str, *, reason: str, today: dt.date) -> OpChanges:
    with ws.db.session() as session:
        item = revoke_verification(session, item_id, reason=reason, today=today)
        return _items_changed([item.audit_id], [item.enterprise_id])


# ------------------------------------------------------------------------------------------------------ follow-up


@dataclass(frozen=True)
class FollowUpRow:
    """One open item as the follow-up screen shows it (plain values: no ORM object leaves the session)."""

    item_id: str
    audit_id: str
    checklist_item: str
    enterprise_id: str
    enterprise_name: str
    risk_grade: str
    severity: str
    problem: str
    problem_en: str
    requirement: str
    deadline: dt.date
    deadline_estimated: bool
    responsible: str
    status: str
    submitted_at: dt.datetime | None
    overdue_days: int
    due_in_days: int


@dataclass(frozen=True)
class FollowUpResult:
    verified: int
    grades: dict[str, tuple[str, str, str]]
    """enterprise id → (name, grade before, grade after)."""


def follow_up_rows(ws: Workspace, today: dt.date) -> list[FollowUpRow]:
    """Every item not verified yet, overdue first (:func:`app.audit.rectification.open_items`)."""
    with ws.db.session() as session:
        return [
            FollowUpRow(
                item_id=entry.item.id,
                audit_id=entry.item.audit_id,
                checklist_item=entry.finding.item_id,
                enterprise_id=entry.enterprise.id,
                enterprise_name=entry.enterprise.name,
                risk_grade=entry.enterprise.risk_grade or "",
                severity=entry.finding.severity,
                problem=entry.finding.description,
                problem_en=entry.finding.description_en,
                requirement=entry.item.requirement,
                deadline=entry.item.deadline,
                deadline_estimated=entry.item.deadline_estimated,
                responsible=" ".join(
                    part for part in (entry.item.responsible_person, entry.item.responsible_phone) if part
                ),
                status=entry.item.status.value,
                submitted_at=entry.item.submitted_at,
                overdue_days=entry.overdue_days,
                due_in_days=entry.due_in_days,
            )
            for entry in open_items(session, today)
        ]


def verify(
    ws: Workspace,
    item_ids: Sequence[str],
    *,
    coordinator_id: str,
    visit_date: dt.date,
    method: str,
    note: str,
    photo: Path | None,
    today: dt.date,
    document_reference: str = "",
) -> OpResult[FollowUpResult]:
    """Record one follow-up per enterprise for the chosen items, all in one transaction, with the photo attached
    to each item's audit; the photo's attachments and the document reference are the evidence. The follow-up
    form's draft goes in the same transaction."""
    photo_bytes = photo.read_bytes() if photo is not None else None
    grades: dict[str, tuple[str, str, str]] = {}
    audits: list[str] = []
    with ws.db.session() as session:
        by_enterprise: dict[str, list[RectificationItem]] = defaultdict(list)
        for item_id in dict.fromkeys(item_ids):
            item = session.get_one(RectificationItem, item_id)
            by_enterprise[item.enterprise_id].append(item)
            audits.append(item.audit_id)
        for enterprise_id, chosen in by_enterprise.items():
            enterprise = session.get_one(Enterprise, enterprise_id)
            before = enterprise.risk_grade or ""
            evidence: list[str] = []
            if photo_bytes is not None and photo is not None:
                for item in chosen:
                    attachment = add_photo(
                        session,
                        ws.blobs,
                        audit_id=item.audit_id,
                        item_id=item.finding.item_id,
                        data=photo_bytes,
                        original_name=photo.name,
                        caption="复查证据",
                    )
                    evidence.append(attachment.id)
            record_follow_up(
                session,
                enterprise_id=enterprise_id,
                coordinator_id=coordinator_id,
                visit_date=visit_date,
                method=method,
                note=note,
                verifications=[Verification(item.id, note) for item in chosen],
                evidence_attachment_ids=evidence,
                document_reference=document_reference,
                today=today,
            )
            grades[enterprise_id] = (enterprise.name, before, enterprise.risk_grade or "")
        drafts.discard(session, drafts.FOLLOW_UP, "")
    result = FollowUpResult(verified=len(dict.fromkeys(item_ids)), grades=grades)
    return OpResult(result, _items_changed(audits, list(grades)) | drafts.DRAFT_SAVED)


__all__ = [
    "EditOutcome",
    "FollowUpResult",
    "FollowUpRow",
    "ItemDraft",
    "Wording",
    "discard_item_draft",
    "edit_item",
    "edit_items",
    "follow_up_rows",
    "item_draft",
    "items_need_reason",
    "revoke",
    "verify",
]
