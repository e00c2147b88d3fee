"""风险摸排: import departmental sheets, rank the district's enterprises, and make a visit plan from the ranking."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from core.risk import GRADES, INDICATOR_KINDS, INDICATOR_LABELS
from server.console import lookups, office_log, projection
from server.console.indicators import MAX_BYTES, SheetUnreadable, import_indicators, read_sheet
from server.console.plans import PlanRefused, create_plan, writer_of
from server.console.risk_view import RiskFilter, ranking
from server.console.web import Console, Page, redirect


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _ranking_context(page: Page, query: dict[str, str]) -> dict[str, object]:
    assert page.district is not None
    chosen = RiskFilter(
        grade=query.get("grade") if query.get("grade") in GRADES else None,
        search=(query.get("q") or "").strip()[:50] or None,
        unplanned=query.get("unplanned") == "1",
    )
    result = ranking(
        page.session, district_id=page.district.id, chosen=chosen, page=lookups.parse_int(query.get("page")) or 1
    )
    return {
        "result": result,
        "chosen": chosen,
        "grades": GRADES,
        "kinds": [(kind, INDICATOR_LABELS[kind]) for kind in INDICATOR_KINDS],
        "coordinators": lookups.coordinators(page.session, page.district.id),
        "campaigns": lookups.campaigns(page.session, page.district.id),
        "query": {"grade": chosen.grade, "q": chosen.search, "unplanned": "1" if chosen.unplanned else None},
        "page_url": page.url,
        "default_target": (page.today + dt.timedelta(days=30)).isoformat(),
        "report": None,
        "plan_error": "",
        "import_error": "",
    }


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/risk")
    def risk(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            page.require_act()
            context = _ranking_context(page, dict(request.query_params))
            template = "risk_table.html" if request.headers.get("HX-Target") == "risk-table" else "risk.html"
            return page.render(template, context)

    @routes.post("/risk/import")
    def import_sheet(
        request: Request,
        district_id: int,
        sheet: Annotated[UploadFile | None, File()] = None,
        kind: Annotated[str, Form(max_length=40)] = "",
        source: Annotated[str, Form(max_length=100)] = "",
        mode: Annotated[str, Form(max_length=20)] = "all",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        with console.page(request, district_id) as page:
            console.check_csrf(page, csrf_token)
            page.require_act()
            context = _ranking_context(page, {})
            data = sheet.file.read(MAX_BYTES + 1) if sheet is not None else b""
            filename = sheet.filename if sheet is not None else ""
            try:
                with page.session.begin_nested():
                    report = import_indicators(
                        page.session,
                        district_id=district_id,
                        rows=read_sheet(filename or "", data),
                        default_kind=kind,
                        source=source,
                        good_rows_only=mode == "good",
                        writer=writer_of(page.viewer),
                        today=page.today,
                    )
                    if report.applied:
                        office_log.record(
                            page.session,
                            page.viewer,
                            "indicator_import",
                            district_id=district_id,
                            target=(filename or "")[:100],
                            detail={"kind": kind, "imported": report.imported, "rejected": len(report.errors)},
                        )
            except SheetUnreadable as error:
                context["import_error"] = str(error)
                return page.render("risk.html", context, status=400)
            if report.applied:
                projection.catch_up_in(page.session, page.today)
                context = _ranking_context(page, {})
            context["report"] = report
            return page.render("risk.html", context, status=200 if report.applied else 400)

    @routes.post("/risk/plan")
    def make_plan(
        request: Request,
        district_id: int,
        enterprise: Annotated[list[str] | None, Form()] = None,
        name: Annotated[str, Form(max_length=100)] = "",
        assignee: Annotated[str, Form(max_length=20)] = "",
        target_date: Annotated[str, Form(max_length=20)] = "",
        campaign: Annotated[str, Form(max_length=64)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        with console.page(request, district_id) as page:
            console.check_csrf(page, csrf_token)
            page.require_act()
            campaigns = {option.value for option in lookups.campaigns(page.session, district_id)}
            try:
                with page.session.begin_nested():
                    plan_id = create_plan(
                        page.session,
                        page.viewer,
                        district_id=district_id,
                        name=name,
                        campaign_id=campaign if campaign in campaigns else None,
                        assignee_id=lookups.parse_int(assignee),
                        target_date=_date(target_date),
                        enterprise_ids=[value[:64] for value in (enterprise or [])],
                        today=page.today,
                    )
                    office_log.record(
                        page.session,
                        page.viewer,
                        "plan_create",
                        district_id=district_id,
                        target=plan_id,
                        detail={"enterprises": len(set(enterprise or [])), "assignee": assignee},
                    )
            except PlanRefused as refused:
                context = _ranking_context(page, {})
                context["plan_error"] = str(refused)
                return page.render("risk.html", context, status=400)
            return redirect(page.url(f"plans/{plan_id}"))

    return routes
