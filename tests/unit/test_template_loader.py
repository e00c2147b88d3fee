"""The template loader points at the file and line of every problem, in plain words, and reports them all.

Each test breaks a copy of the shipped templates in one way and checks the exact issue: file name, line number
(found by searching the broken file, so the test does not depend on where an item happens to sit) and message.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.checklists.loader import (
    TemplateIssue,
    TemplateLoadError,
    check_templates,
    default_template_dir,
    load_template_set,
)
from core.checklist_schema import Item, ModuleTemplate, TemplateSet


@pytest.fixture
def templates_dir(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(default_template_dir(), target)
    return target


def replace_once(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {file.name}"
    file.write_text(text.replace(old, new), encoding="utf-8")


def line_of(file: Path, text: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the ``occurrence``-th appearance of ``text``."""
    found = [number for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return found[occurrence - 1]


def only_issue(directory: Path) -> TemplateIssue:
    issues = check_templates(directory)
    assert len(issues) == 1, [str(issue) for issue in issues]
    return issues[0]


# ------------------------------------------------------------------------------------------------ YAML level


def test_bad_indentation_is_a_yaml_syntax_error_at_its_line(templates_dir: Path) -> None:
    hours = templates_dir / "hours.yaml"
    replace_once(hours, "    text: 保证劳动者每周至少休息一日", "     text: 保证劳动者每周至少休息一日")
    issue = only_issue(templates_dir)
    assert issue.file == hours
    assert issue.line == line_of(hours, "text: 保证劳动者每周至少休息一日")
    assert issue.message == "YAML syntax error: mapping values are not allowed here"
    assert str(issue) == f"hours.yaml:{issue.line}: YAML syntax error: mapping values are not allowed here"


def test_a_python_tag_is_reported_at_its_line_and_never_executed(templates_dir: Path, tmp_path: Path) -> None:
    wage = templates_dir / "wage.yaml"
    marker = tmp_path / "executed"
    version = next(line for line in wage.read_text(encoding="utf-8").splitlines() if line.startswith("version: "))
    replace_once(wage, version, f'version: !!python/object/apply:os.mkdir ["{marker}"]')
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (wage, line_of(wage, "!!python/object"))
    assert issue.message == ("YAML tag '!!python/object/apply:os.mkdir' is not allowed: templates hold plain data only")
    assert not marker.exists()


def test_a_python_tag_on_a_mapping_is_refused_too(templates_dir: Path) -> None:
    laws = templates_dir / "laws.yaml"
    replace_once(laws, "  - id: ldhtf\n", "  - !!python/object:types.SimpleNamespace\n    id: ldhtf\n")
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (laws, line_of(laws, "!!python/object"))
    assert "'!!python/object:types.SimpleNamespace' is not allowed" in issue.message


def test_a_duplicated_yaml_key_names_both_lines(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(
        contract, "    text: 劳动合同具备法定必备条款\n", "    text: 劳动合同具备法定必备条款\n    text: 又一个\n"
    )
    issue = only_issue(templates_dir)
    first = line_of(contract, "text: 劳动合同具备法定必备条款")
    assert (issue.file, issue.line) == (contract, first + 1)
    assert issue.message == f"duplicate key 'text' (first given at line {first})"


@pytest.mark.timeout(30)
def test_nested_yaml_aliases_are_not_expanded_exponentially(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    levels = ["x0: &a0 [a, a, a, a, a, a, a, a, a, a]"]
    levels += [f"x{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 30)]
    contract.write_text(contract.read_text(encoding="utf-8") + "\n".join(levels) + "\n", encoding="utf-8")
    issues = check_templates(templates_dir)  # 10**30 leaves if every alias were copied
    assert [issue.message for issue in issues] == [f"unknown key 'x{n}'" for n in range(30)]


def test_a_recursive_yaml_alias_is_an_error(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    contract.write_text(contract.read_text(encoding="utf-8") + "loop: &loop [*loop]\n", encoding="utf-8")
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line, issue.message) == (contract, line_of(contract, "loop:"), "recursive YAML alias")


def test_an_empty_module_file_is_reported(templates_dir: Path) -> None:
    (templates_dir / "platform.yaml").write_text("# nothing yet\n", encoding="utf-8")
    issue = only_issue(templates_dir)
    assert str(issue) == "platform.yaml:1: file is empty"


# ---------------------------------------------------------------------------------------------- schema level


def test_an_unknown_key_is_reported_at_its_line_with_the_item_id(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(
        contract, "  - id: CONTRACT-03\n    kind: check\n", "  - id: CONTRACT-03\n    kind: check\n    colour: red\n"
    )
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (contract, line_of(contract, "colour: red"))
    assert issue.message == "item CONTRACT-03: unknown key 'colour'"


def test_a_check_item_without_severity_is_reported_at_the_item(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(
        contract, "    severity: 中\n    requirement: >-\n      纠正超过", "    requirement: >-\n      纠正超过"
    )
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (contract, line_of(contract, "- id: CONTRACT-05"))
    assert issue.message == "item CONTRACT-05: check item is missing 'severity'"


def test_a_check_item_without_a_finding_statement_is_refused_at_the_item(templates_dir: Path) -> None:
    hours = templates_dir / "hours.yaml"
    replace_once(
        hours,
        "    finding:\n      - zh: 经查，你单位安排劳动者的工作时间超过国家规定的标准工时。\n"
        '        en: "The inspection found working hours beyond the national standard working hours."\n',
        "",
    )
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (hours, line_of(hours, "- id: HOURS-01"))
    assert issue.message == "item HOURS-01: check item is missing 'finding'"


def test_every_item_kind_needs_a_title_and_a_finding_statement(templates_dir: Path) -> None:
    wage = templates_dir / "wage.yaml"
    replace_once(wage, "    title: 欠薪风险预警\n", "")
    replace_once(
        wage,
        "    finding:\n      - zh: 经查，你单位存在欠薪风险信号。\n"
        '        en: "The inspection found signs of a risk of wage arrears."\n',
        "",
    )
    messages = sorted(issue.message for issue in check_templates(templates_dir))
    assert messages == [
        "item WAGE-09: missing 'finding': the statement of what was found that the notice prints",
        "item WAGE-09: missing 'title' (the item's short name in summaries and on screens)",
    ]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("经查，你单位未签合同，或者未交付文本。", "statement states alternatives ('或者')"),
        ("经查，你单位（差额（每月）100元）未支付。", "statement has brackets inside brackets"),
        ("经查，你单位有{nobody}名劳动者未订立书面劳动合同。", "placeholder 'nobody' is not an input"),
        ("经查，你单位有{has_union:money}名劳动者未订立书面劳动合同。", "placeholder 'has_union' is a yes/no value"),
        ("经查，你单位有{employees_without_contract:dollars}名。", "is not {name} or {name:money}"),
        ("经查，你单位未订立书面劳动合同", "statement must be one sentence ending with 。"),
    ],
)
def test_check_templates_refuses_a_statement_that_does_not_state_one_fact(
    templates_dir: Path, statement: str, message: str
) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(
        contract, "        zh: 经查，你单位有{without_contract}名劳动者未订立书面劳动合同。", f"        zh: {statement}"
    )
    messages = [issue.message for issue in check_templates(templates_dir)]
    assert any(message in text for text in messages), messages


def test_the_last_statement_is_an_unconditional_fallback(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(
        contract,
        "      - zh: 经查，你单位未与全部劳动者订立书面劳动合同。",
        '      - when: "employees_without_contract > 3"\n        zh: 经查，你单位未与全部劳动者订立书面劳动合同。',
    )
    issue = only_issue(templates_dir)
    assert issue.message == "item CONTRACT-01: the last statement is the fallback: it takes no 'when'"


def test_a_missing_required_key_names_the_key(templates_dir: Path) -> None:
    dispatch = templates_dir / "dispatch.yaml"
    replace_once(dispatch, "title_en: Labor dispatch\n", "")
    issue = only_issue(templates_dir)
    assert str(issue) == "dispatch.yaml:1: missing required key 'title_en'"


def test_an_invalid_severity_says_what_is_allowed(templates_dir: Path) -> None:
    hours = templates_dir / "hours.yaml"
    replace_once(hours, "    severity: 高\n", "    severity: 极高\n")
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (hours, line_of(hours, "severity: 极高"))
    assert issue.message == "item HOURS-03: severity: Input should be '高', '中' or '低' (got '极高')"


def test_an_article_in_arabic_numerals_is_refused(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(contract, "{law: ldhtf, article: 第十条}", "{law: ldhtf, article: 第10条}")
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (contract, line_of(contract, "第10条"))
    assert issue.message == (
        "item CONTRACT-01: basis[0].article: '第10条' is not valid: "
        "write the article in Chinese numerals as the statute does, e.g. 第八十二条 or 第四十一条第一款"
    )


def test_a_negative_deadline_is_refused(templates_dir: Path) -> None:
    sitepay = templates_dir / "sitepay.yaml"
    replace_once(
        sitepay,
        "    deadline: {days: 5, working: true}\n\n  - id: SITEPAY-07",
        "    deadline: {days: -5, working: true}\n\n  - id: SITEPAY-07",
    )
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (sitepay, line_of(sitepay, "days: -5"))
    assert issue.message == "item SITEPAY-06: deadline.days: Input should be greater than or equal to 0 (got -5)"


# -------------------------------------------------------------------------------------------- cross-checks


def test_an_unknown_law_is_reported_at_the_basis_entry(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(
        contract, "{law: ldhtf, article: 第十六条、第八十一条}", "{law: ldhtff, article: 第十六条、第八十一条}"
    )
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (contract, line_of(contract, "ldhtff"))
    assert issue.message == "item CONTRACT-04: unknown law 'ldhtff' in basis"


def test_an_expression_that_does_not_parse_names_the_field_and_column(templates_dir: Path) -> None:
    dispatch = templates_dir / "dispatch.yaml"
    replace_once(
        dispatch,
        '    applies_if: "uses_dispatch"\n\n  - id: DISPATCH-03',
        '    applies_if: "uses_dispatch)"\n\n  - id: DISPATCH-03',
    )
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (dispatch, line_of(dispatch, '"uses_dispatch)"'))
    assert issue.message == "item DISPATCH-02: applies_if: unexpected ')' at column 14"


def test_a_rule_that_does_not_parse_is_reported_at_the_rule_line(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(
        contract,
        'noncompliant_if: "employees_without_contract > 0"',
        'noncompliant_if: "employees_without_contract >"',
    )
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (contract, line_of(contract, 'noncompliant_if: "employees_without_contract >"'))
    assert issue.message == "item CONTRACT-01: rule.noncompliant_if: unexpected end of input at column 29"


def test_an_undeclared_input_name_is_reported(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(contract, "double_wage_months(months_without_contract)", "double_wage_months(months_unsigned)")
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (contract, line_of(contract, "months_unsigned"))
    assert issue.message == (
        "item CONTRACT-02: rule.figures[0].expr: unknown name 'months_unsigned' (not a declared input or derived value)"
    )


def test_a_duplicate_item_id_points_at_both_items(templates_dir: Path) -> None:
    contract = templates_dir / "contract.yaml"
    replace_once(contract, "  - id: CONTRACT-11", "  - id: CONTRACT-10")
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (contract, line_of(contract, "- id: CONTRACT-10", occurrence=2))
    first = line_of(contract, "- id: CONTRACT-10")
    assert issue.message == f"item CONTRACT-10: duplicate item id (first defined at line {first})"


def test_an_item_id_must_carry_its_module_code(templates_dir: Path) -> None:
    wage = templates_dir / "wage.yaml"
    replace_once(wage, "  - id: WAGE-05", "  - id: HOURS-55")
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (wage, line_of(wage, "- id: HOURS-55"))
    assert issue.message == "item HOURS-55: id must start with 'WAGE-'"


def test_a_derived_value_may_not_use_a_later_one(templates_dir: Path) -> None:
    inputs = templates_dir / "inputs.yaml"
    replace_once(inputs, 'expr: "laid_off > 0"', 'expr: "laid_off > 0 and uses_dispatch"')
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (inputs, line_of(inputs, 'uses_dispatch"'))
    assert issue.message == "derived has_layoff: expr: name 'uses_dispatch' is used before it is defined"


def test_a_condition_that_gives_a_number_is_refused(templates_dir: Path) -> None:
    protect = templates_dir / "protect.yaml"
    replace_once(protect, 'applies_if: "has_minors"', 'applies_if: "headcount"')
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (protect, line_of(protect, 'applies_if: "headcount"'))
    assert issue.message == "item PROTECT-02: applies_if: must be a yes/no condition, but it gives a number"


def test_arithmetic_on_a_yes_no_input_is_refused(templates_dir: Path) -> None:
    collective = templates_dir / "collective.yaml"
    replace_once(
        collective, 'suggest_if: "has_union or headcount >= 100"', 'suggest_if: "has_union + headcount >= 100"'
    )
    issue = only_issue(templates_dir)
    assert (issue.file, issue.line) == (collective, line_of(collective, "suggest_if"))
    assert issue.message.startswith("module COLLECTIVE: suggest_if: ")
    assert "是/否" in issue.message


def test_a_module_file_must_be_named_after_its_code(templates_dir: Path) -> None:
    (templates_dir / "platform.yaml").rename(templates_dir / "gig.yaml")
    issue = only_issue(templates_dir)
    assert str(issue) == "gig.yaml:1: module PLATFORM: file should be named platform.yaml"


def test_a_missing_registry_file_is_reported_without_a_flood_of_unknown_laws(templates_dir: Path) -> None:
    (templates_dir / "laws.yaml").unlink()
    issue = only_issue(templates_dir)
    assert (issue.file.name, issue.line, issue.message) == ("laws.yaml", 1, "required file is missing")


def test_a_broken_inputs_file_does_not_make_every_condition_unknown(templates_dir: Path) -> None:
    inputs = templates_dir / "inputs.yaml"
    replace_once(
        inputs,
        "    type: boolean\n  - id: is_construction_project",
        "    type: yes-no\n  - id: is_construction_project",
    )
    issues = check_templates(templates_dir)
    assert [(issue.file.name, issue.line) for issue in issues] == [("inputs.yaml", line_of(inputs, "type: yes-no"))]


# ----------------------------------------------------------------------------------------- all issues at once


def test_all_problems_in_all_files_are_reported_in_one_pass(templates_dir: Path) -> None:
    replace_once(templates_dir / "contract.yaml", "{law: ldhtf, article: 第十条}", "{law: nosuchlaw, article: 第十条}")
    replace_once(templates_dir / "wage.yaml", "    severity: 低\n    requirement: 将当地", "    requirement: 将当地")
    replace_once(templates_dir / "platform.yaml", 'suggest_if: "is_platform"', 'suggest_if: "is_platfrom"')
    issues = check_templates(templates_dir)
    assert [issue.file.name for issue in issues] == ["contract.yaml", "platform.yaml", "wage.yaml"]
    with pytest.raises(TemplateLoadError) as raised:
        load_template_set(templates_dir)
    assert raised.value.issues == issues
    assert str(raised.value).splitlines() == [str(issue) for issue in issues]
    assert str(raised.value).splitlines()[0].startswith("contract.yaml:")


def test_loading_a_missing_directory_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    issues = check_templates(tmp_path / "nowhere")
    assert [issue.message for issue in issues] == ["template directory does not exist"]


# ------------------------------------------------------------------------------ the models refuse on their own


def test_a_template_set_with_an_unknown_law_cannot_be_constructed() -> None:
    good = load_template_set(default_template_dir())
    with pytest.raises(ValidationError, match="unknown law 'ldhtf'"):
        TemplateSet(
            laws=tuple(law for law in good.laws if law.id != "ldhtf"),
            inputs=good.inputs,
            derived=good.derived,
            modules=good.modules,
        )


def test_a_module_with_a_broken_expression_cannot_be_constructed() -> None:
    module = load_template_set(default_template_dir()).module("DISPATCH")
    data = module.model_dump(mode="json")
    data["items"][0]["applies_if"] = "uses_dispatch and"
    with pytest.raises(ValidationError, match=r"item DISPATCH-01: applies_if: unexpected end of input at column 18"):
        ModuleTemplate.model_validate(data)


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("check", {}, "check item is missing 'severity', 'requirement', 'deadline', 'finding', 'basis'"),
        (
            "check",
            {"severity": "高", "requirement": "整改。", "deadline": {"days": 5}, "basis": [{"law": "ldhtf"}]},
            r"check item is missing 'finding' \[type=value_error",
        ),
        ("signal", {"deadline": {"days": 5}}, "signal item cannot have 'deadline'"),
        ("computed", {"severity": "高"}, "computed item cannot have 'severity'"),
        ("computed", {"problem": "存在问题"}, "computed item cannot have 'problem'"),
        ("computed", {}, "computed item needs a rule with figures"),
    ],
)
def test_each_item_kind_carries_only_what_it_needs(kind: str, extra: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Item.model_validate({"id": "WAGE-99", "kind": kind, "text": "测试"} | extra)


def test_figure_ids_are_unique_within_an_item() -> None:
    figure = {"id": "share", "label": "比例", "expr": "1"}
    with pytest.raises(ValidationError, match="figure id 'share' is used twice"):
        Item.model_validate(
            {"id": "LAYOFF-99", "kind": "computed", "text": "测试", "rule": {"figures": [figure, figure]}}
        )
