"""复查: overdue and due-soon items across coordinators; reassign a follow-up to another coordinator."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from server.console import lookups, office_log
from server.console.ledger_view import LedgerFilter, ledger_page
from server.console.plans import PlanRefused, reassign_follow_up
from server.console.web import Console, Page, redirect
from server.policy import console_own_only

PAGE = 100


def _context(page: Page, query: dict[str, str], error: str = "") -> dict[str, object]:
    assert page.district is not None
    state = query.get("state") if query.get("state") in ("overdue", "due_soon") else "overdue"
    coordinator = lookups.parse_int(query.get("coordinator"))
    if coordinator is not None and coordinator not in lookups.coordinator_ids(page.session, page.district.id):
        coordinator = None
    result = ledger_page(
        page.session,
        district_id=page.district.id,
        chosen=LedgerFilter(state=state, follow_up_by=coordinator),  # type: ignore[arg-type]
        today=page.today,
        own=console_own_only(page.viewer),
        sort="deadline",
        page=lookups.parse_int(query.get("page")) or 1,
        size=PAGE,
    )
    people = lookups.coordinators(page.session, page.district.id)
    return {
        "result": result,
        "state": state,
        "coordinator": coordinator,
        "coordinators": people,
        "names": {int(option.value): option.label for option in people},
        "default_target": (page.today + dt.timedelta(days=7)).isoformat(),
        "error": error,
        "moved": query.get("moved"),
        "page_url": page.url,
    }


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/followup")
    def queue(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            return page.render("followup.html", _context(page, dict(request.query_params)))

    @routes.post("/followup/reassign")
    def reassign(
        request: Request,
        district_id: int,
        item: Annotated[list[str] | None, Form()] = None,
        assignee: Annotated[str, Form(max_length=20)] = "",
        target_date: Annotated[str, Form(max_length=20)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        with console.page(request, district_id) as page:
            console.check_csrf(page, csrf_token)
            page.require_act()
            try:
                due = dt.date.fromisoformat(target_date.strip()) if target_date.strip() else None
            except ValueError:
                due = None
            try:
                with page.session.begin_nested():
                    moved = reassign_follow_up(
                        page.session,
                        page.viewer,
                        district_id=district_id,
                        item_ids=[value[:64] for value in (item or [])],
                        assignee_id=lookups.parse_int(assignee),
                        target_date=due,
                        today=page.today,
                    )
                    office_log.record(
                        page.session,
                        page.viewer,
                        "follow_up_reassign",
                        district_id=district_id,
                        target=assignee,
                        detail={"items": moved},
                    )
            except PlanRefused as refused:
                return page.render("followup.html", _context(page, {}, str(refused)), status=400)
            return redirect(page.url("followup", moved=moved))

    return routes
