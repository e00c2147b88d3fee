"""The console's page machinery: templates, translation, security headers, and the unit of work of a page.

Pages are Jinja2 templates with autoescaping on for every file, so a hostile enterprise name is text wherever it
is shown. Nothing inline runs: scripts are the server's own static files (htmx, ECharts, ``console.js``), chart
data travels as JSON in ``<script type="application/json">`` blocks (not executed; ``tojson`` escapes ``<``), and
the Content-Security-Policy says so to the browser. Strings are Chinese in the templates and code; ``_()``
translates them to English from ``locale/en.json`` when the viewer chose English.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from core.clock import china_today
from core.risk import INDICATOR_LABELS, ReasonWords, RiskFactor
from server.config import ServerSettings
from server.console import projection
from server.console.markers import T
from server.console.office_log import ACTION_LABELS
from server.console.sessions import LANGUAGE_COOKIE, LANGUAGES, SESSION_COOKIE, Viewer, resolve, tokens_match
from server.db import ServerDatabase
from server.models import District
from server.policy import console_can_act, console_can_administer, console_can_view

HERE: Final = Path(__file__).resolve().parent
TEMPLATES: Final = HERE / "templates"
STATIC: Final = HERE / "static"
LOCALE: Final = HERE / "locale"

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@cache
def english() -> dict[str, str]:
    loaded: dict[str, str] = json.loads((LOCALE / "en.json").read_text(encoding="utf-8"))
    return loaded


def translate(language: str, text: str) -> str:
    if language != "en":
        return text
    return english().get(text, text)


class PageError(Exception):
    """A page answered with an error page (404 for anything outside the viewer's scope)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class NotSignedIn(Exception):
    """No valid session: pages redirect to the sign-in form, htmx requests get 401 and a redirect header."""


class CsrfRefused(Exception):
    """A form post without the session's CSRF token (or from another origin)."""


def not_found() -> PageError:
    return PageError(404, T("页面不存在，或您无权查看"))


def forbidden() -> PageError:
    return PageError(403, T("您的账号无权进行此操作"))


def _format_date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "—"


def _format_moment(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    return (value.astimezone(dt.UTC) + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


ROLE_NAMES: Final = {"coordinator": "协调员", "office": "区办", "admin": "管理员", "city": "市级"}
STATE_NAMES: Final = {
    "open": "整改中",
    "submitted": "已提交待复查",
    "verified": "已复查销号",
    "overdue": "已逾期",
    "due_soon": "7 日内到期",
}
SORT_NAMES: Final = {
    "deadline": "整改时限",
    "visit_date": "体检日期",
    "enterprise": "单位名称",
    "coordinator": "体检人员",
    "severity": "严重程度",
    "status": "整改情况",
    "module": "检查项目",
}
ENGLISH_REASONS: Final = ReasonWords(
    overdue_high="{n} serious problem(s) overdue",
    open_high="{n} serious problem(s) not yet rectified",
    overdue="{n} rectification item(s) overdue",
    open_medium="{n} ordinary problem(s) not yet rectified",
    signal="risk signal on the latest visit: {signal}",
    on_record="{indicator} on record",
    credit_grade="{indicator} {grade}",
    source=" (source: {source})",
    indicators={
        "wage_complaint": "wage-arrears complaint",
        "tax_arrears": "tax arrears",
        "social_insurance_arrears": "social-insurance arrears",
        "loan_default": "loan default",
        "logistics_anomaly": "logistics anomaly",
        "credit_grade": "labour-compliance credit grade",
    },
)


def factor_text(factor: Mapping[str, Any], language: str) -> str:
    """A risk reason (:class:`core.risk.RiskFactor` as stored) in the viewer's language."""
    reason = RiskFactor.from_json(factor)
    return reason.render(ENGLISH_REASONS) if language == "en" else reason.text


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = _format_date
    env.filters["moment"] = _format_moment
    env.filters["percent"] = _percent
    env.globals["role_names"] = ROLE_NAMES
    env.globals["state_names"] = STATE_NAMES
    env.globals["sort_names"] = SORT_NAMES
    env.globals["indicator_labels"] = INDICATOR_LABELS
    env.globals["action_labels"] = ACTION_LABELS
    env.globals["notice_states"] = {"draft": "草稿", "signed": "已签署", "voided": "已作废"}
    env.globals["item_states"] = {"open": "未整改", "submitted": "已提交整改材料", "verified": "已复查销号"}
    env.globals["assignment_states"] = {"cancelled": "已取消", "replaced": "已改派", "assigned": "待体检"}
    env.globals["factor_text"] = factor_text
    return env


@dataclass
class Page:
    """One console request's unit of work: the transaction, the viewer and (on district pages) the district."""

    request: Request
    session: Session
    viewer: Viewer
    district: District | None
    today: dt.date
    console: Console

    @property
    def can_act(self) -> bool:
        return self.district is not None and console_can_act(self.viewer, self.district)

    @property
    def can_administer(self) -> bool:
        return self.district is not None and console_can_administer(self.viewer, self.district)

    def require_act(self) -> District:
        if self.district is None or not self.can_act:
            raise forbidden()
        return self.district

    def require_administer(self) -> District:
        if self.district is None or not self.can_administer:
            raise forbidden()
        return self.district

    def _(self, text: str) -> str:
        return translate(self.viewer.language, text)

    def render(self, template: str, context: Mapping[str, Any] | None = None, status: int = 200) -> HTMLResponse:
        return self.console.render(self.request, template, self.viewer, self.district, context or {}, status)

    def url(self, path: str, **query: Any) -> str:
        base = f"/console/d/{self.district.id}/{path}" if self.district is not None else f"/console/{path}"
        kept = {name: value for name, value in query.items() if value not in (None, "")}
        return base + ("?" + urlencode(kept) if kept else "")


class Console:
    """What every console route needs: the database, the settings and the template environment."""

    def __init__(self, db: ServerDatabase, settings: ServerSettings) -> None:
        self.db = db
        self.settings = settings
        self.env = build_environment()

    # --- rendering ---------------------------------------------------------------------------------------------

    def render(
        self,
        request: Request,
        template: str,
        viewer: Viewer | None,
        district: District | None,
        context: Mapping[str, Any],
        status: int = 200,
    ) -> HTMLResponse:
        language = viewer.language if viewer is not None else request_language(request)

        def _(text: str) -> str:
            return translate(language, text)

        html = self.env.get_template(template).render(
            {
                "_": _,
                "lang": language,
                "viewer": viewer,
                "district": district,
                "can_act": viewer is not None and district is not None and console_can_act(viewer, district),
                "can_administer": viewer is not None
                and district is not None
                and console_can_administer(viewer, district),
                "path": request.url.path,
                **context,
            }
        )
        return HTMLResponse(html, status_code=status)

    # --- units of work -----------------------------------------------------------------------------------------

    def today(self) -> dt.date:
        return china_today()

    @contextmanager
    def page(self, request: Request, district_id: int | None = None, *, read_model: bool = False) -> Iterator[Page]:
        """Resolve the viewer and the district (404 outside the viewer's scope); on district pages (and where
        ``read_model`` is asked) the read model catches up first, in the page's transaction."""
        today = self.today()
        with self.db.session() as session:
            viewer = resolve(session, self.settings, request.cookies.get(SESSION_COOKIE))
            if viewer is None:
                session.commit()
                raise NotSignedIn
            district = None
            if district_id is not None:
                district = session.get(District, district_id)
                if district is None or not console_can_view(viewer, district):
                    raise not_found()
            if district is not None or read_model:
                projection.catch_up_in(session, today)
            yield Page(request, session, viewer, district, today, self)

    def check_csrf(self, page: Page, form_token: str | None) -> None:
        """Every state-changing request carries the session's token (form field or ``X-CSRF-Token`` header) and,
        when the browser says where it comes from, comes from this server."""
        token = form_token or page.request.headers.get("X-CSRF-Token")
        if not tokens_match(token, page.viewer.csrf_token):
            raise CsrfRefused
        origin = page.request.headers.get("origin")
        if origin and origin != f"{page.request.url.scheme}://{page.request.url.netloc}":
            raise CsrfRefused

    def secure(self, request: Request) -> bool:
        if self.settings.secure_cookies is not None:
            return self.settings.secure_cookies
        return request.url.scheme == "https"


def request_language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE) or "zh"
    return chosen if chosen in LANGUAGES else "zh"


def redirect(url: str) -> Response:
    """After a form post: see the result page (303), or tell htmx to go there."""
    return RedirectResponse(url, status_code=303)


def hx_redirect(request: Request, url: str) -> Response:
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": url})
    return redirect(url)
