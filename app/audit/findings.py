"""Editing what the notice says about a finding: its statement, and whether the coordinator's note is printed.

A finding's statement is chosen from its template item by the visit's figures (``finish_audit``); the coordinator
may reword it, and mark the note they took while answering for the notice, until the notice is signed. Findings
exist only once the visit is finished, so every edit is a correction: it needs a reason and goes into the change
history, old and new side by side. After signing the notice is frozen; a correction then means voiding it and
issuing a new one, after which the statement can be edited again for the new draft.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.history import record_diff, require_reason, snapshot
from app.models import Finding, Notice, NoticeStatus
from core.errors import LaborCheckError

FINDING_FIELDS = ("description", "description_en", "note_on_notice")
MAX_STATEMENT = 500


class FindingNotEditable(LaborCheckError):
    pass


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？" else text.rstrip("；;，,") + "。"


def normalised_statement(text: str) -> str:
    """A statement as it is stored: stripped and ending as a sentence (what :func:`edit_finding` keeps)."""
    return _sentence(text)


def edit_finding(
    session: Session,
    finding_id: str,
    *,
    statement: str | None = None,
    statement_en: str | None = None,
    note_on_notice: bool | None = None,
    reason: str,
) -> Finding:
    """Reword a finding's statement and/or choose whether its note is printed, before the notice is signed."""
    text = require_reason(reason, "修改问题表述")
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise FindingNotEditable("问题记录不存在")
    if finding.removed_at is not None:
        raise FindingNotEditable("该问题已删除，不能修改")
    signed = session.scalar(
        select(Notice.number).where(Notice.audit_id == finding.audit_id, Notice.status == NoticeStatus.SIGNED)
    )
    if signed is not None:
        raise FindingNotEditable(
            f"整改通知书 {signed} 已签署，内容不能再改：如需修改问题表述，请先作废该通知书并重新出具。"
        )
    before = snapshot(finding, FINDING_FIELDS)
    if statement is not None:
        wording = _sentence(statement)
        if not wording:
            raise FindingNotEditable("问题表述不能为空")
        if len(wording) > MAX_STATEMENT:
            raise FindingNotEditable(f"问题表述不能超过 {MAX_STATEMENT} 字")
        finding.description = wording
    if statement_en is not None:
        finding.description_en = statement_en.strip()
    if note_on_notice is not None:
        if note_on_notice and not finding.note.strip():
            raise FindingNotEditable("该问题没有备注，无需写入通知书")
        finding.note_on_notice = note_on_notice
    session.flush()
    record_diff(session, finding, before, entity="finding", audit_id=finding.audit_id, reason=text)
    return finding


__all__ = ["FindingNotEditable", "edit_finding", "normalised_statement"]
