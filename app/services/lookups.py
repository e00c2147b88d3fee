"""Read-only look-ups both front ends show: pickers, an enterprise's visits and items, an audit's findings.

They return plain frozen rows, never ORM objects, so a widget holds no session (STYLE.md 15). There is one of
each: the campaign picker of the new-visit dialog, the ledger and the statistics page all list
:func:`campaigns` in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.risk import RiskFactor, grade_enterprise
from app.models import (
    ArchivedAudit,
    Attachment,
    Audit,
    AuditStatus,
    Campaign,
    Enterprise,
    Finding,
    ItemStatus,
    RectificationItem,
    Template,
)
from app.sync.shared_items import shared_items


@dataclass(frozen=True)
class EnterpriseRow:
    id: str
    name: str
    uscc: str
    industry: str
    district: str
    headcount: int | None
    risk_grade: str | None
    is_key: bool

    @classmethod
    def of(cls, enterprise: Enterprise) -> EnterpriseRow:
        return cls(
            enterprise.id,
            enterprise.name,
            enterprise.uscc,
            enterprise.industry,
            enterprise.district,
            enterprise.headcount,
            enterprise.risk_grade,
            enterprise.is_key,
        )


@dataclass(frozen=True)
class ModuleName:
    """A checklist module's names: the screens show the one of the interface language."""

    code: str
    title: str
    title_en: str


def _title_en(content: dict[str, object], title: str) -> str:
    module = content.get("module")
    return str(module.get("title_en") or title) if isinstance(module, dict) else title


def module_names(session: Session) -> dict[str, ModuleName]:
    """Every template version's module names, by template row id."""
    return {
        row_id: ModuleName(module, title, _title_en(content, title))
        for row_id, module, title, content in session.execute(
            select(Template.id, Template.module, Template.title, Template.content)
        )
    }


def module_names_by_code(session: Session) -> dict[str, ModuleName]:
    """The names of each module's newest version, by module code (charts and summaries)."""
    newest: dict[str, tuple[int, ModuleName]] = {}
    for version, module, title, content in session.execute(
        select(Template.version, Template.module, Template.title, Template.content)
    ):
        if module not in newest or version > newest[module][0]:
            newest[module] = (version, ModuleName(module, title, _title_en(content, title)))
    return {module: name for module, (_version, name) in newest.items()}


def risk_factors_by_uscc(session: Session, usccs: Iterable[str], today: dt.date) -> dict[str, list[RiskFactor]]:
    """The reasons behind each listed enterprise's grade today, as data a screen words in its language."""
    wanted = set(usccs)
    rows = session.execute(select(Enterprise.id, Enterprise.uscc).where(Enterprise.uscc.in_(wanted))).all()
    return {uscc: list(grade_enterprise(session, enterprise_id, today).factors) for enterprise_id, uscc in rows}


@dataclass(frozen=True)
class AuditRow:
    id: str
    visit_date: dt.date
    status: AuditStatus
    modules: tuple[ModuleName, ...]
    findings: int
    archived: bool = False


@dataclass(frozen=True)
class CampaignRow:
    id: str
    name: str


@dataclass(frozen=True)
class AttachmentRow:
    id: str
    sha256: str
    kind: str
    original_name: str
    caption: str


@dataclass(frozen=True)
class FindingRow:
    finding_id: str
    item_id: str
    module: str
    position: int
    severity: str
    description: str
    basis: tuple[str, ...]
    removed_reason: str | None
    rect_id: str | None
    requirement: str
    deadline: dt.date | None
    deadline_days: int
    deadline_working_days: bool
    deadline_estimated: bool
    responsible_person: str
    responsible_phone: str
    title: str = ""
    note: str = ""
    note_on_notice: bool = False
    description_en: str = ""
    """The statement's English (for the screens; the notice prints ``description``)."""


def industries(session: Session) -> list[str]:
    rows = session.scalars(select(Enterprise.industry).where(Enterprise.industry != "").distinct())
    return sorted(rows)


def campaigns(session: Session) -> list[CampaignRow]:
    """Every campaign, the latest first (by start date; undated ones after, newest made first), for every picker."""
    rows = session.scalars(
        select(Campaign).order_by(
            Campaign.starts_on.desc().nulls_last(), Campaign.created_at.desc(), Campaign.name, Campaign.id
        )
    )
    return [CampaignRow(row.id, row.name) for row in rows]


def audits_of(session: Session, enterprise_id: str) -> list[AuditRow]:
    """The enterprise's visits, newest first, with their module titles and live finding counts."""
    audits = session.scalars(
        select(Audit).where(Audit.enterprise_id == enterprise_id).order_by(Audit.visit_date.desc(), Audit.id.desc())
    ).all()
    counts = dict(
        session.execute(
            select(Finding.audit_id, func.count())
            .where(Finding.audit_id.in_([a.id for a in audits]), Finding.removed_at.is_(None))
            .group_by(Finding.audit_id)
        ).all()
    )
    names = module_names(session)
    archived = set(
        session.scalars(
            select(ArchivedAudit.audit_id).where(
                ArchivedAudit.current(), ArchivedAudit.audit_id.in_([a.id for a in audits])
            )
        )
    )
    return [
        AuditRow(
            audit.id,
            audit.visit_date,
            audit.status,
            tuple(names.get(m.template_id, ModuleName(m.module, m.module, m.module)) for m in audit.modules),
            int(counts.get(audit.id, 0)),
            audit.id in archived,
        )
        for audit in audits
    ]


def attachments_of(session: Session, audit_id: str, item_id: str | None) -> list[AttachmentRow]:
    query = select(Attachment).where(Attachment.audit_id == audit_id, Attachment.kind.in_(("photo", "document")))
    if item_id is not None:
        query = query.where(Attachment.item_id == item_id)
    rows = session.scalars(query.order_by(Attachment.created_at, Attachment.id))
    return [AttachmentRow(a.id, a.sha256, a.kind, a.original_name, a.caption) for a in rows]


def findings_of(session: Session, audit_id: str) -> list[FindingRow]:
    """The audit's findings in notice order, removed ones included (marked), each with its rectification item."""
    rows = session.execute(
        select(Finding, RectificationItem)
        .outerjoin(RectificationItem, RectificationItem.finding_id == Finding.id)
        .where(Finding.audit_id == audit_id)
        .order_by(Finding.position, Finding.item_id)
    ).all()
    result: list[FindingRow] = []
    for finding, item in rows:
        result.append(
            FindingRow(
                finding_id=finding.id,
                item_id=finding.item_id,
                module=finding.module,
                position=finding.position,
                severity=finding.severity,
                description=finding.description,
                basis=tuple(str(b) for b in finding.basis),
                removed_reason=finding.removed_reason,
                rect_id=item.id if item else None,
                requirement=item.requirement if item else "",
                deadline=item.deadline if item else None,
                deadline_days=item.deadline_days if item else 0,
                deadline_working_days=item.deadline_working_days if item else False,
                deadline_estimated=item.deadline_estimated if item else False,
                responsible_person=item.responsible_person if item else "",
                responsible_phone=item.responsible_phone if item else "",
                title=finding.title,
                note=finding.note,
                note_on_notice=finding.note_on_notice,
                description_en=finding.description_en,
            )
        )
    return result


def audit_header(session: Session, audit_id: str) -> tuple[str, str, dt.date, AuditStatus]:
    """(enterprise id, enterprise name, visit date, status) of an audit."""
    audit = session.get_one(Audit, audit_id)
    name = session.get_one(Enterprise, audit.enterprise_id).name
    return audit.enterprise_id, name, audit.visit_date, audit.status


@dataclass(frozen=True)
class ItemRow:
    id: str
    audit_id: str
    description: str
    severity: str
    requirement: str
    deadline: dt.date
    responsible_person: str
    status: ItemStatus
    submitted_at: dt.datetime | None
    verified_on: dt.date | None
    verified_by: str
    overdue: bool
    description_en: str = ""

    @property
    def verified(self) -> bool:
        return self.status is ItemStatus.VERIFIED


def items_of(session: Session, enterprise_id: str, today: dt.date) -> list[ItemRow]:
    """Every rectification item of the enterprise (verified ones too), newest visit first."""
    rows = session.execute(
        select(RectificationItem, Finding)
        .join(Finding, Finding.id == RectificationItem.finding_id)
        .join(Audit, Audit.id == RectificationItem.audit_id)
        .where(RectificationItem.enterprise_id == enterprise_id, Finding.removed_at.is_(None))
        .order_by(Audit.visit_date.desc(), Finding.position)
    ).all()
    return [
        ItemRow(
            item.id,
            item.audit_id,
            finding.description,
            finding.severity,
            item.requirement,
            item.deadline,
            item.responsible_person,
            item.status,
            item.submitted_at,
            item.verified_on,
            item.verified_by,
            item.is_overdue(today),
            finding.description_en,
        )
        for item, finding in rows
    ]


@dataclass(frozen=True)
class SharedItemRow:
    """A colleague's item at this enterprise, as the server's feed summarised it (read-only here)."""

    coordinator: str
    requirement: str
    deadline: dt.date | None
    status: ItemStatus
    verified_on: dt.date | None
    overdue: bool


def shared_items_of(session: Session, enterprise_id: str, today: dt.date) -> list[SharedItemRow]:
    rows = []
    for shared in shared_items(session, enterprise_id):
        try:
            status = ItemStatus(shared.status)
        except ValueError:
            status = ItemStatus.OPEN
        deadline = shared.deadline
        overdue = deadline is not None and status is not ItemStatus.VERIFIED and deadline < today
        rows.append(
            SharedItemRow(shared.coordinator, shared.requirement, deadline, status, shared.verified_on, overdue)
        )
    return rows
