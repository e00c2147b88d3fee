"""The city's view (市级): its districts side by side, and the city report."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from core.fonts import FontNotFound, load_notice_fonts
from core.statistics import CampaignStatistics
from server.console import office_log
from server.console.markers import T
from server.console.report_pdf import district_statistics, render_city_report
from server.console.web import Console, Page, PageError, not_found
from server.models import City, District
from server.policy import CITY_ROLE

SCOPE = "劳动用工法治体检"


def _districts(page: Page, city_id: int) -> tuple[City, list[tuple[District, CampaignStatistics]]]:
    if page.viewer.role != CITY_ROLE or page.viewer.city_id != city_id:
        raise not_found()
    city = page.session.get(City, city_id)
    if city is None:
        raise not_found()
    districts = page.session.scalars(select(District).where(District.city_id == city_id).order_by(District.name)).all()
    return city, [
        (
            district,
            district_statistics(
                page.session,
                district_id=district.id,
                district=district.name,
                today=page.today,
                scope_name=f"{district.name}{SCOPE}",
            ),
        )
        for district in districts
    ]


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/c/{city_id}", include_in_schema=False)

    @routes.get("")
    def overview(request: Request, city_id: int) -> Response:
        with console.page(request, read_model=True) as page:
            city, rows = _districts(page, city_id)
            charts = {
                "districts": {
                    "labels": [district.name for district, _ in rows],
                    "series": [
                        {"name": page._("体检企业"), "values": [s.enterprises_checked for _, s in rows]},
                        {"name": page._("发现问题"), "values": [s.findings for _, s in rows]},
                        {"name": page._("已复查销号"), "values": [s.items.verified for _, s in rows]},
                        {"name": page._("已逾期"), "values": [s.items.overdue for _, s in rows]},
                    ],
                }
            }
            return page.render("city.html", {"city": city, "rows": rows, "charts": charts})

    @routes.get("/report.pdf")
    def city_pdf(request: Request, city_id: int) -> Response:
        with console.page(request, read_model=True) as page:
            city, rows = _districts(page, city_id)
            try:
                fonts = load_notice_fonts()
            except FontNotFound:
                raise PageError(503, T("服务器上没有可用的中文字体，无法生成报告")) from None
            pdf = render_city_report(
                [(district.name, stats) for district, stats in rows],
                city=city.name,
                fonts=fonts,
                issuing_body=f"{city.name}协调劳动关系三方办公室",
                issued_on=page.today,
            )
            office_log.record(page.session, page.viewer, "report_download", district_id=None, target=city.name)
            return Response(
                pdf,
                media_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="city-report-{page.today.isoformat()}.pdf"'},
            )

    return routes
