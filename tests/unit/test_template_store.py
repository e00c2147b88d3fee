"""Template versions: publishing a new version never changes an audit made with an older one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from app.audit.template_store import TemplateConflict, current_templates, install_template_set
from app.audit.visits import item_states, start_audit
from app.checklists.loader import default_template_dir, load_template_set
from app.models import Coordinator, Enterprise
from app.services.workspace import Workspace, install_packaged_templates
from tests.conftest import VISIT_DAY

NEW_TEXT = "劳动合同具备法定必备条款（新版表述）"
PACKAGED_CONTRACT_VERSION = 3


def _edited_templates(tmp_path: Path, *, bump: bool) -> Path:
    directory = tmp_path / "templates"
    shutil.copytree(default_template_dir(), directory)
    path = directory / "contract.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.strip().startswith("text: 劳动合同具备"))
    text = text.replace(old, old.split("text:")[0] + f"text: {NEW_TEXT}")
    if bump:
        current = int(re.search(r"^version: (\d+)$", text, re.MULTILINE).group(1))  # type: ignore[union-attr]
        text = re.sub(r"^version: \d+$", f"version: {current + 1}", text, count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    return directory


def _text_of(ws: Workspace, audit_id: str, item_id: str) -> str:
    with ws.db.session() as session:
        return next(s.item.text for s in item_states(session, audit_id) if s.item.id == item_id)


def test_new_version_reaches_new_audits_and_leaves_old_ones(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, tmp_path: Path
) -> None:
    with ws.db.session() as session:
        old = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT"],
        )
    with ws.db.session() as session:
        install_template_set(session, load_template_set(_edited_templates(tmp_path, bump=True)))
    with ws.db.session() as session:
        contract = next(t for t in current_templates(session) if t.module.module == "CONTRACT")
        assert contract.module.version == PACKAGED_CONTRACT_VERSION + 1
        new = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT"],
        )
    assert _text_of(ws, new.id, "CONTRACT-03") == NEW_TEXT
    assert _text_of(ws, old.id, "CONTRACT-03") != NEW_TEXT


def test_changed_content_under_the_same_version_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with ws.db.session() as session, pytest.raises(TemplateConflict, match="版本号"):
        install_template_set(session, load_template_set(_edited_templates(tmp_path, bump=False)))


def test_installing_the_packaged_templates_again_adds_nothing(ws: Workspace) -> None:
    assert install_packaged_templates(ws.db) == 0
