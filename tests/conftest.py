"""Fixtures that build real objects: a real data directory, database, blob store and templates in tmp_path."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.profile import ProfileInput, save_profile
from app.audit.uscc import make_uscc
from app.models import Coordinator, Enterprise
from app.services.workspace import Workspace, open_workspace
from app.storage.keys import SERVICE as DATA_KEY_SERVICE
from tests.keyrings import ENV as KEYRING_ENV
from tests.keyrings import FileKeyring

VISIT_DAY = dt.date(2026, 11, 10)
PG_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pg-test-server.sh"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """One throw-away PostgreSQL cluster for the whole session (tests/sync and tests/security share it):
    ``LABORCHECK_TEST_PG_URL`` when set; otherwise ``scripts/pg-test-server.sh`` starts one (as root, initdb runs as
    the ``postgres`` user) and stops it at the end."""
    given = os.environ.get("LABORCHECK_TEST_PG_URL")
    if given:
        yield given
        return
    directory = tempfile.mkdtemp(prefix="laborcheck-pg-")
    try:
        started = subprocess.run(
            [str(PG_SCRIPT), "start", directory], capture_output=True, text=True, check=False, timeout=120
        )
        if started.returncode != 0:
            raise RuntimeError(f"could not start PostgreSQL for the tests: {started.stderr or started.stdout}")
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(PG_SCRIPT), "stop", directory], capture_output=True, check=False, timeout=60)
        shutil.rmtree(directory, ignore_errors=True)


DOCS = Path(__file__).resolve().parents[1] / "docs"


def _files(root: Path) -> dict[str, tuple[int, int]]:
    return {str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns) for path in root.rglob("*")}


@pytest.fixture(scope="session", autouse=True)
def docs_stay_untouched() -> Iterator[None]:
    """Tests never write tracked files under docs/ (screenshots are made by ``make screenshots``)."""
    before = _files(DOCS)
    yield
    after = _files(DOCS)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"tests wrote under docs/: {changed}"


@pytest.fixture(scope="session", autouse=True)
def session_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FileKeyring]:
    """The suite's keyring: a persistent file-backed double (``tests/keyrings.py``), chosen explicitly.

    Module- and session-scoped fixtures are set up before any test's own keyring: they get this one too, and the
    data keys of their directories stay in the file for the later tests that reopen them.
    """
    path = tmp_path_factory.mktemp("keyring") / "keyring.json"
    os.environ[KEYRING_ENV] = str(path)
    previous = keyring.get_keyring()
    backend = FileKeyring(path)
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
        os.environ.pop(KEYRING_ENV, None)


@pytest.fixture(autouse=True)
def suite_keyring(session_keyring: FileKeyring) -> Iterator[FileKeyring]:
    """A keyring for every test, empty but for the data keys of directories made earlier: data keys are wrapped
    by keys kept there, so no test pays for Argon2 (tests of the passphrase path pass small Argon2 parameters
    and a ``fail`` keyring explicitly)."""
    session_keyring.forget(keep_service=DATA_KEY_SERVICE)
    keyring.set_keyring(session_keyring)
    try:
        yield session_keyring
    finally:
        keyring.set_keyring(session_keyring)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "data")
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def coordinator(ws: Workspace) -> Coordinator:
    with ws.db.session() as session:
        return save_profile(
            session,
            ProfileInput(
                name="李明",
                device_code="A3",
                badge_no="DC-0107",
                organisation="达川区人力资源和社会保障局",
                district="达川区",
                issuing_body="达州市达川区协调劳动关系三方办公室",
                notice_prefix="达川人社体检",
            ),
        )


def add_enterprise(
    ws: Workspace, name: str = "达州恒达机械制造有限公司", body: str = "91511703MA62XXXX0", **facts: object
) -> Enterprise:
    with ws.db.session() as session:
        return create_enterprise(
            session,
            EnterpriseInput(uscc=make_uscc(body), name=name, industry="制造业", address="达川区三里坪街道", **facts),  # type: ignore[arg-type]
        )


@pytest.fixture
def enterprise(ws: Workspace) -> Enterprise:
    return add_enterprise(ws, headcount=120, contact_name="王芳", contact_phone="0818-2345678")
