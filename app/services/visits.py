"""A visit, as both front ends drive it: start, answer, notes, inputs, the visit record, finish, remove a finding.

Each function is one user action and one unit of work: when it returns, the change is committed, and only then
may a screen say "已保存". What it returns says what changed (:class:`~app.services.changes.OpChanges`).

Notes and the visit record are committed as they are typed (the screens' autosave). Where the record cannot take
the text yet — a note on an item not answered yet, a change to a finished visit's record before its reason is
given — the text is kept as a draft (:mod:`app.services.drafts`) and moves into the record, in the same
transaction, when it can.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select

from app.audit import visits as domain
from app.audit.history import audit_is_finished
from app.audit.profile import require_coordinator
from app.audit.visits import ItemState, PersonMet
from app.models import Answer, AnswerStatus, Audit, AuditStatus, Enterprise, Finding
from app.services import drafts
from app.services.changes import OpChanges, OpResult, ids
from app.services.workspace import Workspace
from core.errors import LaborCheckError


@dataclass(frozen=True)
class AuditHeader:
    audit_id: str
    enterprise_id: str
    enterprise_name: str
    visit_date: dt.date
    status: AuditStatus


def header(ws: Workspace, audit_id: str) -> AuditHeader:
    with ws.db.session() as session:
        audit = session.get_one(Audit, audit_id)
        name = session.get_one(Enterprise, audit.enterprise_id).name
        return AuditHeader(audit.id, audit.enterprise_id, name, audit.visit_date, audit.status)


def _audit_changed(audit_id: str, *, items: bool = False, enterprise_id: str | None = None) -> OpChanges:
    return OpChanges(
        audits=True,
        items=items,
        enterprises=enterprise_id is not None,
        audit_ids=ids([audit_id]),
        enterprise_ids=ids([enterprise_id]),
    )


CONSTRUCTION_INDUSTRIES = ("建筑业",)
"""Industries (GB/T 4754 门类 E) whose enterprises are taken to be on construction projects until the coordinator
says otherwise: their visits get 工程建设领域农民工工资 (SITEPAY) suggested."""


@dataclass(frozen=True)
class RegistryFacts:
    """What the registry already says about an enterprise, to start its visit with."""

    name: str
    uscc: str
    industry: str
    inputs: dict[str, Any]
    """Visit inputs known in advance: headcounts, and whether it is a construction project (by industry)."""


def registry_facts(ws: Workspace, enterprise_id: str) -> RegistryFacts:
    with ws.db.session() as session:
        enterprise = session.get_one(Enterprise, enterprise_id)
        inputs: dict[str, Any] = {
            "headcount": enterprise.headcount,
            "headcount_last_year_end": enterprise.headcount_last_year_end,
        }
        if enterprise.industry.strip().startswith(CONSTRUCTION_INDUSTRIES):
            inputs["is_construction_project"] = True
        return RegistryFacts(enterprise.name, enterprise.uscc, enterprise.industry, inputs)


def start_visit(
    ws: Workspace,
    *,
    enterprise_id: str,
    visit_date: dt.date,
    modules: Sequence[str] | None,
    inputs: Mapping[str, Any],
    campaign_id: str | None = None,
    co_coordinators: Sequence[str] = (),
) -> OpResult[str]:
    """Open a visit by this laptop's coordinator; the new audit's id."""
    with ws.db.session() as session:
        coordinator = require_coordinator(session)
        audit = domain.start_audit(
            session,
            enterprise_id=enterprise_id,
            coordinator_id=coordinator.id,
            visit_date=visit_date,
            modules=modules,
            inputs=inputs,
            campaign_id=campaign_id,
            co_coordinators=co_coordinators,
        )
        return OpResult(audit.id, _audit_changed(audit.id, enterprise_id=enterprise_id))


def item_states(ws: Workspace, audit_id: str) -> list[ItemState]:
    with ws.db.session() as session:
        return domain.item_states(session, audit_id)


def answer(
    ws: Workspace,
    audit_id: str,
    item_id: str,
    status: AnswerStatus,
    *,
    note: str | None = None,
    skip_reason: str | None = None,
) -> OpChanges:
    """Record the answer (and the note typed with it); a draft note of the item goes into the answer."""
    with ws.db.session() as session:
        domain.answer_item(session, audit_id, item_id, status, note=note, skip_reason=skip_reason)
        drafts.discard(session, drafts.ANSWER_NOTE, drafts.answer_key(audit_id, item_id))
    return _audit_changed(audit_id)


NoteOutcome = Literal["answer", "draft", "unchanged"]


def save_note(ws: Workspace, audit_id: str, item_id: str, note: str) -> OpResult[NoteOutcome]:
    """Commit a note as typed: into the answer when the item is answered, else as the item's draft note."""
    key = drafts.answer_key(audit_id, item_id)
    with ws.db.session() as session:
        if session.get(Audit, audit_id) is None:
            raise domain.AuditError("体检记录不存在")
        state = domain.item_state(session, audit_id, item_id)
        if state is None:
            raise domain.AuditError(f"本次体检没有检查项 {item_id}")
        if state.answer is not None:
            changed = domain.set_answer_note(session, audit_id, item_id, note)
            drafts.discard(session, drafts.ANSWER_NOTE, key)
            return OpResult("answer" if changed else "unchanged", _audit_changed(audit_id) if changed else OpChanges())
        if drafts.get(session, drafts.ANSWER_NOTE, key).get("note", "") == note:
            return OpResult("unchanged", OpChanges())
        drafts.put(session, drafts.ANSWER_NOTE, key, {"note": note} if note.strip() else {})
        return OpResult("draft", drafts.DRAFT_SAVED)


def note_of(ws: Workspace, audit_id: str, item_id: str) -> str:
    """The item's note as last committed: the answer's, else the draft typed before answering (or empty)."""
    with ws.db.session() as session:
        answer = session.scalars(select(Answer).where(Answer.audit_id == audit_id, Answer.item_id == item_id)).first()
        if answer is not None:
            return answer.note
        return str(drafts.get(session, drafts.ANSWER_NOTE, drafts.answer_key(audit_id, item_id)).get("note", ""))


def set_inputs(ws: Workspace, audit_id: str, values: Mapping[str, Any]) -> OpChanges:
    with ws.db.session() as session:
        audit = domain.set_inputs(session, audit_id, values)
        enterprise_id = audit.enterprise_id if values.get("headcount") is not None else None
    return _audit_changed(audit_id, enterprise_id=enterprise_id)


def finish(ws: Workspace, audit_id: str, *, today: dt.date) -> OpResult[int]:
    """Close the visit into findings and rectification items; how many findings it made."""
    with ws.db.session() as session:
        findings = domain.finish_audit(session, audit_id, today=today)
        enterprise_id = session.get_one(Audit, audit_id).enterprise_id
    return OpResult(len(findings), _audit_changed(audit_id, items=True, enterprise_id=enterprise_id))


def remove_finding(ws: Workspace, finding_id: str, *, reason: str) -> OpChanges:
    with ws.db.session() as session:
        finding = domain.remove_finding(session, finding_id, reason=reason)
        enterprise_id = session.get_one(Audit, finding.audit_id).enterprise_id
        audit_id = session.get_one(Finding, finding_id).audit_id
    return _audit_changed(audit_id, items=True, enterprise_id=enterprise_id) | OpChanges(notices=True)


# ------------------------------------------------------------------------------------------------- visit record


@dataclass(frozen=True)
class VisitRecord:
    """Arrival and departure (aware, China time), who received the visit, documents inspected."""

    arrived_at: dt.datetime | None = None
    departed_at: dt.datetime | None = None
    people_met: tuple[PersonMet, ...] = ()
    documents_inspected: tuple[str, ...] = ()

    def to_draft(self) -> dict[str, Any]:
        return {
            "arrived_at": self.arrived_at.isoformat() if self.arrived_at else None,
            "departed_at": self.departed_at.isoformat() if self.departed_at else None,
            "people_met": [{"name": p.name, "role": p.role} for p in self.people_met],
            "documents_inspected": list(self.documents_inspected),
        }

    @classmethod
    def from_draft(cls, data: Mapping[str, Any]) -> VisitRecord:
        def moment(value: Any) -> dt.datetime | None:
            return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None

        return cls(
            moment(data.get("arrived_at")),
            moment(data.get("departed_at")),
            tuple(PersonMet(str(p.get("name", "")), str(p.get("role", ""))) for p in data.get("people_met", [])),
            tuple(str(d) for d in data.get("documents_inspected", [])),
        )

    def cleaned(self) -> VisitRecord:
        """As the record stores it: blank people and documents dropped, text stripped."""
        return VisitRecord(
            self.arrived_at,
            self.departed_at,
            tuple(PersonMet(p.name.strip(), p.role.strip()) for p in self.people_met if p.name.strip()),
            tuple(d.strip() for d in self.documents_inspected if d.strip()),
        )


@dataclass(frozen=True)
class VisitRecordView:
    visit_date: dt.date
    finished: bool
    stored: VisitRecord
    draft: VisitRecord | None
    """A change typed but not committed yet (a finished visit waiting for the reason)."""


def visit_record(ws: Workspace, audit_id: str) -> VisitRecordView:
    with ws.db.session() as session:
        audit = session.get_one(Audit, audit_id)
        stored = VisitRecord(
            audit.arrived_at,
            audit.departed_at,
            tuple(PersonMet(str(p.get("name", "")), str(p.get("role", ""))) for p in audit.people_met),
            tuple(audit.documents_inspected),
        )
        draft = drafts.get(session, drafts.VISIT_RECORD, audit_id)
        return VisitRecordView(
            audit.visit_date,
            audit_is_finished(session, audit_id),
            stored,
            VisitRecord.from_draft(draft) if draft else None,
        )


RecordOutcome = Literal["saved", "unchanged", "needs_reason"]


def save_visit_record(
    ws: Workspace, audit_id: str, record: VisitRecord, *, reason: str = ""
) -> OpResult[RecordOutcome]:
    """Commit the visit record as typed. A finished visit's record changes only with a reason: without one the
    typed record is kept as a draft and ``needs_reason`` is returned. A record the domain refuses (a departure
    before the arrival) is kept as a draft too, and the refusal raised: nothing typed is lost."""
    try:
        with ws.db.session() as session:
            audit = session.get_one(Audit, audit_id)
            finished = audit_is_finished(session, audit_id)
            current = VisitRecord(
                audit.arrived_at,
                audit.departed_at,
                tuple(PersonMet(str(p.get("name", "")), str(p.get("role", ""))) for p in audit.people_met),
                tuple(audit.documents_inspected),
            )
            if record.cleaned() == current.cleaned():
                drafts.discard(session, drafts.VISIT_RECORD, audit_id)
                return OpResult("unchanged", drafts.DRAFT_SAVED)
            if finished and not reason.strip():
                drafts.put(session, drafts.VISIT_RECORD, audit_id, record.to_draft())
                return OpResult("needs_reason", drafts.DRAFT_SAVED)
            domain.set_visit_record(
                session,
                audit_id,
                arrived_at=record.arrived_at,
                departed_at=record.departed_at,
                people_met=record.people_met,
                documents_inspected=record.documents_inspected,
                reason=reason if finished else None,
            )
            drafts.discard(session, drafts.VISIT_RECORD, audit_id)
    except LaborCheckError:
        drafts.save_draft(ws, drafts.VISIT_RECORD, audit_id, record.to_draft())
        raise
    return OpResult("saved", _audit_changed(audit_id) | drafts.DRAFT_SAVED)


__all__ = [
    "CONSTRUCTION_INDUSTRIES",
    "AuditHeader",
    "NoteOutcome",
    "RecordOutcome",
    "RegistryFacts",
    "VisitRecord",
    "VisitRecordView",
    "answer",
    "finish",
    "header",
    "item_states",
    "note_of",
    "registry_facts",
    "remove_finding",
    "save_note",
    "save_visit_record",
    "set_inputs",
    "start_visit",
    "visit_record",
]
