"""Fixtures that build real objects: a real data directory, database, blob store and templates in tmp_path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.profile import ProfileInput, save_profile
from app.audit.uscc import make_uscc
from app.audit.workspace import Workspace, open_workspace
from app.models import Coordinator, Enterprise

VISIT_DAY = dt.date(2026, 11, 10)


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
