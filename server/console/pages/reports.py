"""报告: the district's written report to the city as PDF, for a campaign or a date range."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.fonts import FontNotFound, load_notice_fonts
from server.console import lookups, office_log
from server.console.figures import dashboard_figures
from server.console.markers import T
from server.console.report_pdf import ReportScope, render_district_report
from server.console.web import Console, Page, PageError
from server.models import Record

DEFAULT_SCOPE = "劳动用工法治体检"


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


def indicator_counts(session: Session, district_id: int) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for kind, number in session.execute(
        select(Record.data["kind"].as_string(), func.count())
        .where(Record.entity == "risk_indicator", Record.district_id == district_id, Record.deleted.is_(False))
        .group_by(Record.data["kind"].as_string())
    ):
        counts[str(kind)] += int(number)
    return sorted(counts.items())


def read_scope(page: Page, query: dict[str, str]) -> tuple[ReportScope, str | None]:
    assert page.district is not None
    options = {option.value: option.label for option in lookups.campaigns(page.session, page.district.id)}
    campaign = query.get("campaign") if query.get("campaign") in options else None
    since, until = _date(query.get("since")), _date(query.get("until"))
    if since and until and since > until:
        since, until = until, since
    name = options[campaign] if campaign else DEFAULT_SCOPE
    return ReportScope(name=name, campaign_name=options.get(campaign or ""), since=since, until=until), campaign


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/reports")
    def reports(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            if page.viewer.role == "coordinator":
                raise PageError(403, T("您的账号无权进行此操作"))
            scope, campaign = read_scope(page, dict(request.query_params))
            figures = dashboard_figures(
                page.session,
                district_id=district_id,
                today=page.today,
                campaign=campaign,
                since=scope.since,
                until=scope.until,
            )
            return page.render(
                "reports.html",
                {
                    "figures": figures,
                    "scope": scope,
                    "campaign": campaign or "",
                    "campaigns": lookups.campaigns(page.session, district_id),
                    "issuing_body": f"{page.district.name if page.district else ''}协调劳动关系三方办公室",
                    "query": dict(request.query_params),
                },
            )

    @routes.get("/reports/district.pdf")
    def district_pdf(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            if page.viewer.role == "coordinator" or page.district is None:
                raise PageError(403, T("您的账号无权进行此操作"))
            scope, campaign = read_scope(page, dict(request.query_params))
            figures = dashboard_figures(
                page.session,
                district_id=district_id,
                today=page.today,
                campaign=campaign,
                since=scope.since,
                until=scope.until,
            )
            issuing_body = (request.query_params.get("issuing_body") or "").strip()[:60] or (
                f"{page.district.name}协调劳动关系三方办公室"
            )
            try:
                fonts = load_notice_fonts()
            except FontNotFound:
                raise PageError(503, T("服务器上没有可用的中文字体，无法生成报告")) from None
            pdf = render_district_report(
                figures,
                district=page.district.name,
                scope=scope,
                indicators=indicator_counts(page.session, district_id),
                fonts=fonts,
                issuing_body=issuing_body,
                issued_on=page.today,
            )
            office_log.record(
                page.session,
                page.viewer,
                "report_download",
                district_id=district_id,
                target=scope.name[:100],
                detail={"campaign": campaign, "since": str(scope.since or ""), "until": str(scope.until or "")},
            )
            name = f"district-report-{page.today.isoformat()}.pdf"
            return Response(
                pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
            )

    return routes
