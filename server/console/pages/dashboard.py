"""总览: the campaign dashboard of a district."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.console import lookups
from server.console.figures import chart_data, dashboard_figures
from server.console.web import Console
from server.policy import console_own_only


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/dashboard")
    def dashboard(request: Request, district_id: int, campaign: str | None = None) -> Response:
        with console.page(request, district_id) as page:
            options = lookups.campaigns(page.session, district_id)
            chosen = campaign if any(option.value == campaign for option in options) else None
            figures = dashboard_figures(
                page.session,
                district_id=district_id,
                today=page.today,
                campaign=chosen,
                own=console_own_only(page.viewer),
            )
            return page.render(
                "dashboard.html",
                {
                    "figures": figures,
                    "charts": chart_data(figures, page._),
                    "campaigns": options,
                    "campaign": chosen or "",
                },
            )

    return routes
