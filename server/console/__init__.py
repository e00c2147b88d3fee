"""The district office console: the campaign run from the office, in a browser (``/console/``).

Server-rendered pages (Jinja2, autoescaped) with htmx for partial updates and Apache ECharts for charts, both
served from ``static/vendor`` with their licences (offices sit on intranets: no CDN). The pages read the console's
read model (:mod:`server.console.projection`) and write through the same record store and feed the sync uses, so
what the office publishes reaches laptops at their next sync. Scope is decided in :mod:`server.policy`; every
action is written to the append-only office log (:mod:`server.console.office_log`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.config import ServerSettings
from server.console.markers import T
from server.console.pages import (
    admin,
    auth,
    city,
    conflicts,
    dashboard,
    enterprise,
    followup,
    ledger,
    plans,
    reports,
    risk,
)
from server.console.web import (
    SECURITY_HEADERS,
    STATIC,
    Console,
    CsrfRefused,
    NotSignedIn,
    PageError,
    redirect,
    request_language,
    translate,
)
from server.db import ServerDatabase

PREFIX = "/console"
PAGES = (auth, dashboard, risk, plans, ledger, enterprise, followup, conflicts, reports, admin, city)
"""Every module of console routes, in the order they are mounted (the scope tests walk the same tuple)."""


def console_routes(console: Console) -> list[APIRoute]:
    """Every route of the console, as mounted."""
    return [route for module in PAGES for route in module.router(console).routes if isinstance(route, APIRoute)]


class ConsoleHeaders:
    """Security headers (and caching) on every response under ``/console/``. A plain ASGI middleware: the API's
    requests pass straight through untouched (Starlette's ``BaseHTTPMiddleware`` would wrap their ``receive``
    and turn the edge's streamed 413 into FastAPI's 400)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        static = path.startswith(f"{PREFIX}/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if static:
                    headers["Cache-Control"] = "public, max-age=3600"
                else:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


def install_console(app: FastAPI, db: ServerDatabase, settings: ServerSettings) -> Console:
    console = Console(db, settings)
    app.state.console = console
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
    for module in PAGES:
        app.include_router(module.router(console))

    @app.exception_handler(PageError)
    async def _page_error(request: Request, error: PageError) -> Response:
        language = request_language(request)
        return (
            console.render(
                request, "error.html", None, None, {"status": error.status, "message": error.message}, error.status
            )
            if language
            else Response(status_code=error.status)
        )

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, _error: NotSignedIn) -> Response:
        target = "/console/login"
        if request.method == "GET":
            target += "?next=" + request.url.path
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": target})
        return redirect(target)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _error: CsrfRefused) -> Response:
        message = translate(request_language(request), T("表单已过期或来源不明，请刷新页面后重试"))
        return console.render(request, "error.html", None, None, {"status": 403, "message": message}, 403)

    app.add_middleware(ConsoleHeaders)
    return console
