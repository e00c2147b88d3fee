"""A wage check as part of a visit: the evidence kept with the audit, the findings it feeds, the workers left out.

Saving a check (in the caller's unit of work) stores the enterprise's raw sheets as attachments of kind ``sheet``
(encrypted, synced, removed by retention with the photos), the evidence table as a blob, and one ``wage_check``
row with the summary and the annex; a new check of the same audit replaces the previous one.

The results feed the checklist items they belong to (WAGE-01/04/06/07, HOURS-02/03): an item with breaches is
answered "不符合" with ``source="evidence"`` (the coordinator's note, if any, is left as it is); an item whose
breaches were all excluded loses that answer again. Answering such an item "符合" by hand is refused
(:func:`app.audit.visits.answer_item`), as for a rule that fires. What the finding says is the template's
statement filled with the check's facts ("经查，你单位2026年9月有12名提供正常劳动的劳动者月工资低于当地月最低工资
标准，差额合计3,460元，明细见附件。"), chosen when the visit is finished (:mod:`app.audit.evidence_facts`) and
previewed here for the screen (:func:`preview_statements`).

Excluding a worker (a reason is required) or taking the exclusion back is recorded in the change history.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.attachments import add_sheet, store_evidence
from app.audit.evidence_facts import current_check
from app.audit.history import record_changes, require_reason
from app.audit.template_store import environment
from app.audit.visits import EVIDENCE_SOURCE, AuditError, audit_templates, finding_values, item_states
from app.models import Answer, AnswerStatus, Attachment, Audit, AuditStatus, WageCheck, utcnow
from app.storage.blobstore import ContentStore
from app.wage_evidence.evidence import Evidence, annex, summary
from core.clock import china_today
from core.statements import ChosenStatement, FactValue, choose_statement
from core.wage_rules import RULES

__all__ = [
    "EVIDENCE_SOURCE",
    "WAGE_ITEMS",
    "SheetFile",
    "annex_for_notice",
    "apply_evidence",
    "current_check",
    "load_evidence",
    "preview_statements",
    "save_check",
    "set_exclusion",
]

WAGE_ITEMS = tuple(dict.fromkeys(info.item_id for info in RULES.values()))


@dataclass(frozen=True)
class SheetFile:
    """A file the check read: its name, whether payroll or attendance, and its bytes (kept as evidence)."""

    name: str
    kind: str
    data: bytes
    rows: int = 0


def load_evidence(store: ContentStore, check: WageCheck) -> Evidence:
    return Evidence.from_bytes(store.get(check.evidence_sha256))


def _editable(session: Session, audit_id: str) -> Audit:
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise AuditError("体检记录不存在")
    if audit.status is not AuditStatus.IN_PROGRESS:
        raise AuditError("该次体检已完成，工资核查结果不能再更改")
    return audit


def apply_evidence(session: Session, audit_id: str, items: Collection[str]) -> list[str]:
    """Answer "不符合" from the evidence the items in ``items`` (those with breaches); take back the evidence
    answers of the others. Returns the items answered."""
    states = {state.item.id: state for state in item_states(session, audit_id)}
    answered: list[str] = []
    for item_id in WAGE_ITEMS:
        state = states.get(item_id)
        if state is None or not state.applicable:
            continue
        answer = state.answer
        if item_id in items:
            if answer is None:
                answer = Answer(
                    audit_id=audit_id,
                    module=state.module,
                    item_id=item_id,
                    kind=state.item.kind,
                    status=AnswerStatus.NON_COMPLIANT,
                )
                session.add(answer)
            answer.status = AnswerStatus.NON_COMPLIANT
            answer.source = EVIDENCE_SOURCE
            answer.skip_reason = ""
            answered.append(item_id)
        elif answer is not None and answer.source == EVIDENCE_SOURCE:
            session.delete(answer)
    session.flush()
    return answered


def preview_statements(
    session: Session, audit_id: str, facts: Mapping[str, Mapping[str, FactValue]]
) -> dict[str, ChosenStatement]:
    """The statement each item of the audit would print with ``facts`` (item → facts), as finishing the visit
    will choose it; items the audit does not contain (a module not chosen) are left out."""
    audit = session.get_one(Audit, audit_id)
    env = environment(audit_templates(session, audit), audit.inputs)
    chosen: dict[str, ChosenStatement] = {}
    for state in item_states(session, audit_id):
        given = facts.get(state.item.id)
        if given and state.applicable:
            chosen[state.item.id] = choose_statement(state.item, finding_values(state, env, given))
    return chosen


def _refresh(session: Session, check: WageCheck, evidence: Evidence) -> None:
    audit = session.get_one(Audit, check.audit_id)
    as_of = audit.visit_date
    figures = summary(evidence, check.exclusions, as_of)
    figures["annex"] = annex(evidence, check.exclusions, WAGE_ITEMS)
    check.summary = figures
    check.version += 1
    check.updated_at = utcnow()
    session.flush()
    apply_evidence(session, check.audit_id, set(figures["facts"]))


def save_check(
    session: Session,
    store: ContentStore,
    audit_id: str,
    evidence: Evidence,
    files: Sequence[SheetFile],
    settings: dict[str, Any],
) -> WageCheck:
    """Keep a finished check with the audit (replacing an earlier one) and feed its findings to the items."""
    _editable(session, audit_id)
    previous = current_check(session, audit_id)
    if previous is not None:
        old_sources = {str(source.get("attachment_id")) for source in previous.sources}
        for attachment in session.scalars(select(Attachment).where(Attachment.id.in_(sorted(old_sources)))):
            session.delete(attachment)
        session.delete(previous)
        session.flush()
    sources = []
    for file in files:
        attachment = add_sheet(session, store, audit_id=audit_id, data=file.data, original_name=file.name,
                               caption="工资表" if file.kind == "payroll" else "考勤表")  # fmt: skip
        sources.append(
            {"attachment_id": attachment.id, "kind": file.kind, "name": attachment.original_name, "rows": file.rows}
        )
    blob = store_evidence(session, store, evidence.to_bytes())
    check = WageCheck(
        audit_id=audit_id,
        settings=dict(settings),
        sources=sources,
        evidence_sha256=blob.sha256,
        exclusions={},
        version=0,
    )
    session.add(check)
    session.flush()
    _refresh(session, check, evidence)
    return check


def set_exclusion(
    session: Session, store: ContentStore, check_id: str, worker_key: str, *, excluded: bool, reason: str
) -> WageCheck:
    """Leave a worker out of the findings (or take them back in), with the reason in the change history."""
    text = require_reason(reason, "排除或恢复劳动者")
    check = session.get(WageCheck, check_id)
    if check is None:
        raise AuditError("工资核查记录不存在")
    _editable(session, check.audit_id)
    evidence = load_evidence(store, check)
    worker = next((w for w in evidence.workers if w.key == worker_key), None)
    if worker is None:
        raise AuditError("核查明细中没有该劳动者")
    exclusions = dict(check.exclusions)
    if excluded == (worker_key in exclusions):
        return check
    change: tuple[str | None, str | None]
    if excluded:
        exclusions[worker_key] = {"name": worker.label, "reason": text, "on": china_today().isoformat()}
        change = (None, worker.label)
    else:
        exclusions.pop(worker_key)
        change = (worker.label, None)
    check.exclusions = exclusions
    record_changes(
        session,
        entity="wage_check",
        entity_id=check.id,
        audit_id=check.audit_id,
        changes={"excluded_worker": change},
        reason=text,
    )
    _refresh(session, check, evidence)
    return check


def annex_for_notice(session: Session, audit_id: str, items: Iterable[str]) -> dict[str, Any] | None:
    """The annex a notice prints for its findings among ``items`` (None: no check, or none of its items)."""
    check = current_check(session, audit_id)
    if check is None:
        return None
    wanted = set(items)
    stored = check.summary.get("annex") or {}
    sections = [section for section in stored.get("sections", []) if section.get("item_id") in wanted]
    if not sections:
        return None
    return {**stored, "sections": sections}
