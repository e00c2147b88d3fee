"""The computed rules of the shipped templates evaluate as CHECKLISTS.md says, right at their legal thresholds."""

from __future__ import annotations

import pytest

from app.checklists.loader import default_template_dir, load_template_set
from core.checklist_schema import TemplateSet, compile_expression
from core.expressions import Value, evaluate


@pytest.fixture(scope="module")
def templates() -> TemplateSet:
    return load_template_set(default_template_dir())


def fires(templates: TemplateSet, item_id: str, **inputs: Value) -> Value:
    """Whether the item's rule finds the enterprise non-compliant with these inputs."""
    rule = templates.item(item_id).rule
    assert rule is not None
    assert rule.noncompliant_if is not None
    return evaluate(compile_expression(rule.noncompliant_if), templates.evaluate_derived(inputs))


def applies(templates: TemplateSet, item_id: str, **inputs: Value) -> Value:
    condition = templates.item(item_id).applies_if
    if condition is None:
        return True
    return evaluate(compile_expression(condition), templates.evaluate_derived(inputs))


def figure(templates: TemplateSet, item_id: str, figure_id: str, **inputs: Value) -> Value:
    rule = templates.item(item_id).rule
    assert rule is not None
    (found,) = [candidate for candidate in rule.figures if candidate.id == figure_id]
    return evaluate(compile_expression(found.expr), templates.evaluate_derived(inputs))


# ------------------------------------------------------------------------------------------------- dispatch


def test_dispatch_share_of_exactly_ten_percent_is_allowed(templates: TemplateSet) -> None:
    assert fires(templates, "DISPATCH-01", contracted=900, dispatched=100) is False
    assert fires(templates, "DISPATCH-01", contracted=9, dispatched=1) is False


def test_dispatch_share_just_above_ten_percent_is_non_compliant(templates: TemplateSet) -> None:
    # 101 of 1000 = 10.1%
    assert fires(templates, "DISPATCH-01", contracted=899, dispatched=101) is True
    assert figure(templates, "DISPATCH-01", "dispatch_share", contracted=899, dispatched=101) == pytest.approx(10.1)


def test_dispatch_share_counts_dispatched_workers_in_the_total_not_headcount(templates: TemplateSet) -> None:
    # 100 dispatched beside 900 contracted is 10% of the total (1000), though 11.1% of the contracted staff
    assert fires(templates, "DISPATCH-01", contracted=900, dispatched=100, headcount=900) is False
    assert figure(templates, "DISPATCH-01", "dispatch_share", contracted=900, dispatched=100) == 10


def test_dispatch_items_apply_only_to_enterprises_using_dispatched_workers(templates: TemplateSet) -> None:
    for item_id in ("DISPATCH-01", "DISPATCH-02", "DISPATCH-03", "DISPATCH-04", "DISPATCH-05"):
        assert applies(templates, item_id, dispatched=0) is False
        assert applies(templates, item_id, dispatched=1) is True


def test_unknown_dispatch_numbers_leave_the_dispatch_rule_unknown(templates: TemplateSet) -> None:
    assert fires(templates, "DISPATCH-01", contracted=900) is None


# ---------------------------------------------------------------------------------------------------- hours


def test_thirty_six_hours_of_monthly_overtime_is_allowed_and_thirty_seven_is_not(templates: TemplateSet) -> None:
    assert fires(templates, "HOURS-03", overtime_daily_max=2, overtime_monthly=36) is False
    assert fires(templates, "HOURS-03", overtime_daily_max=2, overtime_monthly=37) is True
    assert figure(templates, "HOURS-03", "monthly_excess", overtime_monthly=37) == 1


def test_three_hours_of_daily_overtime_is_allowed_and_more_is_not(templates: TemplateSet) -> None:
    assert fires(templates, "HOURS-03", overtime_daily_max=3, overtime_monthly=20) is False
    assert fires(templates, "HOURS-03", overtime_daily_max=3.5, overtime_monthly=20) is True


def test_excess_daily_overtime_fires_even_when_monthly_hours_are_unknown(templates: TemplateSet) -> None:
    assert fires(templates, "HOURS-03", overtime_daily_max=4) is True
    assert fires(templates, "HOURS-03", overtime_daily_max=2) is None


# ---------------------------------------------------------------------------------------------------- wages


def test_deducting_twenty_percent_is_allowed_and_twenty_point_one_is_not(templates: TemplateSet) -> None:
    wage = {"deducted_wage": 4000, "local_minimum_wage": 2000}
    assert fires(templates, "WAGE-07", max_deduction_pct=20, **wage) is False
    assert fires(templates, "WAGE-07", max_deduction_pct=20.1, **wage) is True
    assert fires(templates, "WAGE-07", max_deduction_pct=20.1) is True  # over 20% decides without the wage
    assert fires(templates, "WAGE-07", max_deduction_pct=20) is None  # the minimum-wage test needs the wage


def test_a_deduction_within_twenty_percent_that_leaves_less_than_the_minimum_wage_is_non_compliant(
    templates: TemplateSet,
) -> None:
    """工资支付暂行规定 第十六条: 2,400 less 20% leaves 1,920, under a 2,000 minimum wage."""
    case = {"max_deduction_pct": 20, "deducted_wage": 2400, "local_minimum_wage": 2000}
    assert fires(templates, "WAGE-07", **case) is True
    assert figure(templates, "WAGE-07", "wage_after_deduction", **case) == 1920
    assert fires(templates, "WAGE-07", **{**case, "deducted_wage": 2500}) is False  # leaves exactly 2,000


def test_a_wage_below_the_local_minimum_is_non_compliant_and_the_shortfall_is_shown(templates: TemplateSet) -> None:
    assert fires(templates, "WAGE-04", lowest_monthly_wage=2490, local_minimum_wage=2490) is False
    assert fires(templates, "WAGE-04", lowest_monthly_wage=2489.5, local_minimum_wage=2490) is True
    assert figure(templates, "WAGE-04", "wage_shortfall", lowest_monthly_wage=2300, local_minimum_wage=2490) == 190
    assert figure(templates, "WAGE-04", "wage_shortfall", lowest_monthly_wage=2600, local_minimum_wage=2490) == 0


# ------------------------------------------------------------------------------------------------- contracts


def test_any_employee_without_a_written_contract_is_non_compliant(templates: TemplateSet) -> None:
    assert fires(templates, "CONTRACT-01", employees_without_contract=0) is False
    assert fires(templates, "CONTRACT-01", employees_without_contract=1) is True


def test_double_wage_risk_starts_after_the_first_month(templates: TemplateSet) -> None:
    assert fires(templates, "CONTRACT-02", months_without_contract=1) is False
    assert fires(templates, "CONTRACT-02", months_without_contract=2) is True


@pytest.mark.parametrize(("months", "exposure"), [(0, 0), (1, 0), (2, 1), (7, 6), (12, 11), (30, 11)])
def test_double_wage_exposure_is_at_most_eleven_months(templates: TemplateSet, months: int, exposure: int) -> None:
    assert figure(templates, "CONTRACT-02", "double_wage_months", months_without_contract=months) == exposure


# ------------------------------------------------------------------------------------------------ insurance


def test_fewer_insured_than_employed_is_non_compliant(templates: TemplateSet) -> None:
    assert fires(templates, "INSURANCE-02", headcount=120, insured_count=120) is False
    assert fires(templates, "INSURANCE-02", headcount=120, insured_count=117) is True
    assert figure(templates, "INSURANCE-02", "uninsured", headcount=120, insured_count=117) == 3


# -------------------------------------------------------------------------------------------------- layoffs


def threshold(templates: TemplateSet, laid_off: int, headcount: int) -> Value:
    return templates.evaluate_derived({"laid_off": laid_off, "headcount": headcount})["layoff_threshold_reached"]


def test_nineteen_people_in_a_large_enterprise_is_below_the_layoff_scale(templates: TemplateSet) -> None:
    assert threshold(templates, 19, 1000) is False


def test_twenty_people_reach_the_layoff_scale_whatever_the_headcount(templates: TemplateSet) -> None:
    assert threshold(templates, 20, 1000) is True
    assert threshold(templates, 20, 100_000) is True


@pytest.mark.parametrize(
    ("laid_off", "headcount", "reached"),
    [
        (10, 101, False),  # 9.9%
        (10, 100, True),  # exactly 10%: "百分之十以上" includes 10%
        (10, 99, True),  # 10.1%
        (3, 30, True),  # 10% of a small enterprise
        (0, 0, False),  # nobody laid off is never a layoff
    ],
)
def test_layoff_scale_by_share_of_headcount(
    templates: TemplateSet, laid_off: int, headcount: int, reached: bool
) -> None:
    assert threshold(templates, laid_off, headcount) is reached


def test_layoff_scale_is_computed_and_shown_with_its_share(templates: TemplateSet) -> None:
    assert figure(templates, "LAYOFF-01", "threshold_reached", laid_off=10, headcount=100) is True
    assert figure(templates, "LAYOFF-01", "laid_off_share", laid_off=10, headcount=101) == pytest.approx(9.90099, 1e-4)
    assert figure(templates, "LAYOFF-01", "laid_off_share", laid_off=5) is None  # headcount not captured yet


@pytest.mark.parametrize("number", range(2, 9))
def test_layoff_procedure_items_apply_only_at_layoff_scale(templates: TemplateSet, number: int) -> None:
    item_id = f"LAYOFF-0{number}"
    assert applies(templates, item_id, laid_off=19, headcount=1000) is False
    assert applies(templates, item_id, laid_off=20, headcount=1000) is True


def test_notifying_the_union_of_a_dismissal_applies_to_any_layoff(templates: TemplateSet) -> None:
    assert applies(templates, "LAYOFF-09", laid_off=1, headcount=1000) is True


def test_compensation_wage_base_is_capped_at_three_times_the_local_average(templates: TemplateSet) -> None:
    base = {"local_average_wage": 8000}
    assert figure(templates, "LAYOFF-07", "compensation_wage_base", monthly_wage=9000, **base) == 9000
    assert figure(templates, "LAYOFF-07", "compensation_wage_base", monthly_wage=30000, **base) == 24000
    assert figure(templates, "LAYOFF-07", "service_months", service_months=43) == 43


# ---------------------------------------------------------------------------------------------- protections


def test_minor_and_maternity_protections_apply_by_the_enterprise_facts(templates: TemplateSet) -> None:
    assert applies(templates, "PROTECT-02", has_minors=False) is False
    assert applies(templates, "PROTECT-02", has_minors=True) is True
    for item_id in ("PROTECT-04", "PROTECT-05", "PROTECT-06"):
        assert applies(templates, item_id, has_pregnant_or_nursing=False) is False
        assert applies(templates, item_id, has_pregnant_or_nursing=True) is True
    # no child labour, no dismissal for pregnancy, written notice of forbidden posts: always checked
    for item_id in ("PROTECT-01", "PROTECT-03", "PROTECT-07"):
        assert applies(templates, item_id, has_minors=False, has_pregnant_or_nursing=False) is True


def test_a_misspelt_input_name_is_refused_rather_than_treated_as_unknown(templates: TemplateSet) -> None:
    with pytest.raises(ValueError, match="headcont"):
        templates.evaluate_derived({"headcont": 10})


STATUTORY_RULES = {
    "CONTRACT-02": "double_wage_months(",
    "DISPATCH-01": "dispatch_exceeds(",
    "HOURS-03": "overtime_exceeds(",
    "WAGE-07": "deduction_leaves_below_minimum(",
}


@pytest.mark.parametrize("item_id", sorted(STATUTORY_RULES))
def test_a_statutory_rule_names_its_tested_function_instead_of_repeating_the_arithmetic(
    templates: TemplateSet, item_id: str
) -> None:
    rule = templates.item(item_id).rule
    assert rule is not None
    item = templates.item(item_id)
    statements = [statement.when or "" for statement in (item.finding or ())]
    sources = [rule.noncompliant_if or "", *(figure.expr for figure in rule.figures), *statements]
    assert any(STATUTORY_RULES[item_id] in source for source in sources)
    assert not any(token in source for source in sources for token in ("> 20", "> 36", "* 100 /", "- 1, 0)"))
