"""Screenshots of every page of the office console, in Chinese and in English, at 1366×768 (Debian's chromium).

``make web-screenshots`` writes ``docs/screenshots/web-*-{zh,en}.png``. The data is made the way a district
makes it: a server with two districts of one city, a laptop that seeds the demo district and syncs it, a second
coordinator's visits, a departmental sheet imported by the office, a visit plan, a reassigned follow-up and a
coordinator's proposed registry change — all through the real services and the real sync.

Usage: ``python scripts/web_screenshots.py OUTPUT_DIR``
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import keyring
import uvicorn
from sqlalchemy import select

from app.audit.demo_district import BRANDS, seed_demo
from app.audit.enterprises import name_initials, update_enterprise
from app.audit.profile import ProfileInput, save_profile
from app.audit.uscc import make_uscc
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Coordinator, Enterprise, save_settings
from app.services.workspace import Workspace, open_workspace
from app.sync.protocol import Role
from app.sync.service import sync
from core.clock import china_today
from server import admin
from server.app import create_app
from server.config import ServerSettings
from server.console import office_log, projection
from server.console.indicators import import_indicators
from server.console.models import EnterpriseRisk, LedgerEntry
from server.console.plans import create_plan, reassign_follow_up
from server.console.sessions import Viewer
from server.db import ServerDatabase, open_server_database
from server.models import City, District, Record, User
from tests.keyrings import ENV as KEYRING_ENV
from tests.keyrings import FileKeyring

PASSWORD = "screenshot-pass-1"  # noqa: S105 (a throw-away account)
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
A, B, CITY = "达川区", "通川区", "达州市"


def serve(settings: ServerSettings, db: ServerDatabase) -> tuple[uvicorn.Server, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, database=db), host="127.0.0.1", port=port, log_level="error")
    )
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def laptop(root: Path, name: str, display: str, code: str, url: str, district: str = A) -> Workspace:
    ws = open_workspace(root / name)
    with ws.db.session() as session:
        save_profile(
            session,
            ProfileInput(
                name=display,
                device_code=code,
                district=district,
                organisation="达州市达川区人力资源和社会保障局",
                issuing_body="达州市达川区协调劳动关系三方办公室",
                notice_prefix="达川人社体检",
            ),
        )
        save_settings(session, server_url=url, server_consent=True)
    return ws


def run_sync(ws: Workspace, user: str) -> None:
    summary = sync(ws, password=PASSWORD, username=user, initials=name_initials)
    if summary.errors:
        print("sync:", summary.errors, file=sys.stderr)


def visits(ws: Workspace, count: int, today: dt.date, offset: int = 60) -> None:
    with ws.db.session() as session:
        coordinator = session.scalars(select(Coordinator)).one()
        targets = session.scalars(select(Enterprise).order_by(Enterprise.name).offset(offset).limit(count)).all()
        plan = [(enterprise.id, index) for index, enterprise in enumerate(targets)]
    for enterprise_id, index in plan:
        with ws.db.session() as session:
            audit = start_audit(
                session,
                enterprise_id=enterprise_id,
                coordinator_id=coordinator.id,
                visit_date=today - dt.timedelta(days=3 + index * 9),
                modules=["CONTRACT", "WAGE"],
            )
            for number, state in enumerate(item_states(session, audit.id)):
                if state.needs_answer and state.answer is None:
                    bad = (number + index) % 7 == 0
                    answer_item(
                        session,
                        audit.id,
                        state.item.id,
                        AnswerStatus.NON_COMPLIANT if bad else AnswerStatus.COMPLIANT,
                        note="现场查阅发现问题" if bad else "",
                    )
            finish_audit(session, audit.id, responsible_person="周磊", today=today)


def seed(db: ServerDatabase, root: Path, url: str) -> dict[str, Any]:
    today = china_today()
    with db.session() as session:
        city = City(name=CITY)
        session.add(city)
        session.flush()
        for name in (A, B):
            admin.add_district(session, name).city_id = city.id
        for username, role, district, display in (
            ("li", Role.COORDINATOR, A, "李明"),
            ("chen", Role.COORDINATOR, A, "陈静"),
            ("wang", Role.COORDINATOR, A, "王芳"),
            ("office", Role.OFFICE, A, "王主任"),
            ("boss", Role.ADMIN, A, "张管理"),
            ("zhao", Role.COORDINATOR, B, "赵刚"),
        ):
            admin.add_user(
                session, username=username, password=PASSWORD, role=role, district=district, display_name=display
            )
        city_user = User(
            username="dazhou",
            display_name="市协调办",
            password_hash=session.scalars(select(User.password_hash).where(User.username == "li")).one(),
            role="city",
            district_id=None,
            city_id=city.id,
        )
        session.add(city_user)
        admin.add_campaign(
            session,
            district=A,
            name="2026年“查风险 强协商 保支付 促和谐”专项行动",
            starts_on=today - dt.timedelta(days=120),
            ends_on=today + dt.timedelta(days=30),
            report_due_on=today + dt.timedelta(days=20),
        )
        admin.add_campaign(session, district=B, name="通川区冬季专项行动", starts_on=today - dt.timedelta(days=30))
    from app.checklists.loader import default_template_dir, load_template_set, module_snapshot

    template_set = load_template_set(default_template_dir())
    with db.session() as session:
        admin.publish_snapshots(
            session,
            [
                (module.module, json.dumps(module_snapshot(template_set, module.module), ensure_ascii=False).encode())
                for module in template_set.modules
            ],
        )
        # The 2027 schedule as the State Council's notice would give it (an illustration for the 发布 page).
        spring = [dt.date(2027, 2, 5) + dt.timedelta(days=offset) for offset in range(9)]
        admin.publish_calendar(
            session,
            2027,
            [dt.date(2027, 1, 1), *spring, dt.date(2027, 4, 5), dt.date(2027, 5, 1), dt.date(2027, 10, 1)],
            [dt.date(2027, 2, 14), dt.date(2027, 2, 20)],
            published_by="区办管理员",
        )

    registry_b = root / "tongchuan.csv"
    lines = ["统一社会信用代码,企业名称,行业,地址,职工人数"]
    trades = ("商贸", "物流", "建筑", "餐饮")
    for index in range(40):
        code = make_uscc(f"91511702MA{index:07d}")
        name = f"通川区{BRANDS[index % len(BRANDS)]}{trades[index % 4]}有限公司"
        lines.append(f"{code},{name},批发和零售业,通川区朝阳街道{index}号,{30 + index * 7}")
    registry_b.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with db.session() as session:
        admin.import_enterprises(session, B, registry_b)
    zhao = laptop(root, "zhao", "赵刚", "C2", url, B)
    try:
        run_sync(zhao, "zhao")
        visits(zhao, 9, today, offset=0)
        run_sync(zhao, "zhao")
    finally:
        zhao.close()
    li = laptop(root, "li", "李明", "A3", url)
    chen = laptop(root, "chen", "陈静", "B7", url)
    try:
        run_sync(li, "li")
        with li.db.session() as session:
            seed_demo(session, li.blobs, today=today, enterprises=240, audits=30)
        run_sync(li, "li")
        run_sync(chen, "chen")
        visits(chen, 8, today)
        with chen.db.session() as session:
            first = session.scalars(select(Enterprise).order_by(Enterprise.name).offset(100)).first()
            assert first is not None
            update_enterprise(session, first.id, name=first.name + "（分公司）", address="达川区翠屏街道18号")
        run_sync(chen, "chen")
        run_sync(li, "li")
    finally:
        li.close()
        chen.close()

    with db.session() as session:
        district = session.scalars(select(District).where(District.name == A)).one()
        users = {name: id_ for id_, name in session.execute(select(User.id, User.username))}
        codes = [
            (str(record.natural_key), str((record.data or {}).get("name")))
            for record in session.scalars(
                select(Record)
                .where(Record.entity == "enterprise", Record.district_id == district.id)
                .order_by(Record.entity_id)
                .limit(40)
            )
        ]
    viewer = Viewer(
        user_id=users["office"],
        username="office",
        display_name="王主任",
        role="office",
        district_id=district.id,
        district=A,
        city_id=None,
        city="",
        token_hash="",
        csrf_token="",
        language="zh",
    )
    with db.session() as session:
        projection.catch_up_in(session, today)
        for kind, source, rows in (
            ("tax_arrears", "区税务局", codes[:8]),
            ("social_insurance_arrears", "区社保中心", codes[6:14]),
            ("wage_complaint", "12345热线", codes[14:18]),
            ("logistics_anomaly", "区邮政管理局", codes[18:22]),
        ):
            import_indicators(
                session,
                district_id=district.id,
                rows=iter(
                    [
                        (line, {"统一社会信用代码": code, "企业名称": name, "情况": "见附表"})
                        for line, (code, name) in enumerate(rows, start=2)
                    ]
                ),
                default_kind=kind,
                source=source,
                good_rows_only=False,
                writer="office:office",
                today=today,
            )
            office_log.record(session, viewer, "indicator_import", district_id=district.id, target=f"{source}.xlsx")
    with db.session() as session:
        projection.catch_up_in(session, today)
        ranked = session.scalars(
            select(EnterpriseRisk.enterprise_id)
            .where(EnterpriseRisk.district_id == district.id, EnterpriseRisk.last_visit.is_(None))
            .order_by(EnterpriseRisk.score.desc())
            .limit(8)
        ).all()
        plan_id = create_plan(
            session,
            viewer,
            district_id=district.id,
            name="第一批重点企业上门体检",
            campaign_id=None,
            assignee_id=users["wang"],
            target_date=today + dt.timedelta(days=21),
            enterprise_ids=list(ranked),
            today=today,
        )
        office_log.record(session, viewer, "plan_create", district_id=district.id, target=plan_id)
    with db.session() as session:
        projection.catch_up_in(session, today)
        overdue = session.scalars(
            select(LedgerEntry.item_id)
            .where(
                LedgerEntry.district_id == district.id,
                LedgerEntry.live.is_(True),
                LedgerEntry.status != "verified",
                LedgerEntry.deadline < today,
            )
            .limit(2)
        ).all()
        if overdue:
            reassign_follow_up(
                session,
                viewer,
                district_id=district.id,
                item_ids=list(overdue),
                assignee_id=users["chen"],
                target_date=today + dt.timedelta(days=7),
                today=today,
            )
            office_log.record(session, viewer, "follow_up_reassign", district_id=district.id, target="chen")
    with db.session() as session:
        projection.catch_up_in(session, today)
        enterprise = session.scalars(
            select(LedgerEntry.enterprise_id).where(LedgerEntry.live.is_(True)).order_by(LedgerEntry.deadline)
        ).first()
    return {"district": district.id, "plan": plan_id, "enterprise": enterprise, "city": city_user.city_id}


PAGES = (
    ("dashboard", "dashboard"),
    ("risk", "risk"),
    ("plans", "plans"),
    ("plan", "plans/{plan}"),
    ("ledger", "ledger"),
    ("enterprise", "enterprises/{enterprise}"),
    ("follow-up", "followup?state=overdue"),
    ("conflicts", "conflicts"),
    ("reports", "reports"),
    ("admin-users", "admin/users"),
    ("admin-devices", "admin/devices"),
    ("admin-campaigns", "admin/campaigns"),
    ("admin-publishing", "admin/publishing"),
    ("admin-retention", "admin/retention"),
    ("admin-log", "admin/log"),
)


def shoot(url: str, ids: dict[str, Any], output: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for language in ("zh", "en"):
                context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
                page = context.new_page()
                page.goto(f"{url}/console/login?lang={language}")
                made.append(output / f"web-login-{language}.png")
                page.screenshot(path=str(made[-1]))
                page.fill("#username", "boss")
                page.fill("#password", PASSWORD)
                page.click("#sign-in")
                page.wait_for_url("**/dashboard")
                for name, path in PAGES:
                    page.goto(f"{url}/console/d/{ids['district']}/{path.format(**ids)}")
                    page.wait_for_load_state("load")
                    if name == "dashboard":
                        page.wait_for_selector(".chart[data-drawn=true]")
                    made.append(output / f"web-{name}-{language}.png")
                    page.screenshot(path=str(made[-1]))
                page.goto(f"{url}/console/d/{ids['district']}/admin/publishing")
                page.locator("#publish-calendar").scroll_into_view_if_needed()
                made.append(output / f"web-admin-calendar-{language}.png")
                page.screenshot(path=str(made[-1]))
                page.goto(f"{url}/console/password")
                made.append(output / f"web-password-{language}.png")
                page.screenshot(path=str(made[-1]))
                context.close()
                context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
                page = context.new_page()
                page.goto(f"{url}/console/login?lang={language}")
                page.fill("#username", "dazhou")
                page.fill("#password", PASSWORD)
                page.click("#sign-in")
                page.wait_for_selector(".chart[data-drawn=true]")
                made.append(output / f"web-city-{language}.png")
                page.screenshot(path=str(made[-1]))
                context.close()
        finally:
            browser.close()
    return made


def main(argv: list[str]) -> int:
    output = Path(argv[1] if len(argv) > 1 else "docs/screenshots")
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="laborcheck-web-shots-") as directory:
        root = Path(directory)
        # The laptops' tokens go to a throw-away keyring file (the tests' double), never the machine's keyring.
        os.environ[KEYRING_ENV] = str(root / "keyring.json")
        keyring.set_keyring(FileKeyring())
        database_url = f"sqlite:///{root / 'server.db'}"
        db = open_server_database(database_url)
        server, url = serve(ServerSettings(database_url=database_url, blob_dir=root / "blobs"), db)
        try:
            ids = seed(db, root, url)
            made = shoot(url, ids, output)
        finally:
            server.should_exit = True
            db.close()
    for path in made:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
