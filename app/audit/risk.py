"""Enterprise risk grade (风险等级 低/中/高) on the laptop: the facts from the local database, the rule from
:mod:`core.risk` (the one definition the district office's console ranks by).

The laptop passes its open items (not verified, finding not removed), the departmental indicators it pulled, and
the risk signals recorded on the enterprise's latest finished visit; the policy itself is documented in core.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.template_store import load_templates
from app.models import (
    Answer,
    AnswerStatus,
    Audit,
    AuditModule,
    AuditStatus,
    Enterprise,
    Finding,
    ItemStatus,
    RectificationItem,
    RiskIndicator,
)
from core.risk import HIGH, INDICATOR_LABELS, LOW, MEDIUM, Indicator, OpenItem, RiskFactor, RiskGrade, grade

__all__ = [
    "HIGH",
    "INDICATOR_LABELS",
    "LOW",
    "MEDIUM",
    "RiskFactor",
    "RiskGrade",
    "grade_enterprise",
    "refresh_grade",
]


def grade_enterprise(session: Session, enterprise_id: str, today: dt.date) -> RiskGrade:
    """Compute the grade from the enterprise's open items, overdue items, indicators and latest risk signals."""
    items = session.execute(
        select(RectificationItem.deadline, Finding.severity)
        .join(Finding, Finding.id == RectificationItem.finding_id)
        .where(
            RectificationItem.enterprise_id == enterprise_id,
            RectificationItem.status != ItemStatus.VERIFIED,
            Finding.removed_at.is_(None),
        )
    ).all()
    indicators = session.scalars(select(RiskIndicator).where(RiskIndicator.enterprise_id == enterprise_id))
    return grade(
        (OpenItem(severity=severity, deadline=deadline) for deadline, severity in items),
        (Indicator(kind=row.kind, value=row.value, source=row.source) for row in indicators),
        _latest_signals(session, enterprise_id),
        today,
    )


def _latest_signals(session: Session, enterprise_id: str) -> list[tuple[str, str]]:
    """The risk signals recorded on the latest finished visit, as (item id, title in that visit's template)."""
    latest = session.scalars(
        select(Audit.id)
        .where(Audit.enterprise_id == enterprise_id, Audit.status == AuditStatus.FINISHED)
        .order_by(Audit.visit_date.desc(), Audit.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return []
    signals = session.scalars(
        select(Answer.item_id).where(
            Answer.audit_id == latest, Answer.kind == "signal", Answer.status == AnswerStatus.NON_COMPLIANT
        )
    ).all()
    if not signals:
        return []
    # Named by the item's title in the audit's own template version: codes (WAGE-09) are never shown to people.
    template_ids = session.scalars(select(AuditModule.template_id).where(AuditModule.audit_id == latest)).all()
    titles: dict[str, str] = {}
    for template in load_templates(session, template_ids):
        for item in template.module.items:
            titles[item.id] = getattr(item, "title", None) or item.text
    return [(item_id, titles.get(item_id, "")) for item_id in signals]


def refresh_grade(session: Session, enterprise_id: str, today: dt.date) -> RiskGrade:
    """Recompute and store the grade on the enterprise, so lists can filter on it."""
    result = grade_enterprise(session, enterprise_id, today)
    enterprise = session.get_one(Enterprise, enterprise_id)
    if enterprise.risk_grade != result.grade or enterprise.risk_reasons != result.summary:
        enterprise.risk_grade = result.grade
        enterprise.risk_reasons = result.summary
    return result
