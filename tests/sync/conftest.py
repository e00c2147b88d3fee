"""Fixtures for sync tests: a real server (SQLite and PostgreSQL) on a loopback port, laptops.

PostgreSQL: the session's cluster from ``pg_url`` (tests/conftest.py, shared with tests/security); every test that
asks for it gets an emptied schema.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import create_engine, text

from app.audit.profile import ProfileInput, save_profile
from app.models import save_settings
from app.services.workspace import Workspace, open_workspace
from app.sync.protocol import Role
from server import admin
from server.app import create_app
from server.config import ServerSettings
from server.db import ServerDatabase, open_server_database

PASSWORD = "correct-horse-9"  # noqa: S105 (a test account)
DISTRICT = "达川区"
OTHER_DISTRICT = "通川区"
READY_TIMEOUT = 15.0


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    url: str = request.getfixturevalue("pg_url")
    _reset_postgres(url)
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """uvicorn in a thread on a fixed loopback port; ``restart()`` stops it and starts a fresh one there."""

    def __init__(self, settings: ServerSettings, database: ServerDatabase, port: int | None = None) -> None:
        self.settings = settings
        self.database = database
        self.port = port or free_port()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        app = create_app(self.settings, database=self.database)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error", lifespan="off")
        server = uvicorn.Server(config)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + READY_TIMEOUT
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        self._server, self._thread, self._socket = server, thread, sock

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=READY_TIMEOUT)
            self._socket.close()
        self._server = self._thread = None

    def restart(self) -> None:
        self.stop()
        self.start()


@dataclass
class District:
    """A seeded server: two districts, coordinators, office staff, enterprises."""

    server: LiveServer
    db: ServerDatabase
    enterprises: dict[str, str] = field(default_factory=dict)  # uscc -> id


def seed(db: ServerDatabase, csv_path: Path) -> dict[str, str]:
    from app.audit.uscc import make_uscc

    rows = ["统一社会信用代码,企业名称,行业,地址,联系人,联系电话,职工人数"]
    codes = {}
    for index, name in enumerate(("达州恒达机械制造有限公司", "达州川东商贸有限公司", "达川区鑫源建筑劳务有限公司")):
        code = make_uscc(f"91511703MA62XX{index:03d}")
        codes[name] = code
        rows.append(f"{code},{name},制造业,达川区三里坪街道{index}号,王芳,0818-234567{index},{100 + index * 20}")
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    other_csv = csv_path.with_name("other.csv")
    other_code = make_uscc("91511702MA63YY001")
    other_csv.write_text(
        "统一社会信用代码,企业名称\n" + f"{other_code},通川区远方物流有限公司\n",
        encoding="utf-8",
    )
    with db.session() as session:
        admin.add_district(session, DISTRICT)
        admin.add_district(session, OTHER_DISTRICT)
        for username, role, district in (
            ("li", Role.COORDINATOR, DISTRICT),
            ("chen", Role.COORDINATOR, DISTRICT),
            ("office", Role.OFFICE, DISTRICT),
            ("zhao", Role.COORDINATOR, OTHER_DISTRICT),
        ):
            admin.add_user(session, username=username, password=PASSWORD, role=role, district=district)
        admin.import_enterprises(session, DISTRICT, csv_path)
        admin.import_enterprises(session, OTHER_DISTRICT, other_csv)
    with db.session() as session:
        from sqlalchemy import select

        from server.models import Record

        return {
            str(record.natural_key): record.entity_id
            for record in session.scalars(select(Record).where(Record.entity == "enterprise"))
        }


@pytest.fixture
def district(database_url: str, tmp_path: Path) -> Iterator[District]:
    settings = ServerSettings(database_url=database_url, blob_dir=tmp_path / "server-blobs")
    db = open_server_database(database_url)
    enterprises = seed(db, tmp_path / "registry.csv")
    server = LiveServer(settings, db)
    server.start()
    try:
        yield District(server=server, db=db, enterprises=enterprises)
    finally:
        server.stop()
        db.close()


def make_laptop(root: Path, name: str, server_url: str, device_code: str = "A3") -> Workspace:
    ws = open_workspace(root / name)
    with ws.db.session() as session:
        save_profile(
            session,
            ProfileInput(
                name=name,
                device_code=device_code,
                district=DISTRICT,
                organisation="达川区人力资源和社会保障局",
                issuing_body="达州市达川区协调劳动关系三方办公室",
                notice_prefix="达川人社体检",
            ),
        )
        save_settings(session, server_url=server_url, server_consent=True)
    return ws


@pytest.fixture
def laptop(tmp_path: Path, district: District) -> Iterator[Any]:
    """A factory of laptops (data directories) pointed at the live server, with consent given."""
    opened: list[Workspace] = []

    def factory(name: str, device_code: str = "A3") -> Workspace:
        ws = make_laptop(tmp_path, name, district.server.url, device_code)
        opened.append(ws)
        return ws

    yield factory
    for ws in opened:
        ws.close()


def as_dict(value: Any) -> dict[str, Any]:
    assert isinstance(value, dict)
    return value
