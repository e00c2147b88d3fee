"""The pure wage and working-time rules (core.wage_rules): each legal line pinned on both sides, with its article."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.checklists.loader import default_template_dir, load_template_set
from core.checklist_schema import TemplateSet
from core.labor_math import (
    DAILY_OVERTIME_LIMIT,
    DEDUCTION_LIMIT_PERCENT,
    MONTHLY_OVERTIME_LIMIT,
    MONTHLY_PAY_DAYS,
    OVERTIME_PAY_RATES,
    deduction_share,
    hourly_wage,
    overtime_pay_due,
)
from core.minimum_wage import MinimumWageTable
from core.statements import choose_statement
from core.wage_rules import (
    RULES,
    AttendanceMonth,
    CheckSettings,
    Gap,
    GapReason,
    PayrollMonth,
    Rule,
    Violation,
    attendance_months,
    check_attendance,
    check_payroll,
    due_date,
    worked_minutes,
)
from core.wage_statements import evidence_facts, months_text, months_text_en
from core.wage_wording import detail_text, gap_text
from core.workdays import WorkdayCalendar

D = Decimal
SEP = dt.date(2026, 9, 1)
TABLE = MinimumWageTable.model_validate(
    {
        "region": "测试省",
        "rates": [
            {"grade": "第一档", "monthly": "2100", "hourly": "22", "effective_from": "2025-01-01", "document": "测〔2024〕1号"},
            {"grade": "第一档", "monthly": "2330", "hourly": "24", "effective_from": "2026-07-01", "document": "测〔2026〕2号"},
            {"grade": "第二档", "monthly": "2200", "effective_from": "2026-01-01", "document": "测〔2025〕3号",
             "excludes_personal_contributions": True},
        ],
    }
)  # fmt: skip


def settings(**changes: object) -> CheckSettings:
    values: dict[str, object] = {
        "as_of": dt.date(2026, 11, 20),
        "minimum_table": TABLE,
        "grade": "第一档",
        "pay_day": 15,
        "pay_month_offset": 1,
        "calendar": WorkdayCalendar(),
    }
    values.update(changes)
    return CheckSettings(**values)  # type: ignore[arg-type]


def test_every_rule_cites_the_article_that_makes_it() -> None:
    cited = {rule: info.citation for rule, info in RULES.items()}
    assert cited == {
        Rule.MINIMUM_WAGE: "《劳动法》第四十八条；《最低工资规定》第十二条",
        Rule.HOURLY_MINIMUM: "《劳动合同法》第七十二条；《最低工资规定》第五条",
        Rule.DEDUCTION_SHARE: "《工资支付暂行规定》第十六条",
        Rule.DEDUCTION_MINIMUM: "《工资支付暂行规定》第十六条",
        Rule.OVERTIME_PAY: "《劳动法》第四十四条",
        Rule.LATE_PAYMENT: "《工资支付暂行规定》第七条",
        Rule.UNPAID: "《劳动法》第五十条；《工资支付暂行规定》第七条",
        Rule.NOT_ON_PAYROLL: "《劳动法》第五十条；《工资支付暂行规定》第七条",
        Rule.DAILY_OVERTIME: "《劳动法》第三十六条、第四十一条",
        Rule.MONTHLY_OVERTIME: "《劳动法》第三十六条、第四十一条",
        Rule.NO_REST_DAY: "《劳动法》第三十八条",
    }
    items = {rule: info.item_id for rule, info in RULES.items()}
    assert items[Rule.MINIMUM_WAGE] == items[Rule.HOURLY_MINIMUM] == "WAGE-04"
    assert items[Rule.DEDUCTION_SHARE] == items[Rule.DEDUCTION_MINIMUM] == "WAGE-07"
    assert items[Rule.OVERTIME_PAY] == "WAGE-06"
    assert items[Rule.LATE_PAYMENT] == items[Rule.UNPAID] == items[Rule.NOT_ON_PAYROLL] == "WAGE-01"
    assert items[Rule.DAILY_OVERTIME] == items[Rule.MONTHLY_OVERTIME] == "HOURS-03"
    assert items[Rule.NO_REST_DAY] == "HOURS-02"


def test_the_statutory_lines_are_the_law_s() -> None:
    assert (DAILY_OVERTIME_LIMIT, MONTHLY_OVERTIME_LIMIT, DEDUCTION_LIMIT_PERCENT) == (3, 36, 20)
    assert D("21.75") == MONTHLY_PAY_DAYS
    assert {"workday": D("1.5"), "rest_day": 2, "holiday": 3} == OVERTIME_PAY_RATES


# --- minimum wage (最低工资规定 第十二条) ----------------------------------------------------------------------------


@pytest.mark.parametrize(("gross", "found"), [(D("2329.99"), True), (D("2330.00"), False), (D("2330.01"), False)])
def test_a_month_exactly_at_the_minimum_is_lawful_and_a_fen_below_is_not(gross: Decimal, found: bool) -> None:
    violations, _ = check_payroll([PayrollMonth(0, SEP, gross=gross)], settings())
    assert [v.rule for v in violations] == ([Rule.MINIMUM_WAGE] if found else [])


def test_overtime_pay_special_allowances_and_welfare_are_left_out_of_the_comparison() -> None:
    record = PayrollMonth(0, SEP, gross=D(3000), overtime_pay=D(500), excluded_allowances=D(300))
    (violation,), _ = check_payroll([record], settings())
    assert violation.figure == D(2200)
    assert violation.limit == D(2330)
    assert violation.shortfall == D(130)
    assert detail_text(violation) == (
        "应发 3,000.00 − 加班工资 500.00 − 特殊津贴及福利 300.00 = 2,200.00；测试省第一档（测〔2026〕2号，2026-07-01起执行）"
    )


def test_personal_contributions_leave_the_comparison_only_where_the_published_row_says_so() -> None:
    record = PayrollMonth(0, SEP, gross=D(2400), personal_contributions=D(250))
    first, _ = check_payroll([record], settings())
    assert first == []  # 第一档 includes the worker's own contributions: 2400 ≥ 2330
    (violation,), _ = check_payroll([record], settings(grade="第二档"))
    assert violation.figure == D(2150)
    assert violation.limit == D(2200)


def test_a_month_the_table_does_not_cover_is_not_checked_never_guessed() -> None:
    record = PayrollMonth(0, dt.date(2024, 12, 1), gross=D(100))
    violations, gaps = check_payroll([record], settings())
    assert violations == []
    assert [(g.rule, g.reason) for g in gaps if g.rule is Rule.MINIMUM_WAGE] == [
        (Rule.MINIMUM_WAGE, GapReason.NO_MINIMUM)
    ]
    _, unknown_grade = check_payroll([PayrollMonth(0, SEP, gross=D(100))], settings(grade="第九档"))
    assert any(g.rule is Rule.MINIMUM_WAGE for g in unknown_grade)


def test_a_rate_that_starts_mid_month_checks_the_month_against_the_lower_rate() -> None:
    table = MinimumWageTable.model_validate(
        {
            "region": "测试省",
            "rates": [
                {"grade": "一类", "monthly": "2000", "effective_from": "2026-01-01", "document": "甲"},
                {"grade": "一类", "monthly": "2300", "effective_from": "2026-09-15", "document": "乙"},
            ],
        }
    )
    violations, _ = check_payroll([PayrollMonth(0, SEP, gross=D(2100))], settings(minimum_table=table, grade="一类"))
    assert violations == []
    violations, _ = check_payroll(
        [PayrollMonth(0, dt.date(2026, 10, 1), gross=D(2100))], settings(minimum_table=table, grade="一类")
    )
    assert [v.limit for v in violations] == [D(2300)]


def test_a_month_with_less_attendance_than_working_days_is_not_checked_and_says_whose_and_why() -> None:
    working_days = 22  # September 2026: 22 working days
    partial = PayrollMonth(0, SEP, gross=D(1000), attendance_days=D(working_days - 1))
    full = PayrollMonth(1, SEP, gross=D(1000), attendance_days=D(working_days))
    violations, gaps = check_payroll([partial, full], settings())
    assert [v.worker for v in violations] == [1]
    (gap,) = [g for g in gaps if g.rule is Rule.MINIMUM_WAGE]
    assert gap == Gap(Rule.MINIMUM_WAGE, SEP, GapReason.PARTIAL_MONTH, 1, 0, D(21), D(22))
    assert gap_text(gap) == (
        "出勤21天，当月工作日22天；当月出勤天数少于当月工作日，未按月最低工资标准比较（《最低工资规定》第三条）"
    )
    # The same from the attendance sheet's days when the payroll has no 出勤天数 column.
    from_sheet = AttendanceMonth(0, SEP, working_days - 1, 0, 0, 0)
    _, gaps = check_payroll([PayrollMonth(0, SEP, gross=D(1000))], settings(), {(0, SEP): from_sheet})
    assert [(g.worker, g.figure) for g in gaps if g.reason is GapReason.PARTIAL_MONTH] == [(0, D(21))]


def test_part_time_work_is_compared_per_hour() -> None:
    record = PayrollMonth(0, SEP, gross=D(1000), part_time=True, hours_worked=D(50))
    (violation,), _ = check_payroll([record], settings())
    assert violation.rule is Rule.HOURLY_MINIMUM
    assert (violation.figure, violation.limit, violation.shortfall) == (D(20), D(24), D(200))


# --- deductions (工资支付暂行规定 第十六条) ----------------------------------------------------------------------------


@pytest.mark.parametrize(("deduction", "exceeds"), [(D(600), False), (D("600.01"), True)])
def test_a_deduction_of_exactly_twenty_percent_is_lawful(deduction: Decimal, exceeds: bool) -> None:
    assert deduction_share(D(3000), deduction).exceeds is exceeds
    violations, _ = check_payroll([PayrollMonth(0, SEP, gross=D(3000), deduction=deduction)], settings())
    assert [v.rule for v in violations] == ([Rule.DEDUCTION_SHARE] if exceeds else [])


def test_what_is_left_after_a_deduction_must_reach_the_minimum() -> None:
    record = PayrollMonth(0, SEP, gross=D(2500), deduction=D(400))
    (violation,), _ = check_payroll([record], settings())
    assert violation.rule is Rule.DEDUCTION_MINIMUM
    assert (violation.figure, violation.limit, violation.shortfall) == (D(2100), D(2330), D(230))


# --- overtime pay (劳动法 第四十四条) ----------------------------------------------------------------------------------


def test_overtime_pay_is_due_at_150_200_and_300_percent_of_the_hourly_wage() -> None:
    due = overtime_pay_due(D(4350), D(10), D(8), D(8))
    assert hourly_wage(D(4350)) == D(25)
    assert due.amount == D("375") + D("400") + D("600")


def test_overtime_pay_short_by_a_yuan_or_more_is_found_and_rounding_is_not() -> None:
    base = dict(gross=D(6000), base=D(4350), workday_overtime_hours=D(10))
    violations, _ = check_payroll([PayrollMonth(0, SEP, overtime_pay=D("374.01"), **base)], settings())  # type: ignore[arg-type]
    assert violations == []
    violations, _ = check_payroll([PayrollMonth(0, SEP, overtime_pay=D(374), **base)], settings())  # type: ignore[arg-type]
    assert [(v.rule, v.shortfall) for v in violations] == [(Rule.OVERTIME_PAY, D(1))]


# --- pay day (工资支付暂行规定 第七条) ---------------------------------------------------------------------------------


def test_a_pay_day_on_a_rest_day_comes_forward_to_the_working_day_before() -> None:
    # 15 November 2026 is a Sunday: wages are due on Friday the 13th.
    assert due_date(dt.date(2026, 10, 1), 15, 1, WorkdayCalendar()) == dt.date(2026, 11, 13)
    # 3 October is in the National Day holiday: September's wages are due on 30 September.
    assert due_date(SEP, 3, 1, WorkdayCalendar()) == dt.date(2026, 9, 30)
    # 28 February 2026 is a Saturday but a make-up working day (调休上班): due that day.
    assert due_date(dt.date(2026, 2, 1), 31, 0, WorkdayCalendar()) == dt.date(2026, 2, 28)


def test_late_and_unpaid_months_say_how_much_and_how_many_days() -> None:
    late = PayrollMonth(0, SEP, net=D(3000), gross=D(3500), pay_date=dt.date(2026, 10, 25), pay_date_given=True)
    unpaid = PayrollMonth(1, SEP, net=D(2800), gross=D(3300), pay_date=None, pay_date_given=True)
    on_time = PayrollMonth(2, SEP, net=D(2800), gross=D(3300), pay_date=dt.date(2026, 10, 15), pay_date_given=True)
    violations, _ = check_payroll([late, unpaid, on_time], settings())
    found = {(v.rule, v.worker): v for v in violations}
    assert found[(Rule.LATE_PAYMENT, 0)].days_late == 10
    assert found[(Rule.LATE_PAYMENT, 0)].figure == D(3000)
    assert found[(Rule.UNPAID, 1)].days_late == (dt.date(2026, 11, 20) - dt.date(2026, 10, 15)).days
    assert (Rule.LATE_PAYMENT, 2) not in found


def test_a_month_not_yet_due_is_not_unpaid() -> None:
    record = PayrollMonth(0, dt.date(2026, 11, 1), net=D(100), gross=D(3000), pay_date_given=True)
    violations, _ = check_payroll([record], settings())
    assert all(v.rule is not Rule.UNPAID for v in violations)


# --- attendance (劳动法 第三十六条、第三十八条、第四十一条) --------------------------------------------------------------


def _days(start: dt.date, minutes: list[int]) -> list[tuple[int, int, int]]:
    return [(start.toordinal() + n, value, -1) for n, value in enumerate(minutes) if value]


def test_worked_minutes_take_the_break_and_cross_midnight() -> None:
    assert worked_minutes(8 * 60, 17 * 60, 60) == 480
    assert worked_minutes(20 * 60, 6 * 60, 60) == 540
    assert worked_minutes(8 * 60, 8 * 60 + 30, 60) == 0


def test_three_hours_of_overtime_a_day_is_lawful_and_a_minute_more_is_not() -> None:
    monday = dt.date(2026, 9, 7)
    period = (monday.toordinal(), monday.toordinal() + 27)
    (month,) = attendance_months(0, _days(monday, [660, 661, 480, 480, 480]), period)
    assert month.max_daily_overtime_minutes == 181
    assert month.days_over_daily_limit == 1
    (violation,) = check_attendance([month])
    assert violation.rule is Rule.DAILY_OVERTIME
    assert violation.figure == D("3.02")


def test_the_sixth_day_of_a_week_counts_as_overtime_and_seven_days_without_rest_is_found() -> None:
    monday = dt.date(2026, 9, 7)
    period = (monday.toordinal(), monday.toordinal() + 27)
    (month,) = attendance_months(0, _days(monday, [480] * 7), period)
    assert month.overtime_minutes == 2 * 480
    assert month.weeks_without_rest == (monday,)
    violations = check_attendance([month])
    assert [v.rule for v in violations] == [Rule.NO_REST_DAY]
    assert detail_text(violations[0]) == "9月7日至9月13日"


def test_a_week_only_partly_inside_the_attendance_is_not_judged_for_rest() -> None:
    monday = dt.date(2026, 9, 7)
    (month,) = attendance_months(0, _days(monday, [480] * 7), (monday.toordinal() + 1, monday.toordinal() + 30))
    assert month.weeks_without_rest == ()


def test_more_than_thirty_six_hours_a_month_breaks_the_limit() -> None:
    at_limit = AttendanceMonth(0, SEP, 22, 36 * 60, 120, 0)
    over = AttendanceMonth(1, SEP, 22, 36 * 60 + 1, 120, 0)
    assert [v.worker for v in check_attendance([at_limit, over])] == [1]
    assert check_attendance([over], {(1, SEP): D(10)}) == []


# --- statements -------------------------------------------------------------------------------------------------------


def test_months_are_written_as_ranges() -> None:
    months = [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 5, 1), dt.date(2026, 7, 1)]
    assert months_text(months) == "2025年12月至2026年2月、5月、7月"
    assert months_text([dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1)]) == "2026年7月至9月"
    assert months_text_en(months) == "December 2025 to February 2026, May 2026, July 2026"
    assert months_text_en([dt.date(2026, 9, 1)]) == "September 2026"


@pytest.fixture(scope="module")
def templates() -> TemplateSet:
    return load_template_set(default_template_dir())


def _statement(templates: TemplateSet, item_id: str, violations: list[Violation]) -> tuple[str, str]:
    item = next(item for module in templates.modules for item in module.items if item.id == item_id)
    chosen = choose_statement(item, evidence_facts(violations, dt.date(2026, 11, 20)).get(item_id, {}))
    return chosen.zh, chosen.en


def test_the_templates_statement_states_who_when_and_how_much(templates: TemplateSet) -> None:
    records = [PayrollMonth(n, SEP, gross=D(2330) - n - 1) for n in range(12)]
    violations, _ = check_payroll(records, settings())
    assert _statement(templates, "WAGE-04", violations) == (
        "经查，你单位2026年9月有12名提供正常劳动的劳动者月工资低于当地月最低工资标准，差额合计78元，明细见附件。",
        "The inspection found monthly wages for normal work below the local monthly minimum wage in September 2026 "
        "(workers: 12; 78 yuan short in total). Details are in the annex.",
    )


def test_each_rule_with_breaches_has_its_clause_and_an_item_without_evidence_keeps_its_own_words(
    templates: TemplateSet,
) -> None:
    unpaid = Violation(Rule.UNPAID, 0, SEP, D("3460.5"), D(0), D("3460.5"), 51, dt.date(2026, 10, 15))
    late = Violation(Rule.LATE_PAYMENT, 1, dt.date(2026, 10, 1), D(2000), D(0), D(2000), 3, dt.date(2026, 11, 13))
    zh, _ = _statement(templates, "WAGE-01", [unpaid, late])
    assert zh == (
        "经查，你单位2026年9月有1名劳动者的工资截至2026年11月20日仍未支付，拖欠金额合计3,460.50元，最长逾期51天；"
        "2026年10月有1名劳动者的工资未在约定日期支付，涉及金额2,000元，最长迟延3天，明细见附件。"
    )
    zh, _ = _statement(templates, "WAGE-01", [late])
    assert zh.startswith("经查，你单位2026年10月有1名劳动者的工资未在约定日期支付")
    long_day = Violation(Rule.DAILY_OVERTIME, 0, SEP, D("4.25"), D(3), D("1.25"))
    zh, en = _statement(templates, "HOURS-03", [long_day])
    assert zh == "经查，你单位2026年9月有1名劳动者单日延长工作时间超过三小时，单日最长延长4.3小时，明细见附件。"
    assert "(workers: 1; up to 4.3 hours a day)" in en
    assert _statement(templates, "WAGE-06", [])[0] == "经查，你单位未依法足额支付劳动者加班工资。"
