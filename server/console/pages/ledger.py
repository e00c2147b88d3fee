"""台账: the district ledger with filters, server-side sort and paging, and streamed xlsx/csv export."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from core.ledger import csv_chunks
from core.ledger_xlsx import write_xlsx
from server.console import lookups, office_log
from server.console.checklist_titles import module_titles
from server.console.ledger_view import (
    SORT_KEYS,
    STATE_FILTERS,
    LedgerFilter,
    SortKey,
    ledger_page,
    ledger_stream,
)
from server.console.web import Console, Page
from server.policy import console_own_only

SEVERITIES = ("高", "中", "低")


def read_filter(page: Page, query: dict[str, str]) -> tuple[LedgerFilter, SortKey, bool, int]:
    """The ledger's filters from the query string; unknown values are dropped, never trusted."""
    assert page.district is not None
    campaigns = {option.value for option in lookups.campaigns(page.session, page.district.id)}
    coordinator = lookups.parse_int(query.get("coordinator"))
    if coordinator is not None and coordinator not in lookups.coordinator_ids(page.session, page.district.id):
        coordinator = None
    state = query.get("state")
    sort = query.get("sort") or "deadline"
    chosen = LedgerFilter(
        campaign=query.get("campaign") if query.get("campaign") in campaigns else None,
        coordinator=coordinator,
        module=(query.get("module") or None),
        severity=query.get("severity") if query.get("severity") in SEVERITIES else None,
        state=state if state in STATE_FILTERS else None,  # type: ignore[arg-type]
        enterprise=(query.get("enterprise") or None),
        name=(query.get("name") or "").strip()[:50] or None,
    )
    return (
        chosen,
        sort if sort in SORT_KEYS else "deadline",  # type: ignore[return-value]
        query.get("dir") == "desc",
        lookups.parse_int(query.get("page")) or 1,
    )


def filter_query(chosen: LedgerFilter, sort: str, descending: bool) -> dict[str, Any]:
    return {
        "campaign": chosen.campaign,
        "coordinator": chosen.coordinator,
        "module": chosen.module,
        "severity": chosen.severity,
        "state": chosen.state,
        "enterprise": chosen.enterprise,
        "name": chosen.name,
        "sort": sort,
        "dir": "desc" if descending else None,
    }


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}", include_in_schema=False)

    @routes.get("/ledger")
    def ledger(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            chosen, sort, descending, number = read_filter(page, dict(request.query_params))
            result = ledger_page(
                page.session,
                district_id=district_id,
                chosen=chosen,
                today=page.today,
                own=console_own_only(page.viewer),
                sort=sort,
                descending=descending,
                page=number,
            )
            context = {
                "result": result,
                "chosen": chosen,
                "sort": sort,
                "descending": descending,
                "query": filter_query(chosen, sort, descending),
                "campaigns": lookups.campaigns(page.session, district_id),
                "coordinators": lookups.coordinators(page.session, district_id),
                "modules": sorted(module_titles(page.session).items(), key=lambda pair: pair[1]),
                "severities": SEVERITIES,
                "states": STATE_FILTERS,
                "sort_keys": SORT_KEYS,
                "page_url": page.url,
            }
            template = "ledger_table.html" if request.headers.get("HX-Target") == "ledger-table" else "ledger.html"
            return page.render(template, context)

    @routes.get("/ledger.csv")
    def ledger_csv(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            chosen, sort, descending, _ = read_filter(page, dict(request.query_params))
            office_log.record(page.session, page.viewer, "ledger_export", district_id=district_id, target="csv")
            own, today = console_own_only(page.viewer), page.today

        def chunks() -> Iterator[bytes]:
            with (
                console.db.session() as session,
                closing(
                    ledger_stream(
                        session,
                        district_id=district_id,
                        chosen=chosen,
                        today=today,
                        own=own,
                        sort=sort,
                        descending=descending,
                    )
                ) as rows,
            ):
                for text, _done in csv_chunks(rows):
                    yield text.encode("utf-8")

        return StreamingResponse(
            chunks(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="ledger-{today.isoformat()}.csv"'},
        )

    @routes.get("/ledger.xlsx")
    def ledger_xlsx(request: Request, district_id: int) -> Response:
        descriptor, temp = tempfile.mkstemp(prefix="laborcheck-ledger-", suffix=".xlsx")
        os.close(descriptor)
        target = Path(temp)
        try:
            with console.page(request, district_id) as page:
                chosen, sort, descending, _ = read_filter(page, dict(request.query_params))
                with closing(
                    ledger_stream(
                        page.session,
                        district_id=district_id,
                        chosen=chosen,
                        today=page.today,
                        own=console_own_only(page.viewer),
                        sort=sort,
                        descending=descending,
                    )
                ) as rows:  # closed (its reading thread stopped) before the page's session ends, even on an error
                    written = write_xlsx(rows, target)
                office_log.record(
                    page.session,
                    page.viewer,
                    "ledger_export",
                    district_id=district_id,
                    target="xlsx",
                    detail={"rows": written},
                )
                today = page.today
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return FileResponse(
            target,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"ledger-{today.isoformat()}.xlsx",
            background=BackgroundTask(target.unlink, missing_ok=True),
        )

    return routes
