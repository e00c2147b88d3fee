"""The rectification notice as a record: drafted from a finished audit, signed on site, then frozen.

Signing computes a SHA-256 over the canonical JSON of everything the notice says (its content snapshot, number,
signers, the hashes of the signature images and the signing time). The hash is printed on the PDF and checked by
the server's verification page, so a paper copy can be matched to the record. After signing the database refuses
any change (triggers in the first migration); a mistake is corrected by voiding with a reason and re-issuing a
new notice that supersedes the old one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.history import record_changes, record_diff, snapshot
from app.audit.numbering import next_notice_number
from app.audit.wage_checks import annex_for_notice
from app.models import (
    Audit,
    AuditStatus,
    Coordinator,
    Enterprise,
    Finding,
    Notice,
    NoticeStatus,
    RectificationItem,
    Template,
    utcnow,
)
from app.models.sync import row_payload
from core.errors import LaborCheckError
from core.notice_hash import notice_content_hash


class NoticeError(LaborCheckError):
    pass


def build_content(
    session: Session, audit: Audit, coordinator: Coordinator, number: str, issued_on: dt.date
) -> dict[str, Any]:
    """Snapshot what the notice prints, in the order printed, from the audit's live findings and items."""
    enterprise = session.get_one(Enterprise, audit.enterprise_id)
    rows = session.execute(
        select(Finding, RectificationItem)
        .join(RectificationItem, RectificationItem.finding_id == Finding.id)
        .where(Finding.audit_id == audit.id, Finding.removed_at.is_(None))
        .order_by(Finding.position, Finding.item_id)
    ).all()
    coordinators = [coordinator.name] + [n for n in audit.co_coordinators.split("、") if n.strip()]
    content: dict[str, Any] = {
        "number": number,
        "issued_on": issued_on.isoformat(),
        "issuing_body": coordinator.issuing_body or coordinator.organisation,
        "enterprise": {"name": enterprise.name, "uscc": enterprise.uscc, "address": enterprise.address},
        "visit_date": audit.visit_date.isoformat(),
        "coordinators": coordinators,
        "modules": [module.module for module in audit.modules],
        "module_titles": [session.get_one(Template, module.template_id).title for module in audit.modules],
        "problems": [
            {
                "position": index,
                "item_id": finding.item_id,
                "title": finding.title,
                "severity": finding.severity,
                "description": finding.description,
                **({"note": finding.note.strip()} if finding.note_on_notice and finding.note.strip() else {}),
                "basis": list(finding.basis),
                "requirement": item.requirement,
                "deadline": item.deadline.isoformat(),
                "deadline_days": item.deadline_days,
                "deadline_working_days": item.deadline_working_days,
                "deadline_estimated": item.deadline_estimated,
                "responsible_person": item.responsible_person,
                "responsible_phone": item.responsible_phone,
            }
            for index, (finding, item) in enumerate(rows, start=1)
        ],
    }
    annex = annex_for_notice(session, audit.id, [finding.item_id for finding, _item in rows])
    if annex is not None:
        content["annex"] = annex  # 附件: the wage-check evidence behind the findings it supports
    return content


def create_notice(session: Session, audit_id: str, *, issued_on: dt.date, supersedes: Notice | None = None) -> Notice:
    """Draft a notice for a finished audit and reserve its number (device code + yearly sequence)."""
    audit = session.get_one(Audit, audit_id)
    if audit.status is not AuditStatus.FINISHED:
        raise NoticeError("体检尚未完成，不能出具整改通知书")
    coordinator = session.get_one(Coordinator, audit.coordinator_id)
    number, sequence = next_notice_number(
        session, prefix=coordinator.notice_prefix, device_code=coordinator.device_code, year=issued_on.year
    )
    notice = Notice(
        audit_id=audit.id,
        number=number,
        year=issued_on.year,
        sequence=sequence,
        device_code=coordinator.device_code,
        issued_on=issued_on,
        content=build_content(session, audit, coordinator, number, issued_on),
        supersedes_id=supersedes.id if supersedes else None,
    )
    session.add(notice)
    session.flush()
    return notice


def refresh_draft(session: Session, notice_id: str) -> Notice:
    """Rebuild a draft's content after findings or items were edited (drafts only)."""
    notice = session.get_one(Notice, notice_id)
    if notice.status is not NoticeStatus.DRAFT:
        raise NoticeError("通知书已签署，内容不能再更改")
    audit = session.get_one(Audit, notice.audit_id)
    coordinator = session.get_one(Coordinator, audit.coordinator_id)
    notice.content = build_content(session, audit, coordinator, notice.number, notice.issued_on)
    session.flush()
    return notice


def notice_hash(notice: Notice) -> str:
    """The content hash (:mod:`core.notice_hash`) of the notice's fields exactly as they travel to the server."""
    return notice_content_hash(row_payload(notice))


def sign_notice(
    session: Session,
    notice_id: str,
    *,
    coordinator_signature_sha256: str,
    enterprise_signer: str,
    enterprise_signature_sha256: str,
    signed_at: dt.datetime | None = None,
) -> Notice:
    """Sign a draft with both signatures (images already in the blob store) and freeze it."""
    notice = session.get_one(Notice, notice_id)
    if notice.status is not NoticeStatus.DRAFT:
        raise NoticeError("通知书已签署或已作废，不能再次签署")
    if not enterprise_signer.strip():
        raise NoticeError("请填写企业代表姓名")
    if not notice.content.get("problems"):
        raise NoticeError("没有需要整改的问题，无需出具整改通知书")
    audit = session.get_one(Audit, notice.audit_id)
    coordinator = session.get_one(Coordinator, audit.coordinator_id)
    refresh_draft(session, notice_id)
    notice.coordinator_signer = coordinator.name
    notice.coordinator_signature_sha256 = coordinator_signature_sha256
    notice.enterprise_signer = enterprise_signer.strip()
    notice.enterprise_signature_sha256 = enterprise_signature_sha256
    notice.signed_at = (signed_at or utcnow()).replace(microsecond=0)
    notice.content_hash = notice_hash(notice)
    notice.status = NoticeStatus.SIGNED
    session.flush()
    return notice


def void_notice(session: Session, notice_id: str, *, reason: str) -> Notice:
    """Void a signed notice; the reason is required and kept. Its content stays exactly as signed."""
    notice = session.get_one(Notice, notice_id)
    if notice.status is not NoticeStatus.SIGNED:
        raise NoticeError("只有已签署的通知书可以作废")
    if not reason.strip():
        raise NoticeError("作废通知书必须说明理由")
    before = snapshot(notice, ("status", "void_reason", "voided_at"))
    notice.status = NoticeStatus.VOIDED
    notice.void_reason = reason.strip()
    notice.voided_at = utcnow()
    session.flush()
    record_diff(session, notice, before, entity="notice", audit_id=notice.audit_id, reason=reason)
    return notice


def reissue_notice(session: Session, notice_id: str, *, reason: str, issued_on: dt.date) -> Notice:
    """Void a signed notice with a reason and draft its replacement (a new number, superseding the old)."""
    old = void_notice(session, notice_id, reason=reason)
    new = create_notice(session, old.audit_id, issued_on=issued_on, supersedes=old)
    record_changes(
        session,
        entity="notice",
        entity_id=new.id,
        audit_id=new.audit_id,
        changes={"supersedes_id": (None, old.id), "status": (None, new.status)},
        reason=reason,
    )
    return new
