"""The statutory figures: every boundary the law draws, pinned on both sides."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.labor_math import (
    LaborMathError,
    annual_leave,
    annual_leave_days,
    deduction_check,
    deduction_exceeds,
    dispatch_share,
    double_wage_exposure,
    double_wage_months,
    economic_compensation,
    layoff_threshold,
    maternity_leave,
    maternity_leave_days,
    overtime_exceeds,
    probation_limit,
    probation_limit_months,
    wage_after_deduction,
    wage_after_deduction_below_minimum,
)

D = Decimal

# --------------------------------------------------------------------------------------------- layoff


@pytest.mark.parametrize(
    ("laid_off", "headcount", "reached"),
    [
        (19, 1000, False),  # under twenty and 1.9%
        (20, 1000, True),  # twenty is "二十人以上"
        (20, 0, True),
        (10, 101, False),  # 9.90%
        (10, 100, True),  # exactly 10% is "百分之十以上"
        (10, 99, True),  # 10.10%
        (19, 191, False),  # 9.95%
        (19, 190, True),  # 10.00%
        (3, 30, True),
        (0, 30, False),
        (0, 0, False),
    ],
)
def test_layoff_threshold_boundaries(laid_off: int, headcount: int, reached: bool) -> None:
    assert layoff_threshold(laid_off, headcount).reached is reached


def test_layoff_share_is_an_exact_decimal_fraction() -> None:
    assert layoff_threshold(10, 100).share == D("0.1")
    assert layoff_threshold(20, 0).share is None
    share = layoff_threshold(10, 101).share
    assert share is not None
    assert D("0.0990") < share < D("0.0991")


def test_layoff_explanation_cites_article_41_and_states_the_reason() -> None:
    twenty = layoff_threshold(20, 1000).explanation
    assert "裁减人数 20 人" in twenty
    assert "二十人以上" in twenty
    assert "第四十一条" in twenty
    ten_percent = layoff_threshold(10, 100).explanation
    assert "10.00%" in ten_percent
    assert "达到百分之十以上" in ten_percent


def test_layoff_share_just_under_ten_percent_prints_below_ten_percent() -> None:
    closest = layoff_threshold(19, 191)  # the largest share under 10% with fewer than twenty people
    assert not closest.reached
    assert "9.95%" in closest.explanation
    almost = layoff_threshold(10, 101)
    assert "9.90%" in almost.explanation
    assert "不足百分之十" in almost.explanation


def test_layoff_without_headcount_says_the_share_is_unknown() -> None:
    result = layoff_threshold(5, 0)
    assert not result.reached
    assert result.share is None
    assert "无法判断" in result.explanation


# ------------------------------------------------------------------------------------------- dispatch


@pytest.mark.parametrize(
    ("dispatched", "contracted", "exceeds"),
    [
        (10, 90, False),  # exactly 10%: "不得超过" allows it
        (11, 99, False),  # 11 of 110 is exactly 10%
        (11, 90, True),  # 10.89%
        (101, 899, True),  # 10.1%
        (99, 901, False),  # 9.9%
        (0, 0, False),
        (0, 50, False),
        (1, 0, True),
    ],
)
def test_dispatch_share_boundaries(dispatched: int, contracted: int, exceeds: bool) -> None:
    assert dispatch_share(dispatched, contracted).exceeds is exceeds


def test_dispatch_share_of_exactly_ten_percent_is_allowed() -> None:
    result = dispatch_share(10, 90)
    assert result.share == D("0.1")
    assert result.total == 100
    assert not result.exceeds
    assert "10.00%" in result.explanation
    assert "未超过" in result.explanation
    assert "第四条" in result.explanation


def test_dispatch_share_counts_total_labor_use_as_contracted_plus_dispatched() -> None:
    result = dispatch_share(1, 9)
    assert result.total == 10
    assert result.share == D("0.1")


def test_dispatch_share_with_nobody_is_undefined_and_not_exceeding() -> None:
    result = dispatch_share(0, 0)
    assert result.share is None
    assert not result.exceeds


def test_dispatch_share_just_over_ten_percent_never_prints_as_ten_percent() -> None:
    result = dispatch_share(1001, 9008)  # 10.000999...%
    assert result.exceeds
    assert "10.01%" in result.explanation


# --------------------------------------------------------------------------------------- double wages


@pytest.mark.parametrize(
    ("months", "exposure"),
    [(0, 0), (1, 0), (2, 1), (6, 5), (11, 10), (12, 11), (13, 11), (40, 11)],
)
def test_double_wage_months_run_from_the_second_month_for_at_most_eleven(months: int, exposure: int) -> None:
    assert double_wage_months(months) == exposure
    assert double_wage_exposure(months).months == exposure


def test_double_wage_explanation_states_the_deemed_open_ended_contract_after_a_year() -> None:
    year = double_wage_exposure(12)
    assert year.deemed_open_ended
    assert "无固定期限劳动合同" in year.explanation
    assert "实施条例》第七条" in year.explanation
    eleven = double_wage_exposure(11)
    assert not eleven.deemed_open_ended
    assert "无固定期限" not in eleven.explanation
    assert "10 个月" in eleven.explanation
    assert "第八十二条" in eleven.explanation


def test_double_wage_in_the_first_month_is_not_owed() -> None:
    assert "不产生二倍工资" in double_wage_exposure(1).explanation


# ----------------------------------------------------------------------------- economic compensation


@pytest.mark.parametrize(
    ("service_months", "months_payable"),
    [
        (0, D(0)),
        (1, D("0.5")),
        (5, D("0.5")),  # under six months: half a month
        (6, D(1)),  # six months or more: a full year
        (11, D(1)),
        (12, D(1)),
        (17, D("1.5")),
        (18, D(2)),
        (67, D(6)),  # 5 years 7 months
        (120, D(10)),
        (12 * 20 + 3, D("20.5")),
    ],
)
def test_compensation_counts_years_and_the_remainder(service_months: int, months_payable: Decimal) -> None:
    result = economic_compensation(service_months, D("8000"), None)
    assert result.months_payable == months_payable
    assert result.amount == months_payable * D("8000")
    assert result.base_wage == D("8000")
    assert not result.capped


def test_compensation_explanation_writes_the_formula_out() -> None:
    result = economic_compensation(67, D("8000"), D("9000"))
    assert result.amount == D("48000.00")
    assert "工作年限 5 年 7 个月" in result.explanation
    assert "6 × 8,000.00 元 = 48,000.00 元" in result.explanation
    assert "第四十七条" in result.explanation


def test_compensation_at_exactly_three_times_the_average_is_not_capped() -> None:
    result = economic_compensation(12 * 15, D("30000"), D("10000"))
    assert not result.capped
    assert result.months_payable == D(15)
    assert result.amount == D("450000.00")


def test_compensation_above_three_times_the_average_uses_three_times_and_twelve_years() -> None:
    result = economic_compensation(12 * 15 + 7, D("30000.01"), D("10000"))
    assert result.capped
    assert result.base_wage == D("30000")
    assert result.months_payable == D(12)
    assert result.amount == D("360000.00")
    assert "三倍" in result.explanation
    assert "十二年" in result.explanation
    assert "12 × 30,000.00 元 = 360,000.00 元" in result.explanation


def test_compensation_cap_leaves_shorter_service_uncapped_in_years() -> None:
    result = economic_compensation(12 * 5 + 2, D("50000"), D("10000"))
    assert result.capped
    assert result.months_payable == D("5.5")
    assert result.amount == D("165000.00")
    capped_at_twelve = economic_compensation(12 * 12 + 6, D("50000"), D("10000"))
    assert capped_at_twelve.months_payable == D(12)


def test_compensation_without_a_local_average_is_never_capped() -> None:
    result = economic_compensation(12 * 30, D("100000"), None)
    assert not result.capped
    assert result.months_payable == D(30)


def test_compensation_amount_is_rounded_to_the_fen() -> None:
    result = economic_compensation(3, D("5000.05"), None)
    assert result.amount == D("2500.03")


@pytest.mark.parametrize(
    ("service_months", "wage", "average"),
    [(-1, D(1), None), (12, D(-1), None), (12, D("NaN"), None), (12, D(1), D(0)), (12, 8000.0, None)],
)
def test_compensation_refuses_impossible_inputs(service_months: int, wage: Decimal, average: Decimal | None) -> None:
    with pytest.raises(LaborMathError):
        economic_compensation(service_months, wage, average)


# ------------------------------------------------------------------------------------------- probation


@pytest.mark.parametrize(
    ("contract_months", "limit"),
    [(0, 0), (2, 0), (3, 1), (11, 1), (12, 2), (35, 2), (36, 6), (120, 6), (None, 6)],
)
def test_probation_limit_boundaries(contract_months: int | None, limit: int) -> None:
    assert probation_limit_months(contract_months) == limit


def test_probation_explanation_cites_article_19() -> None:
    assert "不得约定试用期" in probation_limit(2).explanation
    assert "无固定期限" in probation_limit(None).explanation
    assert "第十九条" in probation_limit(12).explanation


# ---------------------------------------------------------------------------------------- annual leave


@pytest.mark.parametrize(
    ("years", "days"),
    [
        (D(0), 0),
        (D("0.99"), 0),
        (D(1), 5),
        (D("9.99"), 5),
        (D(10), 10),
        (D("19.99"), 10),
        (D(20), 15),
        (D(40), 15),
    ],
)
def test_annual_leave_boundaries(years: Decimal, days: int) -> None:
    assert annual_leave_days(years) == days


def test_annual_leave_explanation_cites_article_3() -> None:
    assert "年休假 10 天" in annual_leave(D(10)).explanation
    assert "第三条" in annual_leave(D(10)).explanation


# -------------------------------------------------------------------------------------------- overtime


@pytest.mark.parametrize(
    ("daily", "monthly", "exceeds"),
    [
        (D(3), D(36), False),
        (D("3.5"), D(36), True),
        (D(3), D(37), True),
        (D("3.01"), None, True),  # one excess decides without the other figure
        (None, D("36.5"), True),
        (D(3), None, None),
        (None, D(36), None),
        (None, None, None),
        (D(0), D(0), False),
    ],
)
def test_overtime_limits_of_three_hours_a_day_and_thirty_six_a_month(
    daily: Decimal | None, monthly: Decimal | None, exceeds: bool | None
) -> None:
    assert overtime_exceeds(daily, monthly).exceeds is exceeds


def test_overtime_reports_each_limit_separately() -> None:
    result = overtime_exceeds(D("3.5"), D(20))
    assert result.daily_exceeds is True
    assert result.monthly_exceeds is False
    assert "第四十一条" in result.explanation


def test_overtime_over_one_hour_a_day_needs_a_special_reason() -> None:
    assert "特殊原因" in overtime_exceeds(D(2), D(20)).explanation
    assert "特殊原因" not in overtime_exceeds(D(1), D(20)).explanation


def test_overtime_with_a_missing_figure_says_it_cannot_decide() -> None:
    assert "无法判断" in overtime_exceeds(D(3), None).explanation


# ------------------------------------------------------------------------------------------ deductions


@pytest.mark.parametrize(("pct", "exceeds"), [(D(0), False), (D(20), False), (D("20.1"), True), (D(21), True)])
def test_deduction_over_twenty_percent_exceeds(pct: Decimal, exceeds: bool) -> None:
    assert deduction_exceeds(pct) is exceeds
    assert deduction_check(pct).exceeds is exceeds


def test_deduction_explanation_cites_article_16() -> None:
    assert "第十六条" in deduction_check(D("20.1")).explanation


@pytest.mark.parametrize(
    ("wage", "deduction", "minimum", "below"),
    [
        (D(2500), D(500), D(2000), False),  # exactly the minimum is allowed
        (D(2500), D("500.01"), D(2000), True),
        (D(2500), D(0), D(2000), False),
        (D(1900), D(0), D(2000), True),
    ],
)
def test_wage_after_deduction_must_not_fall_below_the_minimum_wage(
    wage: Decimal, deduction: Decimal, minimum: Decimal, below: bool
) -> None:
    assert wage_after_deduction_below_minimum(wage, deduction, minimum) is below


def test_wage_after_deduction_explanation_shows_the_subtraction() -> None:
    result = wage_after_deduction(D(2500), D(600), D(2000))
    assert result.remaining == D(1900)
    assert "2,500.00 元 − 600.00 元 = 1,900.00 元" in result.explanation
    assert "低于" in result.explanation


# ------------------------------------------------------------------------------------- maternity leave


@pytest.mark.parametrize(
    ("difficult", "babies", "days"),
    [(False, 1, 98), (True, 1, 113), (False, 2, 113), (True, 2, 128), (False, 3, 128), (True, 3, 143)],
)
def test_maternity_leave_is_98_days_plus_15_for_difficult_birth_and_each_extra_baby(
    difficult: bool, babies: int, days: int
) -> None:
    assert maternity_leave_days(difficult, babies) == days


def test_maternity_leave_explanation_cites_article_7_and_mentions_local_extra_leave() -> None:
    explanation = maternity_leave(True, 2).explanation
    assert "第七条" in explanation
    assert "难产增加 15 天" in explanation
    assert "地方" in explanation


def test_maternity_leave_needs_at_least_one_baby() -> None:
    with pytest.raises(LaborMathError):
        maternity_leave_days(False, 0)


# ------------------------------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize(
    "call",
    [
        lambda: layoff_threshold(-1, 10),
        lambda: layoff_threshold(1, -10),
        lambda: dispatch_share(-1, 10),
        lambda: double_wage_months(-1),
        lambda: probation_limit_months(-3),
        lambda: annual_leave_days(D(-1)),
        lambda: overtime_exceeds(D(-1), None),
        lambda: deduction_exceeds(D("NaN")),
        lambda: layoff_threshold(True, 10),
    ],
)
def test_impossible_inputs_are_refused_with_a_typed_error(call: object) -> None:
    assert callable(call)
    with pytest.raises(LaborMathError):
        call()
