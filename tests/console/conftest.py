"""Fixtures for the office console: a seeded server on loopback, signed-in HTTP clients, one shared chromium.

The server has two districts of one city (达州市: 达川区 and 通川区) with coordinators, office staff and an admin
each, a city user, registries, a campaign, and a published template. Browser tests drive Debian's chromium
through Playwright (``executable_path``: Playwright's own browser download is never used); one browser serves the
whole session and each test gets its own context (cookies) and page.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.sync.protocol import Role
from server import admin
from server.config import ServerSettings
from server.db import ServerDatabase, open_server_database
from server.models import City, District, Record, User
from tests.sync.conftest import (  # noqa: F401 (fixtures shared with the sync tests)
    PASSWORD,
    LiveServer,
    database_url,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
A, B = "达川区", "通川区"
CITY = "达州市"
HOSTILE = '<script>alert("x")</script>"><img src=x onerror=alert(1)>恒达'
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Seeded:
    db: ServerDatabase
    server: LiveServer
    districts: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    enterprises: dict[str, dict[str, str]] = field(default_factory=dict)
    """district name → {uscc: enterprise id}"""
    city_id: int = 0

    @property
    def url(self) -> str:
        return self.server.url


def write_registry(path: Path, prefix: str, names: list[str]) -> dict[str, str]:
    from app.audit.uscc import make_uscc

    rows = ["统一社会信用代码,企业名称,行业,地址,联系人,联系电话,职工人数"]
    codes = {}
    for index, name in enumerate(names):
        code = make_uscc(f"{prefix}{index:03d}")
        codes[name] = code
        rows.append(f"{code},{name},制造业,三里坪街道{index}号,王芳,0818-23456{index:02d},{80 + index * 15}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return codes


def seed_console(
    db: ServerDatabase, root: Path
) -> tuple[dict[str, int], dict[str, int], dict[str, dict[str, str]], int]:
    names_a = [
        "达州恒达机械制造有限公司",
        "达州川东商贸有限公司",
        "达川区鑫源建筑劳务有限公司",
        HOSTILE,
        "达州巴山物流有限公司",
    ]
    names_b = ["通川区远方物流有限公司", "通川区华川食品有限公司"]
    write_registry(root / "a.csv", "91511703MA62XX", names_a)
    write_registry(root / "b.csv", "91511702MA63YY", names_b)
    with db.session() as session:
        city = City(name=CITY)
        session.add(city)
        session.flush()
        for name in (A, B):
            district = admin.add_district(session, name)
            district.city_id = city.id
        session.flush()
        ids = {name: id_ for id_, name in session.execute(select(District.id, District.name))}
        for username, role, district, display in (
            ("li", Role.COORDINATOR, A, "李明"),
            ("chen", Role.COORDINATOR, A, "陈静"),
            ("office", Role.OFFICE, A, "王主任"),
            ("boss", Role.ADMIN, A, "张管理"),
            ("zhao", Role.COORDINATOR, B, "赵刚"),
            ("office_b", Role.OFFICE, B, "刘科长"),
            ("boss_b", Role.ADMIN, B, "孙管理"),
        ):
            session.add(
                User(
                    username=username,
                    display_name=display,
                    password_hash=cheap_hash(),
                    role=role.value,
                    district_id=ids[district],
                )
            )
        session.add(
            User(
                username="dazhou",
                display_name="市协调办",
                password_hash=cheap_hash(),
                role="city",
                district_id=None,
                city_id=city.id,
            )
        )
        admin.import_enterprises(session, A, root / "a.csv")
        admin.import_enterprises(session, B, root / "b.csv")
        admin.add_campaign(session, district=A, name="2026年冬季专项行动")
        admin.add_campaign(session, district=B, name="通川区专项行动")
        city_id = city.id
    publish_templates(db)
    with db.session() as session:
        districts = {name: id_ for id_, name in session.execute(select(District.id, District.name))}
        users = {name: id_ for id_, name in session.execute(select(User.id, User.username))}
        enterprises: dict[str, dict[str, str]] = {A: {}, B: {}}
        for record in session.scalars(select(Record).where(Record.entity == "enterprise")):
            key = A if record.district_id == districts[A] else B
            enterprises[key][str(record.natural_key)] = record.entity_id
    return districts, users, enterprises, city_id


@functools.cache
def cheap_hash() -> str:
    """An Argon2id hash of the test password with the smallest cost: the server verifies any Argon2id hash by the
    parameters written in it, so sign-ins in tests take milliseconds instead of most of a second each."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


@functools.cache
def template_snapshots() -> list[tuple[str, dict[str, Any]]]:
    """The packaged checklist templates as ``laborcheck export-templates`` writes them."""
    from app.checklists.loader import default_template_dir, load_template_set, module_snapshot

    template_set = load_template_set(default_template_dir())
    return [
        (f"{module.module}-v{module.version}.json", module_snapshot(template_set, module.module))
        for module in template_set.modules
    ]


def publish_templates(db: ServerDatabase) -> None:
    with db.session() as session:
        admin.publish_snapshots(
            session,
            [(name, json.dumps(snapshot, ensure_ascii=False).encode()) for name, snapshot in template_snapshots()],
        )


@pytest.fixture
def console_server(database_url: str, tmp_path: Path) -> Iterator[Seeded]:  # noqa: F811
    settings = ServerSettings(database_url=database_url, blob_dir=tmp_path / "blobs")
    db = open_server_database(database_url)
    districts, users, enterprises, city_id = seed_console(db, tmp_path)
    server = LiveServer(settings, db)
    server.start()
    try:
        yield Seeded(db, server, districts, users, enterprises, city_id)
    finally:
        server.stop()
        db.close()


@pytest.fixture
def sqlite_console(tmp_path: Path) -> Iterator[Seeded]:
    """The seeded console server on SQLite only (where the engine is not what the test is about)."""
    sqlite_url = f"sqlite:///{tmp_path / 'server.db'}"
    settings = ServerSettings(database_url=sqlite_url, blob_dir=tmp_path / "blobs")
    db = open_server_database(sqlite_url)
    districts, users, enterprises, city_id = seed_console(db, tmp_path)
    server = LiveServer(settings, db)
    server.start()
    try:
        yield Seeded(db, server, districts, users, enterprises, city_id)
    finally:
        server.stop()
        db.close()


class ConsoleClient:
    """A browser-less session: signs in through the login form and finds the CSRF token on pages."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, follow_redirects=False, timeout=60)

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        form = self.http.get("/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        return self.http.post(
            "/console/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
        )

    def csrf(self, path: str = "/console/password") -> str:
        page = self.http.get(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None, page.text[:300]
        return token.group(1)

    def get(self, path: str, **options: Any) -> httpx.Response:
        return self.http.get(path, **options)

    def post(self, path: str, **options: Any) -> httpx.Response:
        return self.http.post(path, **options)

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def anonymous(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A factory of clients not signed in yet, for the server the test asked for (``sqlite_console`` or the
    ``console_server`` of both engines); closed at the end of the test."""
    name = "sqlite_console" if "sqlite_console" in request.fixturenames else "console_server"
    seeded: Seeded = request.getfixturevalue(name)
    clients: list[ConsoleClient] = []

    def factory() -> ConsoleClient:
        client = ConsoleClient(seeded.url)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture
def signed_in(anonymous: Any) -> Any:
    """A factory of signed-in clients: ``signed_in("office")``."""

    def factory(username: str) -> ConsoleClient:
        client: ConsoleClient = anonymous()
        answer = client.login(username)
        assert answer.status_code == 303, answer.text[:300]
        return client

    return factory


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, one for the whole session (started once: a few hundred ms)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail("Debian's chromium is not installed: run `make system-deps` (APT_PACKAGES has it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (its own cookies) at 1366×768 that records CSP violations and page errors."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True)
    tab = context.new_page()
    tab.problems = []  # type: ignore[attr-defined]

    def console_message(message: Any) -> None:
        # A form answered 400/401/403 on purpose (errors shown on the page) is not a problem; everything else
        # the console reports as an error is (CSP violations, missing files, script errors).
        if message.type == "error" and not re.search(r"status of 40[013]", message.text):
            tab.problems.append(message.text)

    tab.on("console", console_message)
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    tab.on("dialog", lambda dialog: (tab.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    try:
        yield tab
    finally:
        context.close()
