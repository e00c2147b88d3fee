"""One set of template checks for YAML templates, JSON snapshots, the server and the laptops (core.template_check).

``laborcheck check-templates`` checks the exported snapshots the office publishes, with the checks the server
runs before publishing and the laptops before using a template — the YAML loader's rules, the statement rules
(title, finding, one fact per statement) included; the packaged versions' content hashes are known everywhere,
so a version number names one content, and a version shipped before a rule existed stays usable.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from app.audit.template_store import current_templates, load_templates
from app.audit.visits import start_audit
from app.checklists.loader import default_template_dir, load_template_set, module_snapshot
from app.cli import main
from app.models import Coordinator, Enterprise, Setting, Template
from app.services.workspace import PACKAGED_DIGEST_KEY, Workspace, install_packaged_templates
from core.packaged_templates import PACKAGED_VERSIONS
from core.statements import choose_statement
from core.template_check import check_snapshot, content_hash, is_shipped, received_template_problems, version_conflict
from tests.conftest import VISIT_DAY

SHIPPED_V1 = Path(__file__).with_name("data") / "CONTRACT-v1.json"
"""CONTRACT v1 exactly as the app shipped it, before items had titles and finding statements."""
SHIPPED = load_template_set(default_template_dir()).module("CONTRACT").version
"""The CONTRACT version this build ships; an office publishes the next one."""
NEXT = SHIPPED + 1
WAGE_SHIPPED = load_template_set(default_template_dir()).module("WAGE").version


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
        assert check_snapshot(snapshot, trust_shipped=False) == []  # judged as if new: the shipping pass is no excuse
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


def _fallback(snapshot: dict[str, Any], item_id: str) -> dict[str, Any]:
    statement: dict[str, Any] = _item(snapshot, item_id)["finding"][-1]
    return statement


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [
        (
            lambda s: _item(s, "CONTRACT-03").pop("title"),
            "module.items[2].id",
            "item CONTRACT-03: missing 'title' (the item's short name in summaries and on screens)",
        ),
        (
            lambda s: _item(s, "CONTRACT-03").pop("finding"),
            "module.items[2]",
            "item CONTRACT-03: check item is missing 'finding'",
        ),
        (
            lambda s: _fallback(s, "CONTRACT-03").update(zh="经查，你单位劳动合同缺少必备条款，或者未约定劳动报酬。"),
            "module.items[2].finding[0].zh",
            "item CONTRACT-03: statement states alternatives ('或者')",
        ),
        (
            lambda s: _fallback(s, "CONTRACT-03").update(zh="经查，你单位劳动合同（部分（三份））缺少必备条款。"),
            "module.items[2].finding[0].zh",
            "item CONTRACT-03: statement has brackets inside brackets",
        ),
        (
            lambda s: _item(s, "CONTRACT-01")["finding"][0].update(
                zh="经查，你单位有{nobody}名劳动者未订立书面劳动合同。"
            ),
            "module.items[0].finding[0].zh",
            "item CONTRACT-01: placeholder 'nobody' is not an input, derived value, figure of this item or fact",
        ),
        (
            lambda s: _fallback(s, "CONTRACT-01").update(when="employees_without_contract > 3"),
            "module.items[0].finding[1].when",
            "item CONTRACT-01: the last statement is the fallback: it takes no 'when'",
        ),
    ],
    ids=["no title", "no finding", "alternatives", "nested brackets", "unknown placeholder", "conditional fallback"],
)
def test_a_snapshot_breaking_a_statement_rule_is_refused_naming_the_item_and_the_reason(
    snapshots: dict[str, dict[str, Any]], edit: Any, where: str, message: str
) -> None:
    """The rules check-templates applies to YAML (core.checklist_schema) hold for snapshots: one definition."""
    snapshot = _contract(snapshots)
    snapshot["module"]["version"] = NEXT
    edit(snapshot)
    problems = check_snapshot(snapshot)
    assert any(problem.where == where and problem.message.startswith(message) for problem in problems), problems
    refused = received_template_problems("CONTRACT", NEXT, content_hash(snapshot), snapshot)
    assert any(reason.startswith(message) for reason in refused), refused  # a laptop refuses it too


def test_facts_a_snapshot_declares_name_its_placeholders(snapshots: dict[str, dict[str, Any]]) -> None:
    """Statements filled by another source (payroll evidence) declare those values in the snapshot's facts."""
    snapshot = _contract(snapshots)
    snapshot["module"]["version"] = NEXT
    _item(snapshot, "CONTRACT-03")["finding"].insert(
        0,
        {
            "when": "contracts_missing_clauses > 0",
            "zh": "经查，你单位有{contracts_missing_clauses}份劳动合同缺少法定必备条款。",
            "en": "{contracts_missing_clauses} labour contracts lack clauses the law requires.",
        },
    )
    problems = [problem.message for problem in check_snapshot(snapshot)]
    assert any("placeholder 'contracts_missing_clauses' is not an input" in message for message in problems)
    snapshot["facts"] = [{"id": "contracts_missing_clauses", "label": "缺少必备条款的合同份数", "type": "integer"}]
    assert check_snapshot(snapshot) == []
    snapshot["facts"][0]["type"] = "colour"
    assert [problem.where for problem in check_snapshot(snapshot)] == ["facts[0].type"]


def test_the_shipped_v1_made_before_statements_stays_usable_and_an_edit_of_it_does_not() -> None:
    """Old audits pinned v1 and servers published it: it is known content. Edited, it is judged by today's rules."""
    shipped = json.loads(SHIPPED_V1.read_text(encoding="utf-8"))
    assert is_shipped(shipped)
    assert check_snapshot(shipped) == []
    assert received_template_problems("CONTRACT", 1, content_hash(shipped), shipped) == []
    assert "missing 'title'" in str(check_snapshot(shipped, trust_shipped=False)[0])  # the rule came later

    office = copy.deepcopy(shipped)
    office["module"]["version"] = NEXT  # an office's next version made from v1 before statements existed
    _item(office, "CONTRACT-03")["requirement"] += "（区办补充）"
    assert not is_shipped(office)
    messages = [problem.message for problem in check_snapshot(office)]
    assert "item CONTRACT-01: missing 'finding': the statement of what was found that the notice prints" in messages
    office["module"]["version"] = 1
    assert "软件内置的版本" in str(version_conflict("CONTRACT", 1, content_hash(office)))


def test_other_content_under_a_shipped_version_number_is_refused(snapshots: dict[str, dict[str, Any]]) -> None:
    snapshot = _contract(snapshots)
    _item(snapshot, "CONTRACT-03")["requirement"] += "（区办补充）"
    assert check_snapshot(snapshot) == []
    assert "软件内置的版本" in str(version_conflict("CONTRACT", SHIPPED, content_hash(snapshot)))
    assert "软件内置的版本" in str(version_conflict("CONTRACT", 1, content_hash(snapshot)))
    assert version_conflict("CONTRACT", NEXT, content_hash(snapshot)) is None
    assert version_conflict("CONTRACT", SHIPPED, content_hash(snapshots["CONTRACT"])) is None


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
    path = directory / f"CONTRACT-v{SHIPPED}.json"
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    snapshot["module"]["version"] = NEXT
    _item(snapshot, "CONTRACT-01")["rule"]["noncompliant_if"] = "x >>"
    text = json.dumps(snapshot, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    line = next(number for number, content in enumerate(text.splitlines(), 1) if '"x >>"' in content)

    assert main(["check-templates", str(directory)]) == 1
    out = capsys.readouterr().out
    assert f"CONTRACT-v{SHIPPED}.json:{line}: item CONTRACT-01: rule.noncompliant_if:" in out
    assert "1 个错误" in out
    assert main(["check-templates", str(path)]) == 1  # one file works too
    assert f"CONTRACT-v{SHIPPED}.json" in capsys.readouterr().out


def test_check_templates_refuses_an_edited_packaged_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(tmp_path, capsys) / f"CONTRACT-v{SHIPPED}.json"
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    _item(snapshot, "CONTRACT-03")["requirement"] += "（区办补充）"
    path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1), encoding="utf-8")
    assert main(["check-templates", str(path)]) == 1
    assert "软件内置的版本" in capsys.readouterr().out


def test_an_unusable_stored_version_is_passed_over_and_visits_still_start(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, snapshots: dict[str, dict[str, Any]]
) -> None:
    """A laptop that took a broken next version before laptops checked what they receive: the shipped one is used, the visit starts."""
    broken = _contract(snapshots)
    broken["module"]["version"] = NEXT
    _item(broken, "CONTRACT-01")["rule"]["noncompliant_if"] = "x >>"
    with ws.db.session() as session:
        session.add(
            Template(
                module="CONTRACT", version=NEXT, title="劳动合同管理", content_hash=content_hash(broken), content=broken
            )
        )
    with ws.db.session() as session:
        assert {t.module.module: t.module.version for t in current_templates(session)}["CONTRACT"] == SHIPPED
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT"],
        )
        pinned = session.get_one(Template, audit.modules[0].template_id)
        assert (pinned.module, pinned.version) == ("CONTRACT", SHIPPED)


def test_an_audit_keeps_a_version_made_before_statements_which_new_visits_pass_over(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    """An office's next version stored before the statement rules: the audit that pinned it still opens and prints its
    finding from 'problem'; a new visit uses the shipped version, the newest version that passes today's checks."""
    office = json.loads(SHIPPED_V1.read_text(encoding="utf-8"))
    office["module"]["version"] = NEXT
    with ws.db.session() as session:
        row = Template(
            module="CONTRACT", version=NEXT, title="劳动合同管理", content_hash=content_hash(office), content=office
        )
        session.add(row)
        session.flush()
        row_id = row.id
    with ws.db.session() as session:
        (pinned,) = load_templates(session, [row_id])
        assert pinned.module.version == NEXT
        statement = choose_statement(pinned.items["CONTRACT-01"], {"employees_without_contract": 2})
        assert statement.zh == "经查，你单位未与全部劳动者订立书面劳动合同。"
        assert {t.module.module: t.module.version for t in current_templates(session)}["CONTRACT"] == SHIPPED
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT"],
        )
        assert session.get_one(Template, audit.modules[0].template_id).version == SHIPPED


def test_a_packaged_version_taken_first_by_the_server_does_not_stop_the_start(
    ws: Workspace, snapshots: dict[str, dict[str, Any]]
) -> None:
    """A later build shipping a number the office used already: the laptop keeps the office's and starts."""
    office = copy.deepcopy(snapshots["WAGE"])
    office["module"]["items"][0]["requirement"] += "（区办版）"
    with ws.db.session() as session:
        session.execute(delete(Template).where(Template.module == "WAGE"))
        session.add(
            Template(
                module="WAGE", version=WAGE_SHIPPED, title="工资支付", content_hash=content_hash(office), content=office
            )
        )
        session.delete(session.get_one(Setting, PACKAGED_DIGEST_KEY))  # as after installing a new build
    assert install_packaged_templates(ws.db) == 0
    with ws.db.session() as session:
        wage = session.scalars(select(Template).where(Template.module == "WAGE")).one()
        assert wage.content_hash == content_hash(office)
