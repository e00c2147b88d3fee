"""Enterprise risk grade (风险等级 低/中/高) with the reasons that produced it.

The grade is the health check's own early-warning level, not labour inspection's credit grade A/B/C
(人社部规〔2016〕1号); an imported credit grade is only one input. The policy, in order:

* 高 — an overdue item of severity 高; two or more open items of severity 高; a wage-arrears complaint on record;
  an imported credit grade C.
* 中 — any open item of severity 高; any overdue item; three or more open items of severity 中; tax or
  social-insurance arrears, or loan default, reported by another department; an imported credit grade B; a risk
  signal (e.g. WAGE-09 欠薪风险预警) recorded on the latest visit.
* 低 — none of the above.

"Open" means not yet verified (submitted counts as open: the enterprise's word is not a verification), and a
finding removed with a reason does not count. Every reason is listed so the grade can be explained to the office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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

HIGH, MEDIUM, LOW = "高", "中", "低"

INDICATOR_LABELS = {
    "wage_complaint": "欠薪投诉",
    "tax_arrears": "欠缴税费",
    "social_insurance_arrears": "欠缴社会保险费",
    "loan_default": "贷款逾期",
    "credit_grade": "劳动保障守法诚信等级",
}
MEDIUM_INDICATORS = frozenset({"tax_arrears", "social_insurance_arrears", "loan_default"})


@dataclass(frozen=True)
class RiskFactor:
    """One reason behind a grade, as data: the screens word it in their language, :attr:`text` in Chinese.

    ``kind``: ``overdue_high``, ``open_high``, ``overdue``, ``open_medium`` (with ``count``), ``signal`` (``label``
    is the signal item's text), or an indicator: ``wage_complaint``, ``credit_grade`` (``value`` B/C),
    ``indicator`` (``label`` is the indicator kind), each with the ``source`` department.
    """

    kind: str
    count: int = 0
    label: str = ""
    value: str = ""
    source: str = ""

    @property
    def text(self) -> str:
        source = f"（来源：{self.source}）" if self.source else ""
        if self.kind == "overdue_high":
            return f"{self.count} 项严重问题逾期未整改"
        if self.kind == "open_high":
            return f"{self.count} 项严重问题未整改"
        if self.kind == "overdue":
            return f"{self.count} 项整改已逾期"
        if self.kind == "open_medium":
            return f"{self.count} 项一般问题未整改"
        if self.kind == "signal":
            return f"最近一次体检记录了风险信号：{self.label}"
        label = INDICATOR_LABELS.get(self.label, self.label)
        if self.kind == "wage_complaint":
            return f"有{label}记录{source}"
        if self.kind == "credit_grade":
            return f"{label}为{self.value}级{source}"
        return f"{label}{source}"


@dataclass(frozen=True)
class RiskGrade:
    grade: str
    factors: list[RiskFactor] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [factor.text for factor in self.factors]

    @property
    def summary(self) -> str:
        return "；".join(self.reasons) if self.reasons else "未发现风险因素"


def grade_enterprise(session: Session, enterprise_id: str, today: dt.date) -> RiskGrade:
    """Compute the grade from the enterprise's open items, overdue items, indicators and latest risk signals."""
    items = session.execute(
        select(RectificationItem, Finding.severity)
        .join(Finding, Finding.id == RectificationItem.finding_id)
        .where(
            RectificationItem.enterprise_id == enterprise_id,
            RectificationItem.status != ItemStatus.VERIFIED,
            Finding.removed_at.is_(None),
        )
    ).all()
    open_high = sum(1 for _, severity in items if severity == HIGH)
    open_medium = sum(1 for _, severity in items if severity == MEDIUM)
    overdue = [(item, severity) for item, severity in items if item.is_overdue(today)]
    overdue_high = sum(1 for _, severity in overdue if severity == HIGH)

    high: list[RiskFactor] = []
    medium: list[RiskFactor] = []
    if overdue_high:
        high.append(RiskFactor("overdue_high", overdue_high))
    if open_high >= 2:
        high.append(RiskFactor("open_high", open_high))
    elif open_high == 1:
        medium.append(RiskFactor("open_high", 1))
    if overdue and len(overdue) > overdue_high:
        medium.append(RiskFactor("overdue", len(overdue) - overdue_high))
    if open_medium >= 3:
        medium.append(RiskFactor("open_medium", open_medium))

    for indicator in session.scalars(select(RiskIndicator).where(RiskIndicator.enterprise_id == enterprise_id)):
        source = indicator.source or ""
        if indicator.kind == "wage_complaint":
            high.append(RiskFactor("wage_complaint", label=indicator.kind, source=source))
        elif indicator.kind == "credit_grade" and indicator.value.upper() == "C":
            high.append(RiskFactor("credit_grade", label=indicator.kind, value="C", source=source))
        elif indicator.kind == "credit_grade" and indicator.value.upper() == "B":
            medium.append(RiskFactor("credit_grade", label=indicator.kind, value="B", source=source))
        elif indicator.kind in MEDIUM_INDICATORS:
            medium.append(RiskFactor("indicator", label=indicator.kind, source=source))

    medium.extend(_latest_signals(session, enterprise_id))
    if high:
        return RiskGrade(HIGH, high + medium)
    if medium:
        return RiskGrade(MEDIUM, medium)
    return RiskGrade(LOW, [])


def _latest_signals(session: Session, enterprise_id: str) -> list[RiskFactor]:
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
    texts = _item_texts(session, latest)
    return [RiskFactor("signal", label=texts.get(item_id, item_id)) for item_id in signals]


def _item_texts(session: Session, audit_id: str) -> dict[str, str]:
    """The item texts of the audit's pinned templates: a risk reason names the signal, not its internal code."""
    row_ids = session.scalars(select(AuditModule.template_id).where(AuditModule.audit_id == audit_id))
    return {item.id: item.text for template in load_templates(session, row_ids) for item in template.module.items}


def refresh_grade(session: Session, enterprise_id: str, today: dt.date) -> RiskGrade:
    """Recompute and store the grade on the enterprise, so lists can filter on it."""
    grade = grade_enterprise(session, enterprise_id, today)
    enterprise = session.get_one(Enterprise, enterprise_id)
    if enterprise.risk_grade != grade.grade or enterprise.risk_reasons != grade.summary:
        enterprise.risk_grade = grade.grade
        enterprise.risk_reasons = grade.summary
    return grade
