"""走访计划: the district's visit plans and their progress as results arrive; a coordinator sees their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from server.console import office_log
from server.console.plans import PlanRefused, assignments, cancel_assignment, plans
from server.console.web import Console, not_found, redirect
from server.models import Record
from server.policy import console_own_only


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/plans")
    def plan_list(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            own = console_own_only(page.viewer)
            context = {
                "plans": plans(page.session, district_id=district_id, assignee_id=own),
                "mine": assignments(page.session, district_id=district_id, assignee_id=own) if own else [],
            }
            return page.render("plans.html", context)

    @routes.get("/plans/{plan_id}")
    def plan_detail(request: Request, district_id: int, plan_id: str) -> Response:
        with console.page(request, district_id) as page:
            record = page.session.scalars(
                select(Record).where(Record.entity == "visit_plan", Record.entity_id == plan_id[:64])
            ).one_or_none()
            if record is None or record.deleted or record.district_id != district_id:
                raise not_found()
            own = console_own_only(page.viewer)
            rows = assignments(page.session, district_id=district_id, plan_id=plan_id, assignee_id=own)
            if own is not None and not rows:
                raise not_found()
            active = [row for row in rows if row.status == "assigned"]
            return page.render(
                "plan.html",
                {
                    "plan": record.data or {},
                    "plan_id": plan_id,
                    "rows": rows,
                    "done": sum(1 for row in active if row.done),
                    "active": len(active),
                    "error": "",
                },
            )

    @routes.post("/plans/{plan_id}/cancel")
    def cancel(
        request: Request,
        district_id: int,
        plan_id: str,
        assignment: Annotated[str, Form(max_length=64)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        with console.page(request, district_id) as page:
            console.check_csrf(page, csrf_token)
            page.require_act()
            try:
                with page.session.begin_nested():
                    cancel_assignment(page.session, page.viewer, district_id=district_id, assignment_id=assignment)
                    office_log.record(
                        page.session, page.viewer, "plan_cancel", district_id=district_id, target=assignment
                    )
            except PlanRefused:
                raise not_found() from None
            return redirect(page.url(f"plans/{plan_id}"))

    return routes
