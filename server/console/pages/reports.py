"""报告: the district's written report to the city as PDF, for a campaign or a date range."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from core.fonts import FontNotFound, load_notice_fonts
from core.statistics import CampaignStatistics
from core.summary_report import opening_text, render_summary
from server.console import lookups, office_log
from server.console.markers import T
from server.console.report_pdf import district_statistics
from server.console.web import Console, Page, PageError

DEFAULT_SCOPE = "劳动用工法治体检"


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


def statistics_for(page: Page, query: dict[str, str]) -> tuple[CampaignStatistics, str | None]:
    """The report's figures for the scope the form chose (a campaign, a date range, or everything)."""
    if page.viewer.role == "coordinator" or page.district is None:
        raise PageError(403, T("您的账号无权进行此操作"))
    options = {option.value: option.label for option in lookups.campaigns(page.session, page.district.id)}
    campaign = query.get("campaign") if query.get("campaign") in options else None
    since, until = _date(query.get("since")), _date(query.get("until"))
    if since and until and since > until:
        since, until = until, since
    name = options[campaign] if campaign else f"{page.district.name}{DEFAULT_SCOPE}"
    stats = district_statistics(
        page.session,
        district_id=page.district.id,
        district=page.district.name,
        today=page.today,
        scope_name=name,
        campaign=campaign,
        since=since,
        until=until,
    )
    return stats, campaign


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/reports")
    def reports(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            stats, campaign = statistics_for(page, dict(request.query_params))
            return page.render(
                "reports.html",
                {
                    "stats": stats,
                    "opening": opening_text(stats),
                    "campaign": campaign or "",
                    "campaigns": lookups.campaigns(page.session, district_id),
                    "issuing_body": f"{page.district.name if page.district else ''}协调劳动关系三方办公室",
                    "query": dict(request.query_params),
                },
            )

    @routes.get("/reports/district.pdf")
    def district_pdf(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            stats, campaign = statistics_for(page, dict(request.query_params))
            assert page.district is not None
            issuing_body = (request.query_params.get("issuing_body") or "").strip()[:60] or (
                f"{page.district.name}协调劳动关系三方办公室"
            )
            try:
                fonts = load_notice_fonts()
            except FontNotFound:
                raise PageError(503, T("服务器上没有可用的中文字体，无法生成报告")) from None
            pdf = render_summary(stats, fonts=fonts, issuing_body=issuing_body, issued_on=page.today)
            office_log.record(
                page.session,
                page.viewer,
                "report_download",
                district_id=district_id,
                target=stats.scope.name[:100],
                detail={
                    "campaign": campaign,
                    "since": str(stats.scope.starts_on or ""),
                    "until": str(stats.scope.ends_on or ""),
                },
            )
            name = f"district-report-{page.today.isoformat()}.pdf"
            return Response(
                pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
            )

    return routes
