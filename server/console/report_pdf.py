"""The district's written report (书面材料) to the city, and the city's report over its districts, as PDF.

The district report is the campaign summary itself (:func:`core.summary_report.render_summary`, the document the
laptop prints) over the district's rows: visits, items and registry read from the console's read model and
counted by :func:`core.statistics.compute_statistics`, the one definition of every figure. The city report sets
its districts side by side with the same writer and the same figures, one row per district.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, Final

from reportlab.platypus import Flowable, Spacer
from sqlalchemy import ColumnElement, and_, literal, select
from sqlalchemy.orm import Session, aliased

from core.fonts import NoticeFonts
from core.official_page import LEADING, TITLE_SIZE, chinese_date
from core.risk import RiskFactor
from core.statistics import CampaignStatistics, EnterpriseRow, ItemRow, Scope, VisitRow, compute_statistics, percent
from core.summary_report import ReportWriter
from core.typesetting import TextBlock
from server.console.checklist_titles import item_titles, module_titles
from server.console.models import AuditSummary, EnterpriseRisk, LedgerEntry
from server.models import Record

STREAM: Final = 2000


def district_statistics(
    session: Session,
    *,
    district_id: int,
    district: str,
    today: dt.date,
    scope_name: str,
    campaign: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> CampaignStatistics:
    """The district's figures for ``today`` by :func:`core.statistics.compute_statistics` over its rows."""
    audit_where: list[ColumnElement[bool]] = [
        AuditSummary.district_id == district_id,
        AuditSummary.finished.is_(True),
    ]
    if campaign:
        audit_where.append(AuditSummary.campaign_id == campaign)
    if since:
        audit_where.append(AuditSummary.visit_date >= since)
    if until:
        audit_where.append(AuditSummary.visit_date <= until)
    visits = [
        VisitRow(audit_id=audit_id, enterprise_id=enterprise_id)
        for audit_id, enterprise_id in session.execute(
            select(AuditSummary.audit_id, AuditSummary.enterprise_id).where(*audit_where)
        )
    ]
    return compute_statistics(
        visits,
        _items(session, district_id, campaign, since, until),
        _registry(session, district_id),
        today=today,
        scope=Scope(name=scope_name, campaign_id=campaign, district=district, starts_on=since, ends_on=until),
    )


def _items(
    session: Session, district_id: int, campaign: str | None, since: dt.date | None, until: dt.date | None
) -> Iterator[ItemRow]:
    modules = module_titles(session)
    titles = item_titles(session)
    finding = aliased(Record, name="finding")
    where: list[ColumnElement[bool]] = [
        LedgerEntry.district_id == district_id,
        LedgerEntry.live.is_(True),
        LedgerEntry.item_id.is_not(None),
    ]
    if campaign:
        where.append(LedgerEntry.campaign_id == campaign)
    if since:
        where.append(LedgerEntry.visit_date >= since)
    if until:
        where.append(LedgerEntry.visit_date <= until)
    query = (
        select(
            LedgerEntry.item_id,
            LedgerEntry.audit_id,
            LedgerEntry.enterprise_id,
            LedgerEntry.module,
            LedgerEntry.severity,
            LedgerEntry.status,
            LedgerEntry.deadline,
            finding.data["item_id"].as_string(),
        )
        .join(finding, and_(finding.entity == literal("finding"), finding.entity_id == LedgerEntry.finding_id))
        .where(*where)
        .execution_options(yield_per=STREAM)
    )
    for item_id, audit_id, enterprise_id, module, severity, status, deadline, code in session.execute(query):
        module = module or ""
        code = code or ""
        yield ItemRow(
            item_id=item_id or "",
            audit_id=audit_id or "",
            enterprise_id=enterprise_id or "",
            module=module,
            module_title=modules.get(module, module),
            item=code,
            item_title=titles.get((module, code), code),
            severity=severity or "",
            status=status or "open",
            deadline=deadline or dt.date.min,
        )


def reasons_text(factors: Any) -> str:
    return (
        "；".join(RiskFactor.from_json(factor).text for factor in (factors or []) if isinstance(factor, dict))
        or "未发现风险因素"
    )


def _registry(session: Session, district_id: int) -> Iterator[EnterpriseRow]:
    query = (
        select(
            EnterpriseRisk.enterprise_id,
            EnterpriseRisk.name,
            EnterpriseRisk.uscc,
            EnterpriseRisk.grade,
            EnterpriseRisk.factors,
        )
        .where(EnterpriseRisk.district_id == district_id)
        .execution_options(yield_per=STREAM)
    )
    for enterprise_id, name, uscc, grade, factors in session.execute(query):
        yield EnterpriseRow(enterprise_id, name, uscc, grade, reasons_text(factors) if grade == "高" else "")


def render_city_report(
    districts: Sequence[tuple[str, CampaignStatistics]],
    *,
    city: str,
    fonts: NoticeFonts,
    issuing_body: str,
    issued_on: dt.date,
) -> bytes:
    """The city's report: its districts side by side, with city totals (each district's own figures)."""
    writer = ReportWriter(fonts)
    title = f"关于{city}劳动用工法治体检工作情况的报告"
    registry = sum(s.registry_enterprises for _, s in districts)
    checked = sum(s.enterprises_checked for _, s in districts)
    audits = sum(s.audits for _, s in districts)
    findings = sum(s.findings for _, s in districts)
    total = sum(s.items.total for _, s in districts)
    verified = sum(s.items.verified for _, s in districts)
    overdue = sum(s.items.overdue for _, s in districts)
    high = sum(s.high_risk_registry for _, s in districts)
    today = max((s.today for _, s in districts), default=issued_on)
    story: list[Flowable] = [
        TextBlock([(title, fonts.title)], size=TITLE_SIZE, leading=TITLE_SIZE * 1.5, align="center", stroke=0.5),
        Spacer(1, 0.5 * LEADING),
        writer.body(
            f"截至{chinese_date(today)}，全市{len(districts)}个区县企业名录在册{registry}家企业，共对{checked}家企业"
            f"开展劳动用工法治体检{audits}次，发现问题{findings}个，均已形成整改事项；已复查销号{verified}项，整改"
            f"销号率{percent(verified, total)}；超过整改期限仍未销号{overdue}项；企业名录中风险等级为高的共{high}家。"
            "各区县情况如下："
        ),
    ]
    story += writer.table(
        "表1　各区县工作情况",
        ["区县", "名录企业", "体检企业", "体检次数", "发现问题", "已销号", "销号率", "逾期未销号", "高风险企业"],
        [
            [
                name,
                s.registry_enterprises,
                s.enterprises_checked,
                s.audits,
                s.findings,
                s.items.verified,
                percent(s.items.verified, s.items.total),
                s.items.overdue,
                s.high_risk_registry,
            ]
            for name, s in districts
        ]
        + [["合计", registry, checked, audits, findings, verified, percent(verified, total), overdue, high]],
        [2.0, 1.3, 1.3, 1.3, 1.3, 1.6, 1.5, 1.6, 1.6],
    )
    return writer.finish(
        story,
        title=title,
        issuing_body=issuing_body,
        issued_on=issued_on,
        subject=f"{city}劳动用工法治体检工作情况统计",
    )
