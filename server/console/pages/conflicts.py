"""冲突: the conflict log; proposed registry changes accepted or rejected with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from server.console import office_log
from server.console.conflict_review import ReviewRefused, conflicts, review
from server.console.enterprise_view import FIELD_NAMES
from server.console.web import Console, Page, redirect
from server.errors import Refusal


def _render(page: Page, waiting: bool, error: str = "", status: int = 200) -> Response:
    assert page.district is not None
    return page.render(
        "conflicts.html",
        {
            "rows": conflicts(page.session, page.district.id, waiting_only=waiting),
            "waiting": waiting,
            "field_names": FIELD_NAMES,
            "error": error,
        },
        status=status,
    )


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/conflicts")
    def conflict_log(request: Request, district_id: int, show: str = "waiting") -> Response:
        with console.page(request, district_id) as page:
            page.require_act()
            return _render(page, show != "all")

    @routes.post("/conflicts/{conflict_id}/review")
    def decide(
        request: Request,
        district_id: int,
        conflict_id: int,
        decision: Annotated[str, Form(max_length=10)] = "",
        reason: Annotated[str, Form(max_length=500)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        with console.page(request, district_id) as page:
            console.check_csrf(page, csrf_token)
            district = page.require_act()
            try:
                with page.session.begin_nested():
                    entry = review(
                        page.session, page.viewer, district, conflict_id, accept=decision == "accept", reason=reason
                    )
                    office_log.record(
                        page.session,
                        page.viewer,
                        "conflict_accept" if decision == "accept" else "conflict_reject",
                        district_id=district_id,
                        target=f"{entry.entity}:{entry.entity_id}",
                        detail={"conflict": conflict_id, "field": entry.field},
                    )
            except (ReviewRefused, Refusal) as refused:
                message = refused.message if isinstance(refused, Refusal) else str(refused)
                return _render(page, True, message, status=400)
            return redirect(page.url("conflicts"))

    return routes
