"""The shipped checklist templates: they load, they are complete, and they say what CHECKLISTS.md says.

Legal references are printed on official notices, so every item's citations are pinned here: changing an article
number in a template without changing this table fails a test.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from app.checklists.loader import (
    check_templates,
    content_hash,
    default_template_dir,
    load_template_set,
    module_snapshot,
)
from core.checklist_schema import Item, ModuleTemplate, TemplateSet, compile_expression
from core.expressions import evaluate
from core.statements import choose_statement

GZZF = "《工资支付暂行规定》（劳部发〔1994〕489号）"
GZSJ = "《国务院关于职工工作时间的规定》"
CYJS = "《企业经济性裁减人员规定》（劳部发〔1994〕447号）"
MZGL = "《企业民主管理规定》（总工发〔2012〕12号）"
XSTJ = "《企业劳动争议协商调解规定》"
NZG = "《女职工劳动保护特别规定》"
XJY56 = "《关于维护新就业形态劳动者劳动保障权益的指导意见》（人社部发〔2021〕56号）"
QLGX12 = "《关于确立劳动关系有关事项的通知》（劳社部发〔2005〕12号）"
SPBF = "《关于企业实行不定时工作制和综合计算工时工作制的审批办法》（劳部发〔1994〕503号）"
NMG = "《保障农民工工资支付条例》"

#: item id -> the citations printed on a notice, in order (CHECKLISTS.md, "legal references are facts").
CITATIONS: dict[str, list[str]] = {
    "CONTRACT-01": ["《劳动合同法》第十条"],
    "CONTRACT-02": ["《劳动合同法》第八十二条", "《劳动合同法实施条例》第六条、第七条"],
    "CONTRACT-03": ["《劳动合同法》第十七条、第八十一条"],
    "CONTRACT-04": ["《劳动合同法》第十六条、第八十一条"],
    "CONTRACT-05": ["《劳动合同法》第十九条、第八十三条"],
    "CONTRACT-06": ["《劳动合同法》第二十条"],
    "CONTRACT-07": ["《劳动合同法》第十四条、第八十二条第二款"],
    "CONTRACT-08": ["《劳动合同法》第七条", "《劳动合同法实施条例》第八条、第三十三条"],
    "CONTRACT-09": ["《劳动合同法》第九条、第八十四条"],
    "CONTRACT-10": ["《劳动合同法》第五十条"],
    "CONTRACT-11": ["《劳动合同法》第六十八条至第七十二条"],
    "WAGE-01": ["《劳动法》第五十条", f"{GZZF}第七条", "《劳动合同法》第三十条、第八十五条"],
    "WAGE-02": ["《劳动法》第五十条", f"{GZZF}第五条、第六条"],
    "WAGE-03": [f"{GZZF}第六条"],
    "WAGE-04": ["《劳动法》第四十八条", "《最低工资规定》第十二条"],
    "WAGE-05": ["《最低工资规定》第十一条"],
    "WAGE-06": ["《劳动法》第四十四条", f"{GZZF}第十三条"],
    "WAGE-07": [f"{GZZF}第十五条、第十六条"],
    "WAGE-08": ["《劳动合同法》第四条", f"{GZZF}第十七条"],
    "WAGE-09": [],
    "HOURS-01": [f"{GZSJ}第三条", "《劳动法》第三十六条"],
    "HOURS-02": ["《劳动法》第三十八条"],
    "HOURS-03": ["《劳动法》第四十一条、第九十条"],
    "HOURS-04": ["《劳动法》第三十九条", f"{GZSJ}第五条", SPBF],
    "HOURS-05": ["《职工带薪年休假条例》第三条、第五条、第七条"],
    "HOURS-06": ["《劳动法》第四十条"],
    "HOURS-07": ["《劳动争议调解仲裁法》第六条", f"{QLGX12}第二条"],
    "INSURANCE-01": ["《社会保险法》第五十八条、第八十四条"],
    "INSURANCE-02": ["《社会保险法》第六十条、第八十六条"],
    "INSURANCE-03": ["《社会保险法》第十二条、第六十条、第八十六条"],
    "INSURANCE-04": ["《工伤保险条例》第二条、第十条"],
    "INSURANCE-05": ["《社会保险法》第六十条第一款"],
    "LAYOFF-01": ["《劳动合同法》第四十一条第一款"],
    "LAYOFF-02": ["《劳动合同法》第四十一条第一款", f"{CYJS}第四条"],
    "LAYOFF-03": ["《劳动合同法》第四十一条第一款", f"{CYJS}第四条"],
    "LAYOFF-04": ["《劳动合同法》第四十一条第一款", f"{CYJS}第四条"],
    "LAYOFF-05": ["《劳动合同法》第四十一条第二款"],
    "LAYOFF-06": ["《劳动合同法》第四十二条"],
    "LAYOFF-07": ["《劳动合同法》第四十六条、第四十七条"],
    "LAYOFF-08": ["《劳动合同法》第四十一条第三款"],
    "LAYOFF-09": ["《劳动合同法》第四十三条"],
    "DEMOCRACY-01": ["《劳动合同法》第四条第二款"],
    "DEMOCRACY-02": ["《劳动合同法》第四条第四款"],
    "DEMOCRACY-03": ["《劳动合同法》第八十条"],
    "DEMOCRACY-04": [f"{MZGL}第三条", "《公司法》第十七条第二款"],
    "DEMOCRACY-05": [f"{MZGL}第三条", f"{XSTJ}第三条"],
    "DEMOCRACY-06": ["《工会法》第十一条第一款"],
    "DEMOCRACY-07": ["《劳动争议调解仲裁法》第十条", f"{XSTJ}第十三条"],
    "COLLECTIVE-01": [
        "《劳动合同法》第五十一条",
        "《集体合同规定》第三条、第八条、第九条",
        "《工会法》第二十一条第二款",
    ],
    "COLLECTIVE-02": ["《集体合同规定》第三十二条"],
    "COLLECTIVE-03": ["《劳动合同法》第五十一条", "《集体合同规定》第三十六条"],
    "COLLECTIVE-04": ["《集体合同规定》第四十二条", "《劳动合同法》第五十四条"],
    "COLLECTIVE-05": ["《集体合同规定》第三十八条至第四十一条"],
    "COLLECTIVE-06": ["《劳动合同法》第五十五条"],
    "PROTECT-01": ["《劳动法》第十五条", "《禁止使用童工规定》第二条、第四条"],
    "PROTECT-02": [
        "《劳动法》第六十四条、第六十五条",
        "《未成年工特殊保护规定》（劳部发〔1994〕498号）第三条、第六条、第九条",
    ],
    "PROTECT-03": [f"{NZG}第五条", "《劳动合同法》第四十二条"],
    "PROTECT-04": [f"{NZG}第六条"],
    "PROTECT-05": [f"{NZG}第七条"],
    "PROTECT-06": [f"{NZG}第九条"],
    "PROTECT-07": [f"{NZG}第四条、第十一条"],
    "DISPATCH-01": ["《劳务派遣暂行规定》第四条"],
    "DISPATCH-02": ["《劳动合同法》第六十六条", "《劳务派遣暂行规定》第三条"],
    "DISPATCH-03": ["《劳务派遣暂行规定》第三条第三款"],
    "DISPATCH-04": ["《劳动合同法》第五十七条"],
    "DISPATCH-05": ["《劳动合同法》第六十三条、第六十二条第一款第（三）项"],
    "SITEPAY-01": [f"{NMG}第二十六条"],
    "SITEPAY-02": [f"{NMG}第二十八条"],
    "SITEPAY-03": [f"{NMG}第三十一条第二款"],
    "SITEPAY-04": [f"{NMG}第三十一条第三款"],
    "SITEPAY-05": [f"{NMG}第三十二条"],
    "SITEPAY-06": [f"{NMG}第三十四条"],
    "SITEPAY-07": [f"{NMG}第十五条"],
    "SITEPAY-08": [f"{NMG}第十一条、第三十一条第四款、第五十四条"],
    "SITEPAY-09": [f"{NMG}第十二条、第十四条第一款"],
    "PLATFORM-01": [f"{XJY56}第一部分第（二）项"],
    "PLATFORM-02": [f"{XJY56}第二部分第（十）项"],
    "PLATFORM-03": [f"{XJY56}第二部分第（五）项"],
    "PLATFORM-04": [f"{XJY56}第二部分第（六）项、第（七）项"],
    "PLATFORM-05": [f"{XJY56}第二部分第（九）项、第（八）项"],
    "PLATFORM-06": [f"{XJY56}第二部分第（十）项"],
}

#: item id -> (severity, deadline days, working days?) for check items.  CHECKLISTS.md gives most of them; the
#: rest are this template's choices (see the report that introduced them) and are pinned just the same.
SEVERITY_AND_DEADLINE: dict[str, tuple[str, int, bool]] = {
    "CONTRACT-01": ("高", 30, False),
    "CONTRACT-02": ("高", 30, False),
    "CONTRACT-03": ("中", 30, False),
    "CONTRACT-04": ("低", 15, False),
    "CONTRACT-05": ("中", 30, False),
    "CONTRACT-06": ("中", 30, False),
    "CONTRACT-07": ("中", 30, False),
    "CONTRACT-08": ("中", 15, False),
    "CONTRACT-09": ("高", 5, True),
    "CONTRACT-10": ("低", 15, False),
    "CONTRACT-11": ("中", 30, False),
    "WAGE-01": ("高", 5, True),
    "WAGE-02": ("高", 5, True),
    "WAGE-03": ("中", 15, False),
    "WAGE-04": ("高", 5, True),
    "WAGE-05": ("低", 10, False),
    "WAGE-06": ("高", 15, False),
    "WAGE-07": ("中", 15, False),
    "WAGE-08": ("低", 30, False),
    "HOURS-01": ("中", 30, False),
    "HOURS-02": ("中", 15, False),
    "HOURS-03": ("高", 15, False),
    "HOURS-04": ("中", 30, False),
    "HOURS-05": ("中", 30, False),
    "HOURS-06": ("中", 15, False),
    "HOURS-07": ("低", 15, False),
    "INSURANCE-01": ("高", 15, False),
    "INSURANCE-02": ("高", 30, False),
    "INSURANCE-03": ("中", 30, False),
    "INSURANCE-04": ("高", 15, False),
    "INSURANCE-05": ("低", 30, False),
    "LAYOFF-02": ("高", 5, True),
    "LAYOFF-03": ("高", 5, True),
    "LAYOFF-04": ("高", 5, True),
    "LAYOFF-05": ("中", 15, False),
    "LAYOFF-06": ("高", 5, True),
    "LAYOFF-07": ("高", 15, False),
    "LAYOFF-08": ("低", 30, False),
    "LAYOFF-09": ("中", 15, False),
    "DEMOCRACY-01": ("中", 30, False),
    "DEMOCRACY-02": ("中", 15, False),
    "DEMOCRACY-03": ("中", 30, False),
    "DEMOCRACY-04": ("中", 60, False),
    "DEMOCRACY-05": ("低", 60, False),
    "DEMOCRACY-06": ("低", 90, False),
    "DEMOCRACY-07": ("低", 60, False),
    "COLLECTIVE-01": ("中", 60, False),
    "COLLECTIVE-02": ("中", 20, False),
    "COLLECTIVE-03": ("中", 30, False),
    "COLLECTIVE-04": ("中", 10, False),
    "COLLECTIVE-05": ("低", 30, False),
    "COLLECTIVE-06": ("中", 30, False),
    "PROTECT-01": ("高", 0, False),
    "PROTECT-02": ("高", 15, False),
    "PROTECT-03": ("高", 5, True),
    "PROTECT-04": ("中", 15, False),
    "PROTECT-05": ("中", 15, False),
    "PROTECT-06": ("中", 15, False),
    "PROTECT-07": ("中", 30, False),
    "DISPATCH-01": ("中", 90, False),
    "DISPATCH-02": ("中", 90, False),
    "DISPATCH-03": ("低", 30, False),
    "DISPATCH-04": ("高", 15, False),
    "DISPATCH-05": ("中", 30, False),
    "SITEPAY-01": ("高", 15, False),
    "SITEPAY-02": ("高", 15, False),
    "SITEPAY-03": ("中", 15, False),
    "SITEPAY-04": ("高", 15, False),
    "SITEPAY-05": ("高", 15, False),
    "SITEPAY-06": ("低", 5, True),
    "SITEPAY-07": ("中", 15, False),
    "SITEPAY-08": ("高", 5, True),
    "SITEPAY-09": ("高", 5, True),
    "PLATFORM-01": ("中", 60, False),
    "PLATFORM-02": ("中", 60, False),
    "PLATFORM-03": ("高", 15, False),
    "PLATFORM-04": ("中", 30, False),
    "PLATFORM-05": ("中", 30, False),
    "PLATFORM-06": ("低", 60, False),
}

MODULE_ORDER = [
    "CONTRACT",
    "WAGE",
    "HOURS",
    "INSURANCE",
    "LAYOFF",
    "DEMOCRACY",
    "COLLECTIVE",
    "PROTECT",
    "DISPATCH",
    "SITEPAY",
    "PLATFORM",
]


@pytest.fixture(scope="module")
def templates() -> TemplateSet:
    return load_template_set(default_template_dir())


def all_items(templates: TemplateSet) -> list[Item]:
    return [item for module in templates.modules for item in module.items]


# ----------------------------------------------------------------------------------------------- completeness


def test_shipped_templates_load_with_no_issues() -> None:
    assert check_templates(default_template_dir()) == []


def test_there_are_eleven_modules_in_checklist_order(templates: TemplateSet) -> None:
    assert [module.module for module in templates.modules] == MODULE_ORDER
    assert [module.order for module in templates.modules] == list(range(1, 12))


def test_every_checklists_item_is_a_template_item_and_nothing_else(templates: TemplateSet) -> None:
    ids = [item.id for item in all_items(templates)]
    assert len(ids) >= 80
    assert sorted(ids) == sorted(CITATIONS)


def test_every_check_item_has_basis_severity_requirement_and_deadline(templates: TemplateSet) -> None:
    checks = [item for item in all_items(templates) if item.kind == "check"]
    assert len(checks) == 79
    for item in checks:
        assert item.basis, item.id
        assert item.severity in ("高", "中", "低"), item.id
        assert item.requirement is not None, item.id
        assert len(item.requirement) >= 10, item.id
        assert item.deadline is not None, item.id


def test_every_item_has_a_title_and_statements_of_one_fact_each(templates: TemplateSet) -> None:
    items = all_items(templates)
    assert len(items) == 81
    titles = [item.title for item in items]
    assert None not in titles
    assert len(set(titles)) == len(titles)
    for item in items:
        assert item.finding, item.id
        assert item.problem is None, item.id  # the old wording is gone from current templates
        fallback = item.finding[-1]
        assert fallback.when is None, item.id
        for statement in item.finding:
            assert statement.zh.startswith("经查，你单位"), item.id
            assert statement.zh.endswith("。"), item.id
            assert statement.zh.count("。") == 1, item.id  # one sentence
            assert not any(word in statement.zh for word in ("或者", "，或", "TODO", "XXX")), item.id
            assert not any(mark in statement.zh for mark in "（）()"), item.id  # no brackets at all, so none nested
            assert (statement.en and statement.en.isascii()) or "厂务公开" in statement.en, item.id
    assert len({item.finding[-1].zh for item in items}) == len(items)


def test_statements_follow_the_figures(templates: TemplateSet) -> None:
    overtime = templates.item("HOURS-03")
    daily = choose_statement(overtime, {"overtime_daily_max": 4.5, "overtime_monthly": 30, "monthly_excess": 0})
    assert daily.zh == "经查，你单位安排劳动者延长工作时间每日最长4.5小时，超过每日三小时的法定上限。"
    assert "每月" not in daily.zh  # the daily rule speaks of daily hours only
    monthly = choose_statement(overtime, {"overtime_daily_max": 2, "overtime_monthly": 52, "monthly_excess": 16})
    assert monthly.zh == "经查，你单位安排劳动者延长工作时间每月52小时，超过每月三十六小时的法定上限16小时。"
    neither = choose_statement(overtime, {})
    assert neither.zh == "经查，你单位安排劳动者延长工作时间不符合法律规定。"
    contract = choose_statement(templates.item("CONTRACT-01"), {"employees_without_contract": 3, "without_contract": 3})
    assert contract.zh == "经查，你单位有3名劳动者未订立书面劳动合同。"
    assert contract.en == "The inspection found 3 workers without a written labour contract."
    wage = choose_statement(
        templates.item("WAGE-04"),
        {"lowest_monthly_wage": 1650, "local_minimum_wage": 2050.5, "wage_shortfall": 400.5},
    )
    assert wage.zh == (
        "经查，你单位支付提供正常劳动的劳动者的最低月工资为1,650元，低于当地月最低工资标准2,050.50元，差额400.50元。"
    )
    year = choose_statement(templates.item("CONTRACT-02"), {"months_without_contract": 14, "double_wage_months": 11})
    assert "十一个月的二倍工资" in year.zh
    assert "视为已与其订立无固定期限劳动合同" in year.zh


def test_statements_take_figures_from_any_source(templates: TemplateSet) -> None:
    """Payroll evidence (another source than the visit inputs) fills a statement through the same mechanism."""
    item = Item.model_validate(
        {
            "id": "WAGE-98",
            "kind": "check",
            "title": "最低工资（工资表）",
            "text": "工资不低于当地最低工资标准",
            "finding": [
                {
                    "when": "underpaid_workers > 0",
                    "zh": "经查，你单位{payroll_month}有{underpaid_workers}名劳动者实发工资低于当地月最低工资标准，"
                    "差额合计{underpaid_total:money}元。",
                    "en": "In {payroll_month}, {underpaid_workers} workers were paid below the minimum wage.",
                },
                {"zh": "经查，你单位有劳动者工资低于当地最低工资标准。", "en": "Wages below the minimum wage."},
            ],
            "basis": [{"law": "ldf", "article": "第四十八条"}],
            "severity": "高",
            "requirement": "补足差额。",
            "deadline": {"days": 5, "working": True},
        }
    )
    chosen = choose_statement(item, {"payroll_month": "2026年9月", "underpaid_workers": 12, "underpaid_total": 3460})
    assert chosen.zh == "经查，你单位2026年9月有12名劳动者实发工资低于当地月最低工资标准，差额合计3,460元。"
    assert choose_statement(item, {"underpaid_workers": 12}).index == 1  # a missing value: the next statement


def test_layoff_share_is_computed_against_the_workforce_before_the_layoff(templates: TemplateSet) -> None:
    # 劳动合同法第四十一条: 占企业职工总数百分之十以上 — the total before anyone is laid off, captured on its own
    # so that the current headcount (used for insurance and collective bargaining) stays what it says.
    helps = {value.id: value.help for value in templates.inputs}
    for input_id in ("laid_off", "headcount_before_layoff"):
        help_text = helps[input_id]
        assert help_text is not None, input_id
        assert "第四十一条" in help_text, input_id
        assert "企业职工总数" in help_text, input_id
    derived = templates.evaluate_derived
    # 15 of 160 before the layoff is 9.4% (below); against the 140 still on the register it would be 10.7%.
    assert (
        derived({"laid_off": 15, "headcount": 140, "headcount_before_layoff": 160})["layoff_threshold_reached"] is False
    )
    assert derived({"laid_off": 15, "headcount": 140})["layoff_threshold_reached"] is True
    assert (
        derived({"laid_off": 16, "headcount": 140, "headcount_before_layoff": 160})["layoff_threshold_reached"] is True
    )


def test_only_the_wage_arrears_warning_is_a_signal_and_only_the_layoff_scale_is_computed(
    templates: TemplateSet,
) -> None:
    kinds = {item.id: item.kind for item in all_items(templates)}
    assert {item_id for item_id, kind in kinds.items() if kind == "signal"} == {"WAGE-09"}
    assert {item_id for item_id, kind in kinds.items() if kind == "computed"} == {"LAYOFF-01"}
    assert templates.item("WAGE-09").severity == "中"  # risk grade only


@pytest.mark.parametrize("item_id", sorted(SEVERITY_AND_DEADLINE))
def test_severity_and_deadline_are_as_pinned(templates: TemplateSet, item_id: str) -> None:
    item = templates.item(item_id)
    assert item.deadline is not None
    assert (item.severity, item.deadline.days, item.deadline.working) == SEVERITY_AND_DEADLINE[item_id]


def test_requirement_texts_are_chinese_sentences_without_placeholders(templates: TemplateSet) -> None:
    for item in all_items(templates):
        if item.requirement is None:
            continue
        assert item.requirement.endswith("。"), item.id
        assert not any(mark in item.requirement for mark in ("TODO", "XXX", "{", "N名")), item.id


def test_module_titles_are_given_in_chinese_and_english(templates: TemplateSet) -> None:
    for module in templates.modules:
        assert module.title
        assert module.title_en
        assert module.version >= 1


# ---------------------------------------------------------------------------------------------- legal facts


@pytest.mark.parametrize("item_id", sorted(CITATIONS))
def test_item_cites_exactly_the_pinned_legal_basis(templates: TemplateSet, item_id: str) -> None:
    assert templates.citations(templates.item(item_id)) == CITATIONS[item_id]


def test_articles_are_written_in_chinese_numerals(templates: TemplateSet) -> None:
    for item in all_items(templates):
        for ref in item.basis:
            if ref.article is not None:
                assert not any(char.isascii() and char.isdigit() for char in ref.article), (item.id, ref.article)


def test_dispute_mediation_committee_cites_article_13_of_the_enterprise_mediation_rules(
    templates: TemplateSet,
) -> None:
    # CHECKLISTS.md marks this (verify): 企业劳动争议协商调解规定 第十三条 (大中型企业应当依法设立调解委员会).
    assert f"{XSTJ}第十三条" in templates.citations(templates.item("DEMOCRACY-07"))
    assert templates.law_index["xstj"].version.startswith("人社部令第17号")


def test_platform_items_cite_the_sections_of_the_2021_guidance_on_new_forms_of_employment(
    templates: TemplateSet,
) -> None:
    # Medium confidence in CHECKLISTS.md: 一、(二) contract/agreement; 二、(五) pay; (六)(七) workload;
    # (八)(九) insurance; (十) rules, algorithms and negotiation.
    sections = {item_id: CITATIONS[item_id][0].removeprefix(XJY56) for item_id in CITATIONS if "PLATFORM" in item_id}
    assert sections == {
        "PLATFORM-01": "第一部分第（二）项",
        "PLATFORM-02": "第二部分第（十）项",
        "PLATFORM-03": "第二部分第（五）项",
        "PLATFORM-04": "第二部分第（六）项、第（七）项",
        "PLATFORM-05": "第二部分第（九）项、第（八）项",
        "PLATFORM-06": "第二部分第（十）项",
    }
    for item_id, section in sections.items():
        assert templates.citations(templates.item(item_id)) == [XJY56 + section]


def test_union_founding_counts_members_under_article_11_of_the_2021_trade_union_law(templates: TemplateSet) -> None:
    assert templates.citations(templates.item("DEMOCRACY-06")) == ["《工会法》第十一条第一款"]
    assert templates.law_index["ghf"].version == "2021-12-24 修正"
    assert "会员" in templates.item("DEMOCRACY-06").text


def test_democratic_management_cites_the_2023_company_law_and_no_article_for_yearly_meetings(
    templates: TemplateSet,
) -> None:
    item = templates.item("DEMOCRACY-04")
    assert "《公司法》第十七条第二款" in templates.citations(item)
    assert templates.law_index["gsf"].version.startswith("2023-12-29 修订")
    assert item.requirement is not None
    assert "每年至少" not in item.requirement


def test_equal_pay_for_dispatched_workers_rests_on_articles_63_and_62_not_the_welfare_article(
    templates: TemplateSet,
) -> None:
    citations = templates.citations(templates.item("DISPATCH-05"))
    assert citations == ["《劳动合同法》第六十三条、第六十二条第一款第（三）项"]
    assert not any("劳务派遣暂行规定" in citation for citation in citations)


def test_collective_bargaining_cites_article_21_paragraph_2_of_the_trade_union_law(templates: TemplateSet) -> None:
    assert "《工会法》第二十一条第二款" in templates.citations(templates.item("COLLECTIVE-01"))


def test_attendance_records_rest_on_burden_of_proof_and_the_2005_labour_relation_notice(
    templates: TemplateSet,
) -> None:
    item = templates.item("HOURS-07")
    assert templates.citations(item) == ["《劳动争议调解仲裁法》第六条", f"{QLGX12}第二条"]
    assert item.requirement is not None
    assert "不利后果" in item.requirement


def test_special_working_hours_cite_the_approval_measures_as_a_whole_document(templates: TemplateSet) -> None:
    refs = templates.item("HOURS-04").basis
    assert [(ref.law, ref.article) for ref in refs] == [("ldf", "第三十九条"), ("gzsj", "第五条"), ("spbf", None)]


def test_normative_documents_are_cited_by_full_title_and_document_number(templates: TemplateSet) -> None:
    laws = templates.law_index
    assert laws["xjy56"].title == XJY56
    assert laws["qlgx12"].title == QLGX12
    assert laws["spbf"].title == SPBF
    assert laws["ldhtf"].title == "《劳动合同法》"


def test_the_registry_holds_only_cited_laws(templates: TemplateSet) -> None:
    cited = {ref.law for item in all_items(templates) for ref in item.basis}
    assert {law.id for law in templates.laws} == cited


# --------------------------------------------------------------------------------------------- suggestions


def suggested(templates: TemplateSet, **facts: int | bool) -> set[str]:
    env = templates.evaluate_derived(
        {"headcount": 50, "laid_off": 0, "dispatched": 0, "has_union": False, "is_construction_project": False}
        | {"is_platform": False, "has_pregnant_or_nursing": False, "has_minors": False}
        | facts
    )
    return {
        module.module for module in templates.modules if evaluate(compile_expression(module.suggest_if), env) is True
    }


ALWAYS = {"CONTRACT", "WAGE", "HOURS", "INSURANCE", "DEMOCRACY"}


def test_core_modules_are_always_suggested(templates: TemplateSet) -> None:
    assert suggested(templates) == ALWAYS


@pytest.mark.parametrize(
    ("facts", "module"),
    [
        ({"is_construction_project": True}, "SITEPAY"),
        ({"dispatched": 3}, "DISPATCH"),
        ({"laid_off": 1}, "LAYOFF"),
        ({"is_platform": True}, "PLATFORM"),
        ({"has_minors": True}, "PROTECT"),
        ({"has_pregnant_or_nursing": True}, "PROTECT"),
        ({"has_union": True}, "COLLECTIVE"),
        ({"headcount": 100}, "COLLECTIVE"),
    ],
)
def test_enterprise_facts_suggest_their_module(
    templates: TemplateSet, facts: dict[str, int | bool], module: str
) -> None:
    assert suggested(templates, **facts) == ALWAYS | {module}


def test_ninety_nine_staff_without_a_union_do_not_suggest_collective_bargaining(templates: TemplateSet) -> None:
    assert "COLLECTIVE" not in suggested(templates, headcount=99)


# ------------------------------------------------------------------------------------------ snapshot and hash


def test_hashes_are_stable_across_two_loads(templates: TemplateSet) -> None:
    again = load_template_set(default_template_dir())
    for module in MODULE_ORDER:
        first = content_hash(module_snapshot(templates, module))
        assert first == content_hash(module_snapshot(again, module))
        assert len(first) == 64
        assert int(first, 16) >= 0


def test_every_module_has_its_own_hash(templates: TemplateSet) -> None:
    hashes = {content_hash(module_snapshot(templates, module)) for module in MODULE_ORDER}
    assert len(hashes) == len(MODULE_ORDER)


@pytest.fixture
def template_copy(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(default_template_dir(), target)
    return target


def replace_once(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_changing_an_item_text_changes_only_that_modules_hash(templates: TemplateSet, template_copy: Path) -> None:
    replace_once(template_copy / "contract.yaml", "text: 劳动合同具备法定必备条款", "text: 劳动合同具备必备条款")
    changed = load_template_set(template_copy)
    assert content_hash(module_snapshot(changed, "CONTRACT")) != content_hash(module_snapshot(templates, "CONTRACT"))
    assert content_hash(module_snapshot(changed, "WAGE")) == content_hash(module_snapshot(templates, "WAGE"))


def test_a_new_law_version_changes_the_hash_of_modules_citing_it_only(
    templates: TemplateSet, template_copy: Path
) -> None:
    replace_once(template_copy / "laws.yaml", "version: 2012-12-28 修正", "version: 2027-01-01 修正")
    changed = load_template_set(template_copy)
    assert content_hash(module_snapshot(changed, "CONTRACT")) != content_hash(module_snapshot(templates, "CONTRACT"))
    assert content_hash(module_snapshot(changed, "SITEPAY")) == content_hash(module_snapshot(templates, "SITEPAY"))


@pytest.mark.parametrize("code", MODULE_ORDER)
def test_the_module_is_rebuilt_from_its_snapshot(templates: TemplateSet, code: str) -> None:
    snapshot = module_snapshot(templates, code)
    restored = json.loads(json.dumps(snapshot, ensure_ascii=False))
    assert ModuleTemplate.model_validate(restored["module"]) == templates.module(code)


def test_a_snapshot_keeps_the_cited_laws_and_the_inputs_its_rules_read(templates: TemplateSet) -> None:
    snapshot = module_snapshot(templates, "LAYOFF")
    assert snapshot["format"] == 1
    assert [law["id"] for law in snapshot["laws"]] == ["ldhtf", "cyjs"]
    assert snapshot["laws"][0] == {
        "id": "ldhtf",
        "short": "劳动合同法",
        "full": "中华人民共和国劳动合同法",
        "version": "2012-12-28 修正",
    }
    # layoff_threshold_reached brings in its base (the workforce before the layoff, else the headcount);
    # the compensation figure brings its three inputs
    assert {value["id"] for value in snapshot["derived"]} == {"has_layoff", "layoff_base", "layoff_threshold_reached"}
    assert {value["id"] for value in snapshot["inputs"]} == {
        "laid_off",
        "headcount",
        "headcount_before_layoff",
        "service_months",
        "monthly_wage",
        "local_average_wage",
    }


def test_the_hash_is_sha256_of_canonical_json() -> None:
    assert content_hash({"b": 1, "a": "劳动"}) == content_hash({"a": "劳动", "b": 1})
    # sha256 of '{"a":"劳动","b":1}' in UTF-8
    expected = hashlib.sha256('{"a":"劳动","b":1}'.encode()).hexdigest()
    assert content_hash({"b": 1, "a": "劳动"}) == expected
