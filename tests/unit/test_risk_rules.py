"""The one risk rule (core.risk): each branch of the documented policy, the reasons' wording, the ranking key."""

from __future__ import annotations

import datetime as dt

from core.risk import HIGH, LOW, MEDIUM, Indicator, OpenItem, grade

TODAY = dt.date(2026, 11, 20)
PAST = dt.date(2026, 11, 1)
FUTURE = dt.date(2026, 12, 31)


def test_nothing_known_is_low_with_no_reasons() -> None:
    result = grade([], [], [], TODAY)
    assert (result.grade, result.reasons, result.summary) == (LOW, [], "未发现风险因素")


def test_an_overdue_serious_item_is_high() -> None:
    result = grade([OpenItem(HIGH, PAST)], [], [], TODAY)
    assert result.grade == HIGH
    assert result.reasons == ["1 项严重问题逾期未整改", "1 项严重问题未整改"]


def test_one_open_serious_item_is_medium_and_two_are_high() -> None:
    assert grade([OpenItem(HIGH, FUTURE)], [], [], TODAY).grade == MEDIUM
    two = grade([OpenItem(HIGH, FUTURE), OpenItem(HIGH, FUTURE)], [], [], TODAY)
    assert (two.grade, two.reasons) == (HIGH, ["2 项严重问题未整改"])


def test_overdue_ordinary_items_and_three_open_ones_are_medium() -> None:
    overdue = grade([OpenItem(MEDIUM, PAST)], [], [], TODAY)
    assert (overdue.grade, overdue.reasons) == (MEDIUM, ["1 项整改已逾期"])
    three = grade([OpenItem(MEDIUM, FUTURE)] * 3, [], [], TODAY)
    assert (three.grade, three.reasons) == (MEDIUM, ["3 项一般问题未整改"])
    assert grade([OpenItem(MEDIUM, FUTURE)] * 2, [], [], TODAY).grade == LOW


def test_a_deadline_of_today_is_not_yet_overdue() -> None:
    assert grade([OpenItem(MEDIUM, TODAY)], [], [], TODAY).grade == LOW


def test_departmental_indicators_name_their_source() -> None:
    complaint = grade([], [Indicator("wage_complaint", source="12345热线")], [], TODAY)
    assert (complaint.grade, complaint.reasons) == (HIGH, ["有欠薪投诉记录（来源：12345热线）"])
    for kind, label in (
        ("tax_arrears", "欠缴税费"),
        ("social_insurance_arrears", "欠缴社会保险费"),
        ("loan_default", "贷款逾期"),
        ("logistics_anomaly", "物流异常"),
    ):
        result = grade([], [Indicator(kind, source="区大数据局")], [], TODAY)
        assert (result.grade, result.reasons) == (MEDIUM, [f"{label}（来源：区大数据局）"])


def test_credit_grades_c_b_and_a() -> None:
    assert grade([], [Indicator("credit_grade", "c")], [], TODAY).reasons == ["劳动保障守法诚信等级为C级"]
    assert grade([], [Indicator("credit_grade", "c")], [], TODAY).grade == HIGH
    assert grade([], [Indicator("credit_grade", "B")], [], TODAY).grade == MEDIUM
    assert grade([], [Indicator("credit_grade", "A")], [], TODAY).grade == LOW


def test_signals_of_the_latest_visit_raise_to_medium_and_high_lists_medium_reasons_after() -> None:
    result = grade([OpenItem(HIGH, PAST)], [], [("WAGE-09", "欠薪风险预警")], TODAY)
    assert result.reasons[-1] == "最近一次体检记录了风险信号：欠薪风险预警"
    assert grade([], [], [("WAGE-09", "")], TODAY).reasons == ["最近一次体检记录了风险信号：风险预警"]
    assert grade([], [], [("WAGE-09", "欠薪风险预警")], TODAY).grade == MEDIUM


def test_the_score_ranks_grade_first_then_the_number_of_reasons() -> None:
    high_one = grade([], [Indicator("wage_complaint")], [], TODAY)
    high_two = grade([], [Indicator("wage_complaint"), Indicator("credit_grade", "C")], [], TODAY)
    medium_many = grade(
        [], [Indicator(kind) for kind in ("tax_arrears", "loan_default", "logistics_anomaly")], [], TODAY
    )
    assert high_two.score > high_one.score > medium_many.score > grade([], [], [], TODAY).score
