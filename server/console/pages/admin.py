"""管理: users, devices, retention, campaigns, template and holiday-calendar publishing, and the office log (the
district's admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from server.console import administration, office_log
from server.console.administration import AdminRefused
from server.console.office_log import ACTION_LABELS
from server.console.web import Console, Page, redirect

TABS = (
    ("users", "用户"),
    ("devices", "设备"),
    ("campaigns", "专项行动"),
    ("publishing", "发布"),
    ("retention", "保留期限"),
    ("log", "操作日志"),
)
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


def _context(page: Page, tab: str) -> dict[str, Any]:
    district = page.require_administer()
    context: dict[str, Any] = {"tab": tab, "tabs": TABS, "error": "", "done": page.request.query_params.get("done")}
    if tab == "users":
        context["users"] = administration.users(page.session, district.id)
    elif tab == "devices":
        context["devices"] = administration.devices(page.session, district.id)
    elif tab == "campaigns":
        context["campaigns"] = administration.campaigns(page.session, district.id)
    elif tab == "publishing":
        context["templates"] = administration.templates(page.session)
        context["calendars"] = administration.calendars(page.session)
        context["problems"] = administration.template_problems(page.session, district.id)
    elif tab == "retention":
        context["retention"] = district.retention_days
    elif tab == "log":
        context["entries"] = office_log.recent(page.session, district.id)
        context["labels"] = ACTION_LABELS
    return context


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console/d/{district_id}/admin", include_in_schema=False)

    def show(request: Request, district_id: int, tab: str) -> Response:
        with console.page(request, district_id) as page:
            return page.render("admin.html", _context(page, tab))

    def act(request: Request, district_id: int, tab: str, csrf_token: str, action: str, work: Any) -> Response:
        """Run one admin action (CSRF, scope, log) and show the tab again: with the result or the error."""
        with console.page(request, district_id) as page:
            console.check_csrf(page, csrf_token)
            district = page.require_administer()
            try:
                with page.session.begin_nested():
                    target, detail = work(page, district)
                    office_log.record(
                        page.session, page.viewer, action, district_id=district_id, target=target, detail=detail
                    )
            except AdminRefused as refused:
                context = _context(page, tab)
                context["error"] = str(refused)
                return page.render("admin.html", context, status=400)
            return redirect(page.url(f"admin/{tab}", done=action))

    @routes.get("")
    def index(request: Request, district_id: int) -> Response:
        with console.page(request, district_id) as page:
            page.require_administer()
            return redirect(page.url("admin/users"))

    for tab, _label in TABS:

        def view(request: Request, district_id: int, tab: str = tab) -> Response:
            return show(request, district_id, tab)

        routes.add_api_route(f"/{tab}", view, methods=["GET"], include_in_schema=False)

    @routes.post("/users")
    def add_user(
        request: Request,
        district_id: int,
        username: Annotated[str, Form(max_length=80)] = "",
        display_name: Annotated[str, Form(max_length=100)] = "",
        role: Annotated[str, Form(max_length=20)] = "",
        password: Annotated[str, Form(max_length=200)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            user = administration.add_user(
                page.session, district, username=username, display_name=display_name, role=role, password=password
            )
            return user.username, {"role": role}

        return act(request, district_id, "users", csrf_token, "user_add", work)

    @routes.post("/users/{user_id}/disable")
    def disable(
        request: Request, district_id: int, user_id: int, csrf_token: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            user = administration.set_disabled(page.session, district, user_id, page.viewer.user_id, True)
            return user.username, {}

        return act(request, district_id, "users", csrf_token, "user_disable", work)

    @routes.post("/users/{user_id}/enable")
    def enable(
        request: Request, district_id: int, user_id: int, csrf_token: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            user = administration.set_disabled(page.session, district, user_id, page.viewer.user_id, False)
            return user.username, {}

        return act(request, district_id, "users", csrf_token, "user_enable", work)

    @routes.post("/users/{user_id}/password")
    def password(
        request: Request,
        district_id: int,
        user_id: int,
        password: Annotated[str, Form(max_length=200)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            user = administration.reset_password(page.session, district, user_id, password)
            return user.username, {}

        return act(request, district_id, "users", csrf_token, "password_reset", work)

    @routes.post("/devices/{device_id}/revoke")
    def revoke(
        request: Request, district_id: int, device_id: str, csrf_token: Annotated[str, Form(max_length=100)] = ""
    ) -> Response:
        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            device = administration.revoke(page.session, district, device_id[:64])
            return device.id, {}

        return act(request, district_id, "devices", csrf_token, "device_revoke", work)

    @routes.post("/retention")
    def retention(
        request: Request,
        district_id: int,
        days: Annotated[str, Form(max_length=10)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            updated = administration.set_retention(page.session, district, days)
            return district.name, {"days": updated.retention_days}

        return act(request, district_id, "retention", csrf_token, "retention_set", work)

    @routes.post("/campaigns")
    def campaign(
        request: Request,
        district_id: int,
        name: Annotated[str, Form(max_length=200)] = "",
        starts_on: Annotated[str, Form(max_length=20)] = "",
        ends_on: Annotated[str, Form(max_length=20)] = "",
        report_due_on: Annotated[str, Form(max_length=20)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            record = administration.add_campaign(
                page.session, district, name=name, starts_on=starts_on, ends_on=ends_on, report_due_on=report_due_on
            )
            return record.entity_id, {"name": name[:100]}

        return act(request, district_id, "campaigns", csrf_token, "campaign_add", work)

    @routes.post("/templates")
    def templates(
        request: Request,
        district_id: int,
        snapshots: Annotated[list[UploadFile] | None, File()] = None,
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        files = [(upload.filename or "", upload.file.read(MAX_TEMPLATE_BYTES + 1)) for upload in (snapshots or [])[:50]]

        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            if any(len(data) > MAX_TEMPLATE_BYTES for _, data in files):
                raise AdminRefused("模板快照文件过大")
            published = administration.publish_template_files(page.session, files)
            return "、".join(published)[:200], {"versions": published}

        return act(request, district_id, "publishing", csrf_token, "template_publish", work)

    @routes.post("/calendar")
    def calendar(
        request: Request,
        district_id: int,
        year: Annotated[str, Form(max_length=10)] = "",
        holidays: Annotated[str, Form(max_length=4000)] = "",
        workdays: Annotated[str, Form(max_length=1000)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        def work(page: Page, district: Any) -> tuple[str, dict[str, Any]]:
            record = administration.publish_calendar(
                page.session, page.viewer.display_name, year=year, holidays=holidays, workdays=workdays
            )
            content = (record.data or {})["content"]
            return str(content["year"]), {"holidays": len(content["holidays"]), "workdays": len(content["workdays"])}

        return act(request, district_id, "publishing", csrf_token, "calendar_publish", work)

    return routes
