"""The laptop's campaign figures: its database read into the plain rows of :mod:`core.statistics`.

Nothing is counted here. This module only selects what is in scope — with a campaign, the finished audits of that
campaign; without one, every finished audit in the data directory — and hands the rows to
:func:`core.statistics.compute_statistics`, the one definition the statistics page, the summary PDF, the ledger
totals, the command line and the district server all use. A finding withdrawn with a reason is not passed in.
The registry is the laptop's enterprise list (the coordinator's district).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Audit, AuditModule, AuditStatus, Campaign, Enterprise, Finding, RectificationItem, Template
from core.statistics import (
    SEVERITIES,
    CampaignStatistics,
    Count,
    EnterpriseRow,
    HighRiskEnterprise,
    ItemRow,
    ItemTotals,
    Scope,
    VisitRow,
    compute_statistics,
)

ALL_AUDITS_NAME = "劳动用工法治体检"
"""The scope's name when no campaign is chosen (every finished audit)."""

STREAM_BATCH = 2000


class UnknownCampaign(LookupError):
    pass


class TemplateTitles:
    """Module and item titles by pinned template row, read from the stored snapshots once per use."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._modules: dict[str, tuple[str, dict[str, str]]] = {}

    def _load(self, template_id: str) -> tuple[str, dict[str, str]]:
        found = self._modules.get(template_id)
        if found is None:
            row = self.session.get(Template, template_id)
            module: Any = (row.content or {}).get("module") if row is not None else None
            listed = module.get("items", []) if isinstance(module, Mapping) else []
            items = {
                str(item.get("id")): str(item.get("title") or item.get("text") or "")
                for item in listed
                if isinstance(item, Mapping)
            }
            found = self._modules[template_id] = (row.title if row is not None else "", items)
        return found

    def module(self, template_id: str | None, code: str) -> str:
        return (self._load(template_id)[0] if template_id else "") or code

    def item(self, template_id: str | None, item_id: str) -> str:
        return self._load(template_id)[1].get(item_id, "") if template_id else ""


def visit_rows(session: Session, campaign_id: str | None) -> list[VisitRow]:
    query = select(Audit.id, Audit.enterprise_id).where(Audit.status == AuditStatus.FINISHED)
    if campaign_id is not None:
        query = query.where(Audit.campaign_id == campaign_id)
    return [VisitRow(audit_id, enterprise_id) for audit_id, enterprise_id in session.execute(query)]


def item_rows(session: Session, campaign_id: str | None) -> Iterator[ItemRow]:
    """The items of standing findings of finished audits in scope, with their titles as the audit's templates say."""
    titles = TemplateTitles(session)
    query = (
        select(
            RectificationItem.id,
            RectificationItem.audit_id,
            RectificationItem.enterprise_id,
            Finding.module,
            Finding.item_id,
            Finding.severity,
            RectificationItem.status,
            RectificationItem.deadline,
            AuditModule.template_id,
        )
        .join(Finding, Finding.id == RectificationItem.finding_id)
        .join(Audit, Audit.id == RectificationItem.audit_id)
        .outerjoin(AuditModule, (AuditModule.audit_id == Finding.audit_id) & (AuditModule.module == Finding.module))
        .where(Audit.status == AuditStatus.FINISHED, Finding.removed_at.is_(None), Finding.removed_reason.is_(None))
    )
    if campaign_id is not None:
        query = query.where(Audit.campaign_id == campaign_id)
    for row in session.execute(query.execution_options(yield_per=STREAM_BATCH)):
        item_id, audit_id, enterprise_id, module, code, severity, status, deadline, template_id = row
        yield ItemRow(
            item_id=item_id,
            audit_id=audit_id,
            enterprise_id=enterprise_id,
            module=module,
            module_title=titles.module(template_id, module),
            item=code,
            item_title=titles.item(template_id, code),
            severity=severity,
            status=status.value,
            deadline=deadline,
        )


def registry_rows(session: Session) -> Iterator[EnterpriseRow]:
    query = select(Enterprise.id, Enterprise.name, Enterprise.uscc, Enterprise.risk_grade, Enterprise.risk_reasons)
    for enterprise_id, name, uscc, grade, reasons in session.execute(query.execution_options(yield_per=STREAM_BATCH)):
        yield EnterpriseRow(enterprise_id, name, uscc, grade, reasons or "")


def campaign_scope(session: Session, campaign_id: str | None) -> Scope:
    if campaign_id is None:
        return Scope(name=ALL_AUDITS_NAME)
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise UnknownCampaign(campaign_id)
    return Scope(
        name=campaign.name,
        campaign_id=campaign.id,
        district=campaign.district,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )


def campaign_statistics(session: Session, *, today: dt.date, campaign_id: str | None = None) -> CampaignStatistics:
    """The figures of a campaign (or of every finished audit) for ``today``, from :mod:`core.statistics`."""
    scope = campaign_scope(session, campaign_id)
    visits: Iterable[VisitRow] = visit_rows(session, campaign_id)
    return compute_statistics(visits, item_rows(session, campaign_id), registry_rows(session), today=today, scope=scope)


__all__ = [
    "SEVERITIES",
    "CampaignStatistics",
    "Count",
    "HighRiskEnterprise",
    "ItemTotals",
    "UnknownCampaign",
    "campaign_scope",
    "campaign_statistics",
    "item_rows",
    "registry_rows",
    "visit_rows",
]
