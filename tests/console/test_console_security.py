"""The console's security properties over HTTP: scope by URL tampering (a generated matrix over every console
route), CSRF on every form, session end on sign-out / expiry / password change / disabling, the security headers,
and the office log's append-only table."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from server.app import create_app
from server.config import ServerSettings
from server.console import console_routes
from server.console.models import OfficeAction
from server.console.plans import create_plan
from server.console.sessions import Viewer
from server.models import ConflictEntry, Device, Record
from tests.console.conftest import HOSTILE, PASSWORD, A, B, Seeded

CONSOLE_ROUTES = sorted(
    (route.path, method)
    for route in console_routes(create_app(ServerSettings(database_url="sqlite://")).state.console)
    for method in route.methods
)
"""Every console route (from the application itself: a new route joins the matrix or fails it)."""

PUBLIC = {("/console/login", "GET"), ("/console/login", "POST")}
SIGNED_IN_ONLY = {
    ("/console/", "GET"),
    ("/console/logout", "POST"),
    ("/console/password", "GET"),
    ("/console/password", "POST"),
    ("/console/lang", "POST"),
}
"""Routes with no district or city in them: they act on the signed-in user only."""


def _viewer(seeded: Seeded, username: str, district: str) -> Viewer:
    return Viewer(
        user_id=seeded.users[username],
        username=username,
        display_name=username,
        role="office",
        district_id=seeded.districts[district],
        district=district,
        city_id=None,
        city="",
        token_hash="",
        csrf_token="",
        language="zh",
    )


def foreign_objects(seeded: Seeded) -> dict[str, str]:
    """Path parameters naming real objects of district B (and of another city)."""
    from server.console import projection

    projection.catch_up(seeded.db, dt.date.today())
    enterprise_b = next(iter(seeded.enterprises[B].values()))
    with seeded.db.session() as session:
        plan_b = create_plan(
            session,
            _viewer(seeded, "office_b", B),
            district_id=seeded.districts[B],
            name="通川计划",
            campaign_id=None,
            assignee_id=seeded.users["zhao"],
            target_date=dt.date.today() + dt.timedelta(days=10),
            enterprise_ids=[enterprise_b],
            today=dt.date.today(),
        )
        conflict = ConflictEntry(
            district_id=seeded.districts[B],
            user_id=seeded.users["zhao"],
            entity="enterprise",
            entity_id=enterprise_b,
            field="name",
            proposed_value="改名",
            server_value="原名",
            resolution="登记信息以区办为准",
            is_proposal=True,
        )
        session.add(conflict)
        device = Device(id="device-of-b", user_id=seeded.users["zhao"], name="B 的笔记本", token_hash="f" * 64)
        session.add(device)
        session.flush()
        conflict_id = conflict.id
    return {
        "district_id": str(seeded.districts[B]),
        "city_id": str(seeded.city_id + 1000),
        "enterprise_id": enterprise_b,
        "plan_id": plan_b,
        "conflict_id": str(conflict_id),
        "user_id": str(seeded.users["zhao"]),
        "device_id": "device-of-b",
    }


def _fill(path: str, values: dict[str, str]) -> str:
    names = re.findall(r"{(\w+)}", path)
    missing = [name for name in names if name not in values]
    assert not missing, f"the scope matrix has no value for {missing} of {path}: add one to foreign_objects()"
    for name in names:
        path = path.replace("{" + name + "}", values[name])
    return path


def test_every_console_route_is_in_the_matrix() -> None:
    scoped = [(path, method) for path, method in CONSOLE_ROUTES if (path, method) not in PUBLIC | SIGNED_IN_ONLY]
    assert len(scoped) > 30
    for path, _method in scoped:
        assert path.startswith(("/console/d/{district_id}", "/console/c/{city_id}")), path


def test_an_office_user_of_one_district_gets_404_for_every_page_of_another(
    console_server: Seeded, anonymous: Any, signed_in: Any
) -> None:
    values = foreign_objects(console_server)
    client = signed_in("office")
    token = client.csrf()
    checked = 0
    for path, method in CONSOLE_ROUTES:
        if (path, method) in PUBLIC | SIGNED_IN_ONLY:
            continue
        url = _fill(path, values)
        answer = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        assert answer.status_code == 404, f"{method} {url}: {answer.status_code}"
        assert "通川" not in answer.text
        assert "赵刚" not in answer.text
        checked += 1
    assert checked == len(CONSOLE_ROUTES) - len(PUBLIC | SIGNED_IN_ONLY)


def test_another_districts_objects_named_in_ones_own_pages_are_not_found(
    sqlite_console: Seeded, anonymous: Any, signed_in: Any
) -> None:
    values = foreign_objects(sqlite_console)
    own = {**values, "district_id": str(sqlite_console.districts[A])}
    client = signed_in("boss")
    token = client.csrf()
    for path in ("/console/d/{district_id}/enterprises/{enterprise_id}", "/console/d/{district_id}/plans/{plan_id}"):
        assert client.get(_fill(path, own)).status_code == 404
    refused = {
        "/console/d/{district_id}/conflicts/{conflict_id}/review": {"decision": "accept", "reason": "越权"},
        "/console/d/{district_id}/admin/users/{user_id}/disable": {},
        "/console/d/{district_id}/admin/users/{user_id}/password": {"password": "hijacked-123"},
        "/console/d/{district_id}/admin/devices/{device_id}/revoke": {},
        "/console/d/{district_id}/plans/{plan_id}/cancel": {"assignment": "x"},
    }
    for path, form in refused.items():
        answer = client.post(_fill(path, own), data={"csrf_token": token, **form})
        assert answer.status_code in (400, 404), path
    with sqlite_console.db.session() as session:
        conflict = session.get(ConflictEntry, int(values["conflict_id"]))
        assert conflict is not None
        assert conflict.reviewed_at is None
        device = session.get(Device, "device-of-b")
        assert device is not None
        assert device.revoked_at is None
    zhao = anonymous()
    assert zhao.login("zhao").status_code == 303, "the other district's user still signs in with their password"


def test_a_city_user_sees_only_the_districts_of_their_city(
    sqlite_console: Seeded, anonymous: Any, signed_in: Any
) -> None:
    client = signed_in("dazhou")
    assert client.get(f"/console/c/{sqlite_console.city_id}").status_code == 200
    assert client.get(f"/console/c/{sqlite_console.city_id + 1000}").status_code == 404
    assert client.get(f"/console/d/{sqlite_console.districts[B]}/dashboard").status_code == 200
    token = client.csrf(f"/console/d/{sqlite_console.districts[A]}/dashboard")
    answer = client.post(
        f"/console/d/{sqlite_console.districts[A]}/risk/plan", data={"csrf_token": token, "name": "市里的计划"}
    )
    assert answer.status_code == 403, "a city user reads; the district office acts"


def test_a_coordinator_reads_their_own_work_and_cannot_act(
    sqlite_console: Seeded, anonymous: Any, signed_in: Any
) -> None:
    client = signed_in("li")
    district = sqlite_console.districts[A]
    assert client.get(f"/console/d/{district}/dashboard").status_code == 200
    assert client.get(f"/console/d/{district}/ledger").status_code == 200
    assert client.get(f"/console/d/{district}/risk").status_code == 403
    assert client.get(f"/console/d/{district}/admin/users").status_code == 403
    token = client.csrf(f"/console/d/{district}/dashboard")
    answer = client.post(f"/console/d/{district}/followup/reassign", data={"csrf_token": token, "item": "x"})
    assert answer.status_code == 403


def test_every_form_post_without_the_csrf_token_is_refused(
    console_server: Seeded, anonymous: Any, signed_in: Any
) -> None:
    client = signed_in("boss")
    own = {
        "district_id": str(console_server.districts[A]),
        "city_id": str(console_server.city_id),
        "enterprise_id": next(iter(console_server.enterprises[A].values())),
        "plan_id": "p",
        "conflict_id": "1",
        "user_id": str(console_server.users["li"]),
        "device_id": "d",
    }
    for path, method in CONSOLE_ROUTES:
        if method != "POST" or path == "/console/login":
            continue
        answer = client.post(_fill(path, own), data={"name": "无令牌"})
        assert answer.status_code == 403, path
        assert "表单已过期或来源不明" in answer.text
    wrong = client.post("/console/lang", data={"lang": "en", "csrf_token": "forged"})
    assert wrong.status_code == 403
    with console_server.db.session() as session:
        actions = session.scalars(select(OfficeAction.action)).all()
    assert set(actions) == {"sign_in"}, "nothing a refused post asked for happened"


def test_a_post_from_another_origin_is_refused_even_with_the_token(
    sqlite_console: Seeded, anonymous: Any, signed_in: Any
) -> None:
    client = signed_in("office")
    token = client.csrf()
    answer = client.post(
        "/console/lang", data={"lang": "en", "csrf_token": token}, headers={"Origin": "http://evil.example"}
    )
    assert answer.status_code == 403


def test_the_login_form_needs_its_own_csrf_cookie(sqlite_console: Seeded, anonymous: Any) -> None:
    client = anonymous()
    answer = client.post("/console/login", data={"username": "office", "password": PASSWORD, "csrf_token": "x"})
    assert answer.status_code == 403
    assert "lc_console" not in client.http.cookies


def test_sign_out_ends_the_session(sqlite_console: Seeded, anonymous: Any, signed_in: Any) -> None:
    client = signed_in("office")
    cookie = client.http.cookies["lc_console"]
    token = client.csrf()
    assert client.post("/console/logout", data={"csrf_token": token}).status_code == 303
    stale = anonymous()
    stale.http.cookies.set("lc_console", cookie, path="/console")
    answer = stale.get(f"/console/d/{sqlite_console.districts[A]}/dashboard")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/console/login")


def test_a_session_expires_when_idle_and_after_its_lifetime(
    sqlite_console: Seeded, anonymous: Any, signed_in: Any
) -> None:
    dashboard = f"/console/d/{sqlite_console.districts[A]}/dashboard"
    idle = signed_in("office")
    busy = signed_in("boss")
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start + dt.timedelta(minutes=25), tick=True):
        assert idle.get(dashboard).status_code == 200
        assert busy.get(dashboard).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=56), tick=True):
        assert idle.get(dashboard).status_code == 303, "30 minutes without a request end the session"
    for hours in range(1, 13):
        with time_machine.travel(start + dt.timedelta(minutes=50 + 20 * hours), tick=True):
            busy.get(dashboard)
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=5), tick=True):
        answer = busy.get(dashboard)
    assert answer.status_code == 303, "12 hours after sign-in the session ends however active"


def test_a_password_change_ends_every_session_of_the_user(
    sqlite_console: Seeded, anonymous: Any, signed_in: Any
) -> None:
    first = signed_in("office")
    second = signed_in("office")
    token = first.csrf()
    wrong = first.post(
        "/console/password", data={"csrf_token": token, "current": "nope", "new": "x" * 10, "repeated": "x" * 10}
    )
    assert wrong.status_code == 400
    assert "当前密码不正确" in wrong.text
    answer = first.post(
        "/console/password",
        data={"csrf_token": token, "current": PASSWORD, "new": "new-secret-42", "repeated": "new-secret-42"},
    )
    assert answer.status_code == 303
    dashboard = f"/console/d/{sqlite_console.districts[A]}/dashboard"
    assert first.get(dashboard).status_code == 303
    assert second.get(dashboard).status_code == 303
    fresh = anonymous()
    assert fresh.login("office", "new-secret-42").status_code == 303
    assert anonymous().login("office", PASSWORD).status_code == 401


def test_disabling_a_user_ends_their_sessions(sqlite_console: Seeded, anonymous: Any, signed_in: Any) -> None:
    office = signed_in("office")
    boss = signed_in("boss")
    district = sqlite_console.districts[A]
    token = boss.csrf(f"/console/d/{district}/admin/users")
    answer = boss.post(
        f"/console/d/{district}/admin/users/{sqlite_console.users['office']}/disable", data={"csrf_token": token}
    )
    assert answer.status_code == 303
    assert office.get(f"/console/d/{district}/dashboard").status_code == 303
    assert anonymous().login("office").status_code == 401


def test_cookies_are_httponly_and_samesite_and_headers_forbid_framing_and_inline_script(
    sqlite_console: Seeded,
    anonymous: Any,
) -> None:
    client = anonymous()
    login = client.get("/console/login")
    headers = login.headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in login.text.replace('<script src="/console/static/', "")
    answer = client.login("office")
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/console" in cookie
    assert "Secure" not in cookie, "plain http on loopback: Secure only behind HTTPS"
    page = client.get(f"/console/d/{sqlite_console.districts[A]}/dashboard")
    assert re.search(r"<script(?![^>]*(src=\"/console/static/|type=\"application/json\"))", page.text) is None


def test_cookies_are_secure_behind_https(sqlite_console: Seeded, anonymous: Any) -> None:
    client = anonymous()
    form = client.get("/console/login", headers={"X-Forwarded-Proto": "https"})
    assert "lc_login_csrf" in form.headers["set-cookie"]
    assert "Secure" in form.headers["set-cookie"]
    settings = ServerSettings(database_url="sqlite://", secure_cookies=True)
    app = create_app(settings)
    assert app.state.console.secure(None) is True  # type: ignore[arg-type]


def test_hostile_enterprise_names_are_escaped_in_every_page(
    sqlite_console: Seeded, anonymous: Any, signed_in: Any
) -> None:
    client = signed_in("office")
    district = sqlite_console.districts[A]
    with sqlite_console.db.session() as session:
        hostile_id = session.scalars(
            select(Record.entity_id).where(Record.entity == "enterprise", Record.data["name"].as_string() == HOSTILE)
        ).one()
    for path in (f"/console/d/{district}/risk", f"/console/d/{district}/enterprises/{hostile_id}"):
        body = client.get(path).text
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "&lt;script&gt;alert" in body


@pytest.mark.parametrize("statement", ["UPDATE office_action SET username = 'x'", "DELETE FROM office_action"])
def test_the_office_log_refuses_changes_in_the_database(
    console_server: Seeded, anonymous: Any, signed_in: Any, statement: str
) -> None:
    signed_in("office")
    with pytest.raises(DBAPIError), console_server.db.session() as session:
        session.execute(text(statement))
    with console_server.db.session() as session:
        assert session.scalars(select(OfficeAction.username)).all() == ["office"]


def test_a_city_user_cannot_sign_in_to_sync_a_laptop(sqlite_console: Seeded) -> None:
    import httpx

    answer = httpx.post(
        f"{sqlite_console.url}/auth/sign-in",
        json={"username": "dazhou", "password": PASSWORD, "device_id": "city-laptop"},
        timeout=30,
    )
    assert answer.status_code == 403
    assert "网页控制台" in answer.json()["message"]
