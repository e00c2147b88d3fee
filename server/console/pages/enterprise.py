"""企业: an enterprise's registry facts, risk, visits, items, notices; the office's registry edit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from server.console import office_log
from server.console.enterprise_view import EDITABLE, FIELD_NAMES, EditRefused, edit_enterprise, load_enterprise
from server.console.web import Console, Page, not_found, redirect
from server.errors import Refusal


def _render(page: Page, enterprise_id: str, error: str = "", status: int = 200) -> Response:
    assert page.district is not None
    view = load_enterprise(page.session, page.viewer, page.district, enterprise_id)
    if view is None:
        raise not_found()
    return page.render(
        "enterprise.html",
        {
            "view": view,
            "data": view.record.data or {},
            "editable": EDITABLE,
            "field_names": FIELD_NAMES,
            "error": error,
        },
        status=status,
    )


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/enterprises/{enterprise_id}")
    def enterprise(request: Request, district_id: int, enterprise_id: str) -> Response:
        with console.page(request, district_id) as page:
            return _render(page, enterprise_id)

    @routes.post("/enterprises/{enterprise_id}/edit")
    def edit(
        request: Request,
        district_id: int,
        enterprise_id: str,
        name: Annotated[str, Form(max_length=200)] = "",
        uscc: Annotated[str, Form(max_length=40)] = "",
        industry: Annotated[str, Form(max_length=100)] = "",
        address: Annotated[str, Form(max_length=300)] = "",
        contact_name: Annotated[str, Form(max_length=50)] = "",
        contact_phone: Annotated[str, Form(max_length=50)] = "",
        headcount: Annotated[str, Form(max_length=10)] = "",
        headcount_last_year_end: Annotated[str, Form(max_length=10)] = "",
        base_version: Annotated[str, Form(max_length=10)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        submitted = {
            "name": name,
            "uscc": uscc,
            "industry": industry,
            "address": address,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "headcount": headcount,
            "headcount_last_year_end": headcount_last_year_end,
        }
        with console.page(request, district_id) as page:
            console.check_csrf(page, csrf_token)
            district = page.require_act()
            view = load_enterprise(page.session, page.viewer, district, enterprise_id)
            if view is None:
                raise not_found()
            try:
                with page.session.begin_nested():
                    result = edit_enterprise(
                        page.session,
                        page.viewer,
                        district,
                        view.record,
                        submitted,
                        int(base_version) if base_version.isdigit() else None,
                    )
                    office_log.record(
                        page.session,
                        page.viewer,
                        "enterprise_edit",
                        district_id=district_id,
                        target=enterprise_id,
                        detail={"version": result.server_version},
                    )
            except EditRefused as refused:
                return _render(page, enterprise_id, error=str(refused), status=400)
            except Refusal as refused:
                return _render(page, enterprise_id, error=refused.message, status=400)
            return redirect(page.url(f"enterprises/{enterprise_id}"))

    return routes
