"""A published template can never break the laptops: the server refuses what a laptop could not use, and a laptop
that receives one anyway keeps the version it has, says so, reports it, and still starts visits.

Through the real server (SQLite and PostgreSQL) and real laptops: ``laborcheck export-templates`` snapshots, the
office's ``laborcheck-server template publish``, ``laborcheck sync`` and the visit services.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.audit.template_store import current_templates
from app.audit.visits import start_audit
from app.checklists.loader import default_template_dir, load_template_set
from app.cli import main as laptop_main
from app.models import Coordinator, Template, TemplateRejection
from app.services.workspace import open_workspace
from app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from app.sync.service import sync_status
from core.template_check import content_hash
from server.admin import ADMIN_WRITER, new_id
from server.cli import main as server_main
from server.db import ServerDatabase
from server.feed import put_record
from server.models import ConflictEntry, Record
from tests.sync._helpers import do_sync, first_enterprise
from tests.sync.conftest import PASSWORD, District

BROKEN_RULE = "x >>"
SHIPPED = {module.module: module.version for module in load_template_set(default_template_dir()).modules}
"""The version of each module this build ships: the office publishes the next one."""


def _file(module: str) -> str:
    """The file ``laborcheck export-templates`` writes for the shipped version of ``module``."""
    return f"{module}-v{SHIPPED[module]}.json"


def _export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    directory = tmp_path / "snapshots"
    assert laptop_main(["export-templates", str(directory)]) == 0
    capsys.readouterr()
    return directory


def _edit(path: Path, change: Any) -> dict[str, Any]:
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    change(snapshot)
    path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1), encoding="utf-8")
    return snapshot  # type: ignore[no-any-return]


def _broken_v3(snapshot: dict[str, Any]) -> None:
    """The hand edit the office made: a rule that does not parse, published as the next CONTRACT version."""
    snapshot["module"]["version"] = SHIPPED["CONTRACT"] + 1
    item = next(item for item in snapshot["module"]["items"] if item["id"] == "CONTRACT-01")
    item["rule"]["noncompliant_if"] = BROKEN_RULE


def _edited_packaged(snapshot: dict[str, Any]) -> None:
    """Other content under the packaged version number."""
    snapshot["module"]["items"][2]["requirement"] += "（区办补充）"


def _server_templates(db: ServerDatabase) -> list[str]:
    with db.session() as session:
        return sorted(
            str(record.natural_key) for record in session.scalars(select(Record).where(Record.entity == "template"))
        )


def test_publish_refuses_a_broken_rule_naming_the_file_the_item_and_the_reason(
    district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshots = _export(tmp_path, capsys)
    _edit(snapshots / _file("CONTRACT"), _broken_v3)
    before = _server_templates(district.db)

    assert server_main(["template", "publish", "--database-url", district.server.settings.database_url, str(snapshots)])
    err = capsys.readouterr().err
    assert _file("CONTRACT") in err
    assert "item CONTRACT-01: rule.noncompliant_if:" in err
    assert "module.items[0].rule.noncompliant_if" in err
    assert "未发布任何版本" in err
    assert _server_templates(district.db) == before  # nothing of the directory was published


def test_publish_refuses_other_content_under_a_packaged_version_never_published(
    district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshots = _export(tmp_path, capsys)
    for other in snapshots.glob("*.json"):
        if other.name != _file("CONTRACT"):
            other.unlink()
    _edit(snapshots / _file("CONTRACT"), _edited_packaged)
    assert f"CONTRACT:{SHIPPED['CONTRACT']}" not in _server_templates(district.db)

    assert server_main(["template", "publish", "--database-url", district.server.settings.database_url, str(snapshots)])
    err = capsys.readouterr().err
    assert _file("CONTRACT") in err
    assert "软件内置的版本" in err
    assert "提高版本号" in err
    assert f"CONTRACT:{SHIPPED['CONTRACT']}" not in _server_templates(district.db)

    _edit(snapshots / _file("CONTRACT"), lambda snapshot: snapshot["module"].update(version=SHIPPED["CONTRACT"] + 1))
    database = district.server.settings.database_url
    assert server_main(["template", "publish", "--database-url", database, str(snapshots)]) == 0
    assert f"CONTRACT:{SHIPPED['CONTRACT'] + 1}" in _server_templates(district.db)


def _item(snapshot: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(item for item in snapshot["module"]["items"] if item["id"] == item_id)  # type: ignore[no-any-return]


STATEMENT_EDITS: dict[str, tuple[Any, str]] = {
    _file("CONTRACT"): (
        lambda s: _item(s, "CONTRACT-03")["finding"][-1].update(
            zh="经查，你单位劳动合同缺少必备条款，或者未约定劳动报酬。"
        ),
        "module.items[2].finding[0].zh：item CONTRACT-03: statement states alternatives ('或者')",
    ),
    _file("WAGE"): (
        lambda s: _item(s, "WAGE-01").pop("title"),
        "module.items[0].id：item WAGE-01: missing 'title'",
    ),
    _file("HOURS"): (
        lambda s: _item(s, "HOURS-02")["finding"][-1].update(
            zh="经查，你单位未保证劳动者（部分（夜班））每周休息一日。"
        ),
        # the wage check's statement comes first, the edited fallback is the second
        "module.items[1].finding[1].zh：item HOURS-02: statement has brackets inside brackets",
    ),
    _file("INSURANCE"): (
        lambda s: s["module"]["items"][0]["finding"][-1].update(zh="经查，你单位有{somebody}名职工未参保。"),
        "item INSURANCE-01: placeholder 'somebody' is not an input",
    ),
    _file("DEMOCRACY"): (
        lambda s: s["module"]["items"][0]["finding"][-1].update(when="headcount > 0"),
        "item DEMOCRACY-01: the last statement is the fallback: it takes no 'when'",
    ),
}


def test_publish_refuses_statements_that_break_the_template_rules_naming_file_item_and_reason(
    district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The rules check-templates applies to the YAML (a title and finding statements for every item, one fact
    each) are the server's rules too: each broken file is named with its item and reason, none is published."""
    snapshots = _export(tmp_path, capsys)
    for name, (change, _reason) in STATEMENT_EDITS.items():
        _edit(
            snapshots / name,
            lambda snapshot, change=change: (
                change(snapshot),
                snapshot["module"].update(version=snapshot["module"]["version"] + 1),
            ),
        )
    before = _server_templates(district.db)

    assert server_main(["template", "publish", "--database-url", district.server.settings.database_url, str(snapshots)])
    err = capsys.readouterr().err
    assert "未发布任何版本" in err
    for name, (_change, reason) in STATEMENT_EDITS.items():
        assert any(line.startswith(f"{name}：") and reason in line for line in err.splitlines()), (name, err)
    assert _server_templates(district.db) == before


def _publish_unchecked(db: ServerDatabase, snapshot: dict[str, Any]) -> str:
    """What a server published before it checked snapshots (and what an older server may still send)."""
    entity_id = new_id()
    module = snapshot["module"]
    with db.session() as session:
        put_record(
            session,
            entity="template",
            entity_id=entity_id,
            data={
                "id": entity_id,
                "module": module["module"],
                "version": module["version"],
                "title": module["title"],
                "content_hash": content_hash(snapshot),
                "content": snapshot,
            },
            writer=ADMIN_WRITER,
            district_id=None,
            natural_key=f"{module['module']}:{module['version']}",
        )
    return entity_id


def _start_contract_visit(ws: Any) -> list[tuple[str, int]]:
    with ws.db.session() as session:
        coordinator = session.scalars(select(Coordinator)).one()
        audit = start_audit(
            session,
            enterprise_id=first_enterprise(ws),
            coordinator_id=coordinator.id,
            visit_date=dt.date(2026, 11, 10),
            modules=["CONTRACT", "WAGE"],
        )
        pinned = [(module.module, session.get_one(Template, module.template_id).version) for module in audit.modules]
        return sorted(pinned)


def _office_conflicts(district: District) -> list[dict[str, Any]]:
    with httpx.Client(base_url=district.server.url, headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)}) as client:
        token = client.post(
            "/auth/sign-in", json={"username": "office", "password": PASSWORD, "device_id": "office-browser"}
        ).json()["token"]
        answer = client.get("/conflicts", headers={"Authorization": f"Bearer {token}"})
        answer.raise_for_status()
        return [row for row in answer.json()["conflicts"] if row["entity"] == "template"]


@pytest.mark.parametrize("edit", ["broken rule, next version", "edited packaged version"])
def test_a_laptop_keeps_its_version_of_an_unusable_template_says_so_reports_it_and_starts_visits(
    edit: str,
    district: District,
    laptop: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    snapshots = _export(tmp_path, capsys)
    bad = _edit(snapshots / _file("CONTRACT"), _broken_v3 if edit.startswith("broken") else _edited_packaged)
    version = bad["module"]["version"]
    entity_id = _publish_unchecked(district.db, bad)
    ws = laptop("李明")
    data = str(ws.paths.root)
    ws.close()

    code = _sync_cli(data)
    out = capsys.readouterr().out
    assert code == 0
    assert f"检查表 CONTRACT 第 {version} 版无法使用，本机继续使用第 {SHIPPED['CONTRACT']} 版，已报告区办" in out

    ws = open_workspace(data)
    try:
        with ws.db.session() as session:
            versions = {(row.module, row.version) for row in session.scalars(select(Template))}
            assert ("CONTRACT", SHIPPED["CONTRACT"]) in versions
            assert edit.startswith("edited") or ("CONTRACT", version) not in versions
            assert {t.module.module: t.module.version for t in current_templates(session)}["CONTRACT"] == SHIPPED[
                "CONTRACT"
            ]
            rejection = session.scalars(select(TemplateRejection)).one()
            assert rejection.reported_at is not None
            status = sync_status(session)
            assert [(entry.module, entry.version, entry.kept_version) for entry in status.unusable_templates] == [
                ("CONTRACT", version, SHIPPED["CONTRACT"])
            ]
        assert _start_contract_visit(ws) == [("CONTRACT", SHIPPED["CONTRACT"]), ("WAGE", SHIPPED["WAGE"])]
        do_sync(ws, "li")  # a later sync reports nothing twice
    finally:
        ws.close()

    reports = _office_conflicts(district)
    assert len(reports) == 1
    assert reports[0]["entity_id"] == entity_id
    assert f"CONTRACT v{version}" in reports[0]["server_value"]
    assert f"第 {SHIPPED['CONTRACT']} 版" in reports[0]["resolution"]
    expected = "item CONTRACT-01: rule.noncompliant_if:" if edit.startswith("broken") else "软件内置的版本"
    assert expected in reports[0]["proposed_value"]
    with district.db.session() as session:
        assert len(session.scalars(select(ConflictEntry).where(ConflictEntry.entity == "template")).all()) == 1


def _sync_cli(data: str) -> int:
    """``laborcheck sync --user li --password-stdin`` with the password on standard input."""
    stdin = sys.stdin
    sys.stdin = io.StringIO(PASSWORD + "\n")
    try:
        return laptop_main(["sync", "--data-dir", data, "--user", "li", "--password-stdin"])
    finally:
        sys.stdin = stdin
