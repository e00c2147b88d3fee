"""Campaign statistics (专项行动工作情况): the figures a district reports at the end of a campaign.

One typed result, computed from the models for a given day, shared by the summary PDF and the GUI's statistics
view: enterprises checked, findings by module and by severity, rectification items by state, and the high-risk
enterprises. The same rules as the ledger apply: a finding removed with a reason is not counted, and "overdue"
is judged for ``today`` (a date in Asia/Shanghai), never stored, so the same data gives the same figures for the
same day.

Scope: with a campaign, the finished audits of that campaign and what they found; the high-risk list is the
enterprises checked in it whose current risk grade is 高. Without one, every finished audit in the data
directory, and every enterprise graded 高 (the risk survey flags some before any visit).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Audit, AuditStatus, Campaign, Enterprise, Finding, ItemStatus, RectificationItem, Template

SEVERITIES: Final = ("高", "中", "低")
HIGH_RISK: Final = "高"


@dataclass(frozen=True, slots=True)
class ModuleCount:
    module: str
    title: str
    findings: int


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """Rectification items by state for the day: the four states are disjoint and add up to ``total``."""

    open: int
    submitted: int
    verified: int
    overdue: int

    @property
    def total(self) -> int:
        return self.open + self.submitted + self.verified + self.overdue

    @property
    def verified_rate(self) -> float:
        """整改销号率: verified over all items (0 when there are none)."""
        return self.verified / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class HighRiskEnterprise:
    name: str
    uscc: str
    reasons: str
    open_items: int
    overdue_items: int


@dataclass(frozen=True, slots=True)
class CampaignStatistics:
    campaign_id: str | None
    campaign_name: str
    district: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    today: dt.date
    enterprises_checked: int
    audits: int
    findings: int
    by_module: tuple[ModuleCount, ...]
    by_severity: tuple[tuple[str, int], ...]
    items: ItemProgress
    high_risk: tuple[HighRiskEnterprise, ...]


class UnknownCampaign(LookupError):
    pass


def _module_titles(session: Session) -> dict[str, str]:
    titles: dict[str, str] = {}
    for module, title in session.execute(select(Template.module, Template.title).order_by(Template.version)):
        titles[module] = title
    return titles


def campaign_statistics(session: Session, *, today: dt.date, campaign_id: str | None = None) -> CampaignStatistics:
    """The campaign's figures for ``today``; ``campaign_id`` None means every finished audit."""
    campaign = session.get(Campaign, campaign_id) if campaign_id is not None else None
    if campaign_id is not None and campaign is None:
        raise UnknownCampaign(campaign_id)
    audits = select(Audit.id, Audit.enterprise_id).where(Audit.status == AuditStatus.FINISHED)
    if campaign_id is not None:
        audits = audits.where(Audit.campaign_id == campaign_id)
    audit_rows = session.execute(audits).all()
    audit_ids = [row[0] for row in audit_rows]
    checked = {row[1] for row in audit_rows}

    live = Finding.removed_at.is_(None) & Finding.removed_reason.is_(None) & Finding.audit_id.in_(audit_ids)
    by_module_query = select(Finding.module, func.count()).where(live).group_by(Finding.module)
    by_severity_query = select(Finding.severity, func.count()).where(live).group_by(Finding.severity)
    module_counts: Counter[str] = Counter({module: count for module, count in session.execute(by_module_query)})
    severity_counts: Counter[str] = Counter({level: count for level, count in session.execute(by_severity_query)})
    titles = _module_titles(session)
    by_module = tuple(
        ModuleCount(module, titles.get(module, module), count)
        for module, count in sorted(module_counts.items(), key=lambda pair: (-pair[1], pair[0]))
    )
    known = [(level, severity_counts.get(level, 0)) for level in SEVERITIES]
    other = [(level, count) for level, count in sorted(severity_counts.items()) if level not in SEVERITIES]

    states: Counter[str] = Counter()
    per_enterprise: dict[str, Counter[str]] = {}
    item_rows = session.execute(
        select(RectificationItem.enterprise_id, RectificationItem.status, RectificationItem.deadline)
        .join(Finding, Finding.id == RectificationItem.finding_id)
        .where(live)
    )
    for enterprise_id, status, deadline in item_rows:
        if status is ItemStatus.VERIFIED:
            state = "verified"
        elif deadline < today:
            state = "overdue"
        else:
            state = "open" if status is ItemStatus.OPEN else "submitted"
        states[state] += 1
        per_enterprise.setdefault(enterprise_id, Counter())[state] += 1

    risky = select(Enterprise).where(Enterprise.risk_grade == HIGH_RISK).order_by(Enterprise.name)
    if campaign_id is not None:
        risky = risky.where(Enterprise.id.in_(checked))
    high_risk = tuple(
        HighRiskEnterprise(
            name=enterprise.name,
            uscc=enterprise.uscc,
            reasons=enterprise.risk_reasons,
            open_items=sum(per_enterprise.get(enterprise.id, Counter()).get(s, 0) for s in ("open", "submitted")),
            overdue_items=per_enterprise.get(enterprise.id, Counter()).get("overdue", 0),
        )
        for enterprise in session.scalars(risky)
    )
    return CampaignStatistics(
        campaign_id=campaign_id,
        campaign_name=campaign.name if campaign else "劳动用工法治体检",
        district=campaign.district if campaign else "",
        starts_on=campaign.starts_on if campaign else None,
        ends_on=campaign.ends_on if campaign else None,
        today=today,
        enterprises_checked=len(checked),
        audits=len(audit_ids),
        findings=sum(module_counts.values()),
        by_module=by_module,
        by_severity=tuple(known + other),
        items=ItemProgress(
            open=states["open"], submitted=states["submitted"], verified=states["verified"], overdue=states["overdue"]
        ),
        high_risk=high_risk,
    )


__all__ = [
    "SEVERITIES",
    "CampaignStatistics",
    "HighRiskEnterprise",
    "ItemProgress",
    "ModuleCount",
    "UnknownCampaign",
    "campaign_statistics",
]
