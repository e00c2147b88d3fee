"""Sign-in, sign-out, password change and the language switch; the console's home redirects by role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from server.console import office_log
from server.console.sessions import (
    LANGUAGE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SignInRefused,
    change_password,
    new_secret,
    set_language,
    sign_in,
    sign_out,
    tokens_match,
)
from server.console.web import Console, CsrfRefused, NotSignedIn, Page, redirect, request_language
from server.policy import CITY_ROLE

YEAR = 365 * 24 * 3600


def home_url(page: Page) -> str:
    viewer = page.viewer
    if viewer.role == CITY_ROLE and viewer.city_id is not None:
        return f"/console/c/{viewer.city_id}"
    return f"/console/d/{viewer.district_id}/dashboard"


def _safe_next(value: str | None) -> str | None:
    """Only a path of this console (never another site: an open redirect would make phishing easy)."""
    if value and value.startswith("/console/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix="/console", include_in_schema=False)

    @routes.get("/")
    def home(request: Request) -> Response:
        try:
            with console.page(request) as page:
                return redirect(home_url(page))
        except NotSignedIn:
            return redirect("/console/login")

    @routes.get("/login")
    def login_form(request: Request, next: str | None = None) -> Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_secret()
        response = console.render(
            request, "login.html", None, None, {"csrf_token": token, "next": _safe_next(next) or "", "error": ""}
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=console.secure(request),
            path="/console",
        )
        return response

    @routes.post("/login")
    def login(
        request: Request,
        username: Annotated[str, Form(max_length=80)] = "",
        password: Annotated[str, Form(max_length=200)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
        next: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
        if not expected or not tokens_match(csrf_token, expected):
            raise CsrfRefused
        language = request_language(request)
        try:
            with console.db.session() as session:
                address = request.client.host if request.client is not None else ""
                token, viewer = sign_in(session, console.settings, username.strip(), password, language, address)
                office_log.record(session, viewer, "sign_in", district_id=viewer.district_id)
        except SignInRefused as refused:
            return console.render(
                request,
                "login.html",
                None,
                None,
                {"csrf_token": expected, "next": _safe_next(next) or "", "error": str(refused)},
                status=401,
            )
        response = redirect(_safe_next(next) or "/console/")
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=console.secure(request),
            path="/console",
            max_age=int(console.settings.console_lifetime.total_seconds()),
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
        return response

    @routes.post("/logout")
    def logout(request: Request, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
        with console.page(request) as page:
            console.check_csrf(page, csrf_token)
            office_log.record(page.session, page.viewer, "sign_out", district_id=page.viewer.district_id)
            sign_out(page.session, page.viewer)
        response = redirect("/console/login")
        response.delete_cookie(SESSION_COOKIE, path="/console")
        return response

    @routes.get("/password")
    def password_form(request: Request) -> Response:
        with console.page(request) as page:
            return page.render("password.html", {"error": "", "home": home_url(page)})

    @routes.post("/password")
    def password(
        request: Request,
        current: Annotated[str, Form(max_length=200)] = "",
        new: Annotated[str, Form(max_length=200)] = "",
        repeated: Annotated[str, Form(max_length=200)] = "",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        with console.page(request) as page:
            console.check_csrf(page, csrf_token)
            try:
                with page.session.begin_nested():
                    change_password(page.session, page.viewer, current, new, repeated)
                    office_log.record(page.session, page.viewer, "password_change", district_id=page.viewer.district_id)
            except SignInRefused as refused:
                return page.render("password.html", {"error": str(refused), "home": home_url(page)}, status=400)
        response = redirect("/console/login?changed=1")
        response.delete_cookie(SESSION_COOKIE, path="/console")
        return response

    @routes.post("/lang")
    def language(
        request: Request,
        lang: Annotated[str, Form(max_length=8)] = "zh",
        csrf_token: Annotated[str, Form(max_length=100)] = "",
        back: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        with console.page(request) as page:
            console.check_csrf(page, csrf_token)
            set_language(page.session, page.viewer, lang)
            target = _safe_next(back) or home_url(page)
        response = redirect(target)
        response.set_cookie(
            LANGUAGE_COOKIE, lang if lang in ("zh", "en") else "zh", max_age=YEAR, samesite="strict", path="/console"
        )
        return response

    return routes
