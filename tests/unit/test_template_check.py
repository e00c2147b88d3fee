"""One set of template checks for YAML templates, JSON snapshots, the server and the laptops (core.template_check).

``laborcheck check-templates`` checks the exported snapshots the office publishes, with the checks the server
runs before publishing and the laptops before using a template; the packaged versions' content hashes are known
everywhere, so a version number names one content.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from app.audit.template_store import current_templates
from app.audit.visits import start_audit
from app.checklists.loader import default_template_dir, load_template_set, module_snapshot
from app.cli import main
from app.models import Coordinator, Enterprise, Setting, Template
from app.services.workspace import PACKAGED_DIGEST_KEY, Workspace, install_packaged_templates
from core.packaged_templates import PACKAGED_VERSIONS
from core.template_check import check_snapshot, content_hash, received_template_problems, version_conflict
from tests.conftest import VISIT_DAY


@pytest.fixture(scope="module")
def snapshots() -> dict[str, dict[str, Any]]:
    template_set = load_template_set(default_template_dir())
    return {module.module: module_snapshot(template_set, module.module) for module in template_set.modules}


def _contract(snapshots: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return copy.deepcopy(snapshots["CONTRACT"])


def _item(snapshot: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(item for item in snapshot["module"]["items"] if item["id"] == item_id)


def test_the_packaged_versions_table_knows_every_packaged_template(snapshots: dict[str, dict[str, Any]]) -> None:
    expected = {(code, snapshot["module"]["version"]): content_hash(snapshot) for code, snapshot in snapshots.items()}
    missing = {key: digest for key, digest in expected.items() if PACKAGED_VERSIONS.get(key) != digest}
    lines = "\n".join(f'    ("{module}", {version}): "{digest}",' for (module, version), digest in missing.items())
    assert not missing, (
        "a packaged template changed: give it a new version number and add to core/packaged_templates.py\n" + lines
    )


def test_every_packaged_snapshot_passes(snapshots: dict[str, dict[str, Any]]) -> None:
    for snapshot in snapshots.values():
        assert check_snapshot(snapshot) == []
        module = snapshot["module"]
        assert received_template_problems(module["module"], module["version"], content_hash(snapshot), snapshot) == []


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [
        (
            lambda s: _item(s, "CONTRACT-01")["rule"].update(noncompliant_if="x >>"),
            "module.items[0].rule.noncompliant_if",
            "item CONTRACT-01: rule.noncompliant_if: unexpected",
        ),
        (
            lambda s: _item(s, "CONTRACT-01")["rule"].update(noncompliant_if="no_such_input > 0"),
            "module.items[0].rule.noncompliant_if",
            "unknown name 'no_such_input'",
        ),
        (
            lambda s: s.update(laws=[law for law in s["laws"] if law["id"] != "ldhtf"]),
            "module.items[0].basis[0].law",
            "item CONTRACT-01: unknown law 'ldhtf' in basis",
        ),
        (
            lambda s: s["module"]["items"].append(copy.deepcopy(s["module"]["items"][0])),
            "module.items[11].id",
            "item CONTRACT-01: duplicate item id",
        ),
        (
            lambda s: _item(s, "CONTRACT-02").update(severity="极高"),
            "module.items[1].severity",
            "item CONTRACT-02: severity:",
        ),
        (
            lambda s: _item(s, "CONTRACT-02")["basis"][0].update(article="第82条"),
            "module.items[1].basis[0].article",
            "write the article in Chinese numerals",
        ),
        (lambda s: s.pop("laws"), "laws", "missing required key 'laws'"),
    ],
    ids=["syntax", "unknown name", "unknown law", "duplicate id", "schema", "article", "shape"],
)
def test_a_broken_snapshot_is_refused_naming_the_item_and_the_reason(
    snapshots: dict[str, dict[str, Any]], edit: Any, where: str, message: str
) -> None:
    snapshot = _contract(snapshots)
    edit(snapshot)
    problems = check_snapshot(snapshot)
    assert any(problem.where == where and message in problem.message for problem in problems), problems


def test_other_content_under_a_shipped_version_number_is_refused(snapshots: dict[str, dict[str, Any]]) -> None:
    snapshot = _contract(snapshots)
    _item(snapshot, "CONTRACT-03")["requirement"] += "（区办补充）"
    assert check_snapshot(snapshot) == []
    assert "软件内置的版本" in str(version_conflict("CONTRACT", 1, content_hash(snapshot)))
    assert version_conflict("CONTRACT", 2, content_hash(snapshot)) is None
    assert version_conflict("CONTRACT", 1, content_hash(snapshots["CONTRACT"])) is None


def _export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    directory = tmp_path / "snapshots"
    assert main(["export-templates", str(directory)]) == 0
    capsys.readouterr()
    return directory


def test_check_templates_passes_the_exported_snapshots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = _export(tmp_path, capsys)
    assert main(["check-templates", str(directory)]) == 0
    assert "无误" in capsys.readouterr().out


def test_check_templates_names_file_line_item_and_reason_in_a_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = _export(tmp_path, capsys)
    path = directory / "CONTRACT-v1.json"
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    snapshot["module"]["version"] = 3
    _item(snapshot, "CONTRACT-01")["rule"]["noncompliant_if"] = "x >>"
    text = json.dumps(snapshot, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    line = next(number for number, content in enumerate(text.splitlines(), 1) if '"x >>"' in content)

    assert main(["check-templates", str(directory)]) == 1
    out = capsys.readouterr().out
    assert f"CONTRACT-v1.json:{line}: item CONTRACT-01: rule.noncompliant_if:" in out
    assert "1 个错误" in out
    assert main(["check-templates", str(path)]) == 1  # one file works too
    assert "CONTRACT-v1.json" in capsys.readouterr().out


def test_check_templates_refuses_an_edited_packaged_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(tmp_path, capsys) / "CONTRACT-v1.json"
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    _item(snapshot, "CONTRACT-03")["requirement"] += "（区办补充）"
    path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1), encoding="utf-8")
    assert main(["check-templates", str(path)]) == 1
    assert "软件内置的版本" in capsys.readouterr().out


def test_an_unusable_stored_version_is_passed_over_and_visits_still_start(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, snapshots: dict[str, dict[str, Any]]
) -> None:
    """A laptop that took a broken v3 before laptops checked what they receive: v1 is used, the visit starts."""
    broken = _contract(snapshots)
    broken["module"]["version"] = 3
    _item(broken, "CONTRACT-01")["rule"]["noncompliant_if"] = "x >>"
    with ws.db.session() as session:
        session.add(
            Template(
                module="CONTRACT", version=3, title="劳动合同管理", content_hash=content_hash(broken), content=broken
            )
        )
    with ws.db.session() as session:
        assert {t.module.module: t.module.version for t in current_templates(session)}["CONTRACT"] == 1
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT"],
        )
        pinned = session.get_one(Template, audit.modules[0].template_id)
        assert (pinned.module, pinned.version) == ("CONTRACT", 1)


def test_a_packaged_version_taken_first_by_the_server_does_not_stop_the_start(
    ws: Workspace, snapshots: dict[str, dict[str, Any]]
) -> None:
    """A later build shipping a number the office used already: the laptop keeps the office's and starts."""
    office = copy.deepcopy(snapshots["WAGE"])
    office["module"]["items"][0]["requirement"] += "（区办版）"
    with ws.db.session() as session:
        session.execute(delete(Template).where(Template.module == "WAGE"))
        session.add(
            Template(module="WAGE", version=1, title="工资支付", content_hash=content_hash(office), content=office)
        )
        session.delete(session.get_one(Setting, PACKAGED_DIGEST_KEY))  # as after installing a new build
    assert install_packaged_templates(ws.db) == 0
    with ws.db.session() as session:
        wage = session.scalars(select(Template).where(Template.module == "WAGE")).one()
        assert wage.content_hash == content_hash(office)
