"""The figures labor law makes a coordinator compute, with the reason in words.

Every function here turns captured inputs into a number or a yes/no and, where the UI shows it, a short
Chinese explanation a coordinator can read out to the enterprise (the formula with its figures and the legal
basis). Money and shares are ``Decimal``; thresholds are decided in exact arithmetic, never in floats, because
the law draws its lines exactly on round figures ("百分之十以上" includes 10% — 民法典 第一千二百五十九条:
"以上、以下、以内、届满，包括本数；不满、超过、以外，不包括本数").

Functions whose signature returns a bare ``int``/``bool`` have a companion returning the explained result
(``double_wage_months`` / ``double_wage_exposure`` …); the bare form is the companion's number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Final

from core.errors import LaborCheckError

__all__ = [
    "DAILY_OVERTIME_LIMIT",
    "DEDUCTION_LIMIT_PERCENT",
    "MONTHLY_OVERTIME_LIMIT",
    "MONTHLY_PAY_DAYS",
    "OVERTIME_PAY_RATES",
    "STANDARD_DAY_HOURS",
    "STANDARD_WEEK_HOURS",
    "AnnualLeave",
    "Compensation",
    "DeductionCheck",
    "DispatchShare",
    "DoubleWageExposure",
    "LaborMathError",
    "LayoffThreshold",
    "MaternityLeave",
    "OvertimeCheck",
    "OvertimePayDue",
    "ProbationLimit",
    "WageAfterDeduction",
    "annual_leave",
    "annual_leave_days",
    "deduction_check",
    "deduction_exceeds",
    "deduction_share",
    "dispatch_share",
    "double_wage_exposure",
    "double_wage_months",
    "economic_compensation",
    "exceeds_daily_overtime",
    "exceeds_monthly_overtime",
    "hourly_wage",
    "layoff_threshold",
    "maternity_leave",
    "maternity_leave_days",
    "overtime_exceeds",
    "overtime_pay_due",
    "probation_limit",
    "probation_limit_months",
    "wage_after_deduction",
    "wage_after_deduction_below_minimum",
]

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


class LaborMathError(LaborCheckError, ValueError):
    """An input no real enterprise can have (a negative headcount, a wage that is not a number)."""


# ------------------------------------------------------------------------------------------------ helpers


def _count(value: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LaborMathError(f"{label}应为整数：{value!r}")
    if value < 0:
        raise LaborMathError(f"{label}不能为负数：{value}")
    return value


def _amount(value: Decimal | int, label: str) -> Decimal:
    """Accept a Decimal (or int); refuse floats, whose binary rounding has no place in money."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise LaborMathError(f"{label}应为 Decimal 数值：{value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise LaborMathError(f"{label}不是有效数值：{value}")
    if number < 0:
        raise LaborMathError(f"{label}不能为负数：{value}")
    return number


def _optional_amount(value: Decimal | int | None, label: str) -> Decimal | None:
    return None if value is None else _amount(value, label)


def _percent(share: Decimal, rounding: str = ROUND_HALF_UP) -> str:
    """A share as a percentage with two decimals. Where a share can sit a hair above a "不超过 10%" line,
    round up, so an exceeding share never prints as 10.00%."""
    return f"{(share * _HUNDRED).quantize(_CENT, rounding=rounding)}%"


def _money(value: Decimal) -> str:
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,} 元"


def _number(value: Decimal) -> str:
    """A Decimal without trailing zeros and without exponent: 6, 5.5, 36."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# ------------------------------------------------------------------------------------------------- layoff


@dataclass(frozen=True)
class LayoffThreshold:
    """Whether a layoff is large enough for the economic-layoff procedure (经济性裁员程序)."""

    laid_off: int
    headcount: int
    share: Decimal | None
    reached: bool
    explanation: str


def layoff_threshold(laid_off: int, headcount: int) -> LayoffThreshold:
    """劳动合同法 第四十一条第一款: "需要裁减人员二十人以上或者裁减不足二十人但占企业职工总数百分之十以上的"
    the employer must explain the situation to the union or all staff 30 days ahead, hear their opinions
    and report the plan to the labor authority.

    "以上" includes the figure itself (民法典 第一千二百五十九条), so 20 people, or exactly 10% of the workforce,
    reach the threshold. ``headcount`` is the enterprise's total staff (企业职工总数) before the cut; with
    no headcount the share is unknown and only the 20-person rule can decide. (Under twenty people a share
    below 10% is at most 19/191 = 9.947%, so the rounded percentage shown can never read 10.00%.)
    """
    laid_off = _count(laid_off, "裁减人数")
    headcount = _count(headcount, "职工总数")
    share = Decimal(laid_off) / Decimal(headcount) if headcount else None
    basis = "（《劳动合同法》第四十一条第一款）"
    if laid_off >= 20:
        reached = True
        text = f"裁减人数 {laid_off} 人，达到二十人以上，应履行经济性裁员程序{basis}"
    elif share is None:
        reached = False
        text = f"裁减人数 {laid_off} 人，不足二十人；职工总数为 0 或未填写，无法判断是否达到职工总数的百分之十{basis}"
    elif laid_off * 10 >= headcount:
        reached = True
        text = (
            f"裁减人数 {laid_off} 人，不足二十人，但占职工总数 {headcount} 人的 "
            f"{_percent(share)}，达到百分之十以上，应履行经济性裁员程序{basis}"
        )
    else:
        reached = False
        text = (
            f"裁减人数 {laid_off} 人，不足二十人，占职工总数 {headcount} 人的 "
            f"{_percent(share)}，不足百分之十，未达到经济性裁员规模{basis}"
        )
    return LayoffThreshold(laid_off, headcount, share, reached, text)


# ----------------------------------------------------------------------------------------------- dispatch


@dataclass(frozen=True)
class DispatchShare:
    """Share of dispatched workers in total labor use (用工总量)."""

    dispatched: int
    contracted: int
    total: int
    share: Decimal | None
    exceeds: bool
    explanation: str


def dispatch_share(dispatched: int, contracted: int) -> DispatchShare:
    """劳务派遣暂行规定 第四条: "使用的被派遣劳动者数量不得超过其用工总量的10%"; "用工总量是指用工单位订立劳动
    合同人数与使用的被派遣劳动者人数之和". "不得超过" allows exactly 10%; only more exceeds. With nobody at all
    there is no share and nothing exceeds.
    """
    dispatched = _count(dispatched, "被派遣劳动者人数")
    contracted = _count(contracted, "订立劳动合同人数")
    total = dispatched + contracted
    basis = "（《劳务派遣暂行规定》第四条）"
    if total == 0:
        text = f"用工总量为 0，无法计算劳务派遣用工比例{basis}"
        return DispatchShare(dispatched, contracted, 0, None, False, text)
    share = Decimal(dispatched) / Decimal(total)
    exceeds = dispatched * 10 > total
    verdict = "超过用工总量的 10%，应调整用工结构" if exceeds else "未超过用工总量的 10%"
    text = (
        f"被派遣劳动者 {dispatched} 人 ÷ 用工总量 {total} 人（订立劳动合同 {contracted} 人 + 被派遣 "
        f"{dispatched} 人）= {_percent(share, ROUND_UP)}，{verdict}{basis}"
    )
    return DispatchShare(dispatched, contracted, total, share, exceeds, text)


# ------------------------------------------------------------------------------------------ double wages


@dataclass(frozen=True)
class DoubleWageExposure:
    """Months for which double wages are owed for want of a written contract."""

    months_without_contract: int
    months: int
    deemed_open_ended: bool
    explanation: str


def double_wage_exposure(months_without_contract: int) -> DoubleWageExposure:
    """劳动合同法 第八十二条第一款: an employer that has not concluded a written contract more than one month
    and less than a year after employment began pays double wages each month. 实施条例 第六条: from the day
    after the first month; 第七条: at most up to the day before the first full year — eleven months — and
    from the first full year an open-ended contract is deemed concluded (劳动合同法 第十四条第三款).

    ``months_without_contract`` counts whole months since employment began without a written contract; the
    exposure is ``max(0, min(m, 12) - 1)`` months (a month's part-days are left to the detailed calculation).
    """
    m = _count(months_without_contract, "未订立书面劳动合同月数")
    months = max(0, min(m, 12) - 1)
    deemed = m >= 12
    if m <= 1:
        text = (
            f"未订立书面劳动合同 {m} 个月，仍在自用工之日起一个月的订立期限内，不产生二倍工资，"
            "应尽快订立（《劳动合同法》第十条）"
        )
    elif not deemed:
        text = (
            f"未订立书面劳动合同 {m} 个月：自用工之日起满一个月的次日起每月支付二倍工资，"
            f"二倍工资差额涉及 min({m}, 12) − 1 = {months} 个月"
            "（《劳动合同法》第八十二条；《劳动合同法实施条例》第六条）"
        )
    else:
        text = (
            f"未订立书面劳动合同 {m} 个月，已满一年：二倍工资最多支付 11 个月（自满一个月的次日至满一年的前一日）；"
            "自用工之日起满一年的当日视为已订立无固定期限劳动合同，应立即补订书面劳动合同"
            "（《劳动合同法》第十四条第三款、第八十二条；《劳动合同法实施条例》第七条）"
        )
    return DoubleWageExposure(m, months, deemed, text)


def double_wage_months(months_without_contract: int) -> int:
    """Months of double-wage exposure, ``max(0, min(m, 12) - 1)``; see :func:`double_wage_exposure`."""
    return double_wage_exposure(months_without_contract).months


# ------------------------------------------------------------------------------------ economic compensation


@dataclass(frozen=True)
class Compensation:
    """Economic compensation (经济补偿) owed on termination, with its formula."""

    service_months: int
    months_payable: Decimal
    base_wage: Decimal
    amount: Decimal
    capped: bool
    explanation: str


def economic_compensation(
    service_months: int,
    monthly_wage: Decimal,
    local_average_monthly_wage: Decimal | None,
) -> Compensation:
    """劳动合同法 第四十七条: one month's wage for each full year of service; six months or more counts as a
    year, under six months earns half a month's wage. Where the monthly wage exceeds three times the local
    average monthly wage of the previous year (published by the municipal government), the base is three
    times that average and the years counted are at most twelve.

    ``service_months`` counts completed months; a remainder of 1 to 5 months gives half a month, 6 to 11 a
    full month. ``monthly_wage`` is the average of the twelve months before termination (第四十七条第三款;
    实施条例 第二十七条 includes bonuses and allowances and lifts it to the minimum wage when lower — the
    caller enters the figure). The amount is rounded to the fen.
    """
    service_months = _count(service_months, "工作年限（月）")
    wage = _amount(monthly_wage, "月工资")
    average = _optional_amount(local_average_monthly_wage, "当地上年度职工月平均工资")
    if average is not None and average == 0:
        raise LaborMathError("当地上年度职工月平均工资不能为 0")

    years, remainder = divmod(service_months, 12)
    if remainder >= 6:
        extra, remainder_text = Decimal(1), f"不满一年的 {remainder} 个月（六个月以上）按一年计 1 个月"
    elif remainder > 0:
        extra, remainder_text = Decimal("0.5"), f"不满一年的 {remainder} 个月（不满六个月）计半个月"
    else:
        extra, remainder_text = Decimal(0), ""
    months = Decimal(years) + extra
    parts = [f"满 {years} 年计 {years} 个月"] if years else []
    if remainder_text:
        parts.append(remainder_text)
    counting = "，".join(parts) if parts else "无工作年限"
    text = f"工作年限 {years} 年 {remainder} 个月：{counting}，共 {_number(months)} 个月"

    capped = average is not None and wage > 3 * average
    if capped and average is not None:
        base = 3 * average
        text += (
            f"；月工资 {_money(wage)}高于当地上年度职工月平均工资 {_money(average)}的三倍，"
            f"按三倍即 {_money(base)}计算，年限最高按十二年计"
        )
        if months > 12:
            text += f"（{_number(months)} 个月计为 12 个月）"
            months = Decimal(12)
    else:
        base = wage
        text += f"；月工资 {_money(wage)}"
    amount = (months * base).quantize(_CENT, rounding=ROUND_HALF_UP)
    text += f"；经济补偿 = {_number(months)} × {_money(base)} = {_money(amount)}（《劳动合同法》第四十七条）"
    return Compensation(service_months, months, base, amount, capped, text)


# ------------------------------------------------------------------------------------------------ probation


@dataclass(frozen=True)
class ProbationLimit:
    """The longest probation a contract of a given term may agree."""

    contract_months: int | None
    max_months: int
    explanation: str


def probation_limit(contract_months: int | None) -> ProbationLimit:
    """劳动合同法 第十九条: term under three months — no probation; three months to under one year — at most
    one month; one year to under three years — at most two months; three years or more, and open-ended
    contracts (``None``) — at most six months. Only one probation per worker with the same employer, and none
    in a contract for a specific task (以完成一定工作任务为期限), which this figure does not cover.
    """
    basis = "（《劳动合同法》第十九条）"
    if contract_months is None:
        return ProbationLimit(None, 6, f"无固定期限劳动合同，试用期不得超过六个月{basis}")
    months = _count(contract_months, "劳动合同期限（月）")
    if months < 3:
        limit, rule = 0, "不满三个月，不得约定试用期"
    elif months < 12:
        limit, rule = 1, "三个月以上不满一年，试用期不得超过一个月"
    elif months < 36:
        limit, rule = 2, "一年以上不满三年，试用期不得超过二个月"
    else:
        limit, rule = 6, "三年以上，试用期不得超过六个月"
    return ProbationLimit(months, limit, f"劳动合同期限 {months} 个月，{rule}{basis}")


def probation_limit_months(contract_months: int | None) -> int:
    """Longest lawful probation in months; ``None`` is an open-ended contract. See :func:`probation_limit`."""
    return probation_limit(contract_months).max_months


# ------------------------------------------------------------------------------------------- annual leave


@dataclass(frozen=True)
class AnnualLeave:
    """Statutory paid annual leave for a cumulative length of working life."""

    cumulative_service_years: Decimal
    days: int
    explanation: str


def annual_leave(cumulative_service_years: Decimal) -> AnnualLeave:
    """职工带薪年休假条例 第三条: cumulative work (累计工作, with any employer) of 1 to under 10 years — 5 days;
    10 to under 20 — 10 days; 20 or more — 15 days; under one year — none. (第四条 lists the cases that lose
    the year's leave, such as long personal or sick leave; those are for the coordinator to judge.)
    """
    years = _amount(cumulative_service_years, "累计工作年限")
    if years < 1:
        days, rule = 0, "不满 1 年，不享受年休假"
    elif years < 10:
        days, rule = 5, "已满 1 年不满 10 年，年休假 5 天"
    elif years < 20:
        days, rule = 10, "已满 10 年不满 20 年，年休假 10 天"
    else:
        days, rule = 15, "已满 20 年，年休假 15 天"
    return AnnualLeave(years, days, f"累计工作 {_number(years)} 年，{rule}（《职工带薪年休假条例》第三条）")


def annual_leave_days(cumulative_service_years: Decimal) -> int:
    """Days of statutory paid annual leave; see :func:`annual_leave`."""
    return annual_leave(cumulative_service_years).days


# ------------------------------------------------------------------------------------------------ overtime


@dataclass(frozen=True)
class OvertimeCheck:
    """Whether overtime exceeds the statutory limits; ``None`` where an input is missing."""

    daily_max_hours: Decimal | None
    monthly_hours: Decimal | None
    daily_exceeds: bool | None
    monthly_exceeds: bool | None
    exceeds: bool | None
    explanation: str


DAILY_OVERTIME_LIMIT: Final = Decimal(3)
"""劳动法 第四十一条: "延长工作时间每日不得超过三小时" (hours; exactly three is allowed)."""
MONTHLY_OVERTIME_LIMIT: Final = Decimal(36)
"""劳动法 第四十一条: "但是每月不得超过三十六小时" (hours; exactly 36 is allowed)."""
STANDARD_DAY_HOURS: Final = Decimal(8)
"""劳动法 第三十六条 and 国务院关于职工工作时间的规定 第三条: at most eight hours a day."""
STANDARD_WEEK_HOURS: Final = Decimal(40)
"""国务院关于职工工作时间的规定 第三条: at most forty hours a week (劳动法 第三十六条 said 44 before 1995)."""


def exceeds_daily_overtime(hours: Decimal) -> bool:
    """More than three hours of overtime on one day (劳动法 第四十一条); three itself is allowed."""
    return hours > DAILY_OVERTIME_LIMIT


def exceeds_monthly_overtime(hours: Decimal) -> bool:
    """More than 36 hours of overtime in one month (劳动法 第四十一条); 36 itself is allowed."""
    return hours > MONTHLY_OVERTIME_LIMIT


def overtime_exceeds(daily_max_hours: Decimal | None, monthly_hours: Decimal | None) -> OvertimeCheck:
    """劳动法 第四十一条: overtime is normally at most one hour a day; for special reasons at most three hours a
    day, and never more than 36 hours a month. So more than 3 hours on a day, or more than 36 in a month,
    exceeds the law (3 and 36 themselves are allowed). Either excess decides on its own; when neither exceeds
    and a figure is missing, the answer is unknown (``None``). (第四十二条 emergencies are outside these
    limits; the coordinator records such a case in the finding.)
    """
    daily = _optional_amount(daily_max_hours, "每日最长加班小时数")
    monthly = _optional_amount(monthly_hours, "每月加班小时数")
    daily_exceeds = None if daily is None else exceeds_daily_overtime(daily)
    monthly_exceeds = None if monthly is None else exceeds_monthly_overtime(monthly)
    if daily_exceeds or monthly_exceeds:
        exceeds: bool | None = True
    elif daily_exceeds is None or monthly_exceeds is None:
        exceeds = None
    else:
        exceeds = False

    parts: list[str] = []
    if daily is None:
        parts.append("每日加班时长未填写")
    elif daily_exceeds:
        parts.append(f"每日最长加班 {_number(daily)} 小时，超过每日三小时的上限")
    elif daily > 1:
        parts.append(f"每日最长加班 {_number(daily)} 小时，超过一般每日一小时，须有特殊原因且不超过三小时")
    else:
        parts.append(f"每日最长加班 {_number(daily)} 小时，未超过限度")
    if monthly is None:
        parts.append("每月加班时长未填写")
    elif monthly_exceeds:
        parts.append(f"每月加班 {_number(monthly)} 小时，超过每月三十六小时的上限")
    else:
        parts.append(f"每月加班 {_number(monthly)} 小时，未超过每月三十六小时")
    verdict = {True: "超过法定加班限度", False: "未超过法定加班限度", None: "尚无法判断"}[exceeds]
    text = f"{'；'.join(parts)}：{verdict}（《劳动法》第四十一条）"
    return OvertimeCheck(daily, monthly, daily_exceeds, monthly_exceeds, exceeds, text)


# ------------------------------------------------------------------------------------------------ deductions


@dataclass(frozen=True)
class DeductionCheck:
    """Whether a monthly deduction for losses exceeds 20% of that month's wage."""

    max_deduction_pct: Decimal
    exceeds: bool
    explanation: str


DEDUCTION_LIMIT_PERCENT: Final = Decimal(20)
"""工资支付暂行规定 第十六条: "每月扣除的部分不得超过劳动者当月工资的20%"."""


def deduction_check(max_deduction_pct: Decimal) -> DeductionCheck:
    """工资支付暂行规定 第十六条: compensation for losses the worker caused may be deducted from wages, "但每月扣除
    的部分不得超过劳动者当月工资的20%". Exactly 20% is allowed; more exceeds. (The cap is for this kind of
    deduction; tax and social-insurance withholding under 第十五条 is not counted against it.)
    """
    pct = _amount(max_deduction_pct, "每月扣除工资比例")
    exceeds = pct > DEDUCTION_LIMIT_PERCENT
    verdict = "超过当月工资的 20%" if exceeds else "未超过当月工资的 20%"
    text = f"每月最多扣除工资 {_number(pct)}%，{verdict}（《工资支付暂行规定》第十六条）"
    return DeductionCheck(pct, exceeds, text)


def deduction_exceeds(max_deduction_pct: Decimal) -> bool:
    """True when the largest monthly deduction is over 20% of the wage; see :func:`deduction_check`."""
    return deduction_check(max_deduction_pct).exceeds


def deduction_share(wage: Decimal, deduction: Decimal) -> DeductionCheck:
    """A month's deduction as a share of that month's wage, judged by :func:`deduction_check` (one 20% line).

    The share is exact where it matters: with amounts in fen, a share that is not exactly 20% differs from it by
    far more than Decimal's 28 significant digits can blur. A month with no wage and a deduction exceeds.
    """
    wage_ = _amount(wage, "当月工资")
    deduction_ = _amount(deduction, "扣除金额")
    if wage_ == 0:
        return (
            deduction_check(Decimal(0))
            if deduction_ == 0
            else DeductionCheck(
                Decimal(100), True, "当月工资为 0 而有扣除，超过当月工资的 20%（《工资支付暂行规定》第十六条）"
            )
        )
    return deduction_check(deduction_ * _HUNDRED / wage_)


@dataclass(frozen=True)
class WageAfterDeduction:
    """The wage left after a deduction, against the local minimum wage."""

    wage: Decimal
    deduction: Decimal
    remaining: Decimal
    minimum: Decimal
    below_minimum: bool
    explanation: str


def wage_after_deduction(wage: Decimal, deduction: Decimal, minimum: Decimal) -> WageAfterDeduction:
    """工资支付暂行规定 第十六条: "若扣除后的剩余工资部分低于当地月最低工资标准，则按最低工资标准支付" — what is
    left must not fall below the local monthly minimum wage; exactly the minimum is allowed.
    """
    wage_ = _amount(wage, "当月工资")
    deduction_ = _amount(deduction, "扣除金额")
    minimum_ = _amount(minimum, "当地月最低工资标准")
    remaining = wage_ - deduction_
    below = remaining < minimum_
    verdict = "低于" if below else "不低于"
    text = (
        f"扣除后剩余工资 {_money(wage_)} − {_money(deduction_)} = {_money(remaining)}，{verdict}当地月最低工资标准 "
        f"{_money(minimum_)}（《工资支付暂行规定》第十六条）"
    )
    return WageAfterDeduction(wage_, deduction_, remaining, minimum_, below, text)


def wage_after_deduction_below_minimum(wage: Decimal, deduction: Decimal, minimum: Decimal) -> bool:
    """True when ``wage - deduction`` is below the local monthly minimum wage; see :func:`wage_after_deduction`."""
    return wage_after_deduction(wage, deduction, minimum).below_minimum


# ------------------------------------------------------------------------------------------ maternity leave


@dataclass(frozen=True)
class MaternityLeave:
    """Statutory maternity leave under the national rule."""

    difficult_birth: bool
    babies: int
    days: int
    explanation: str


def maternity_leave(difficult_birth: bool, babies: int) -> MaternityLeave:
    """女职工劳动保护特别规定 第七条: 98 days of maternity leave (up to 15 before the birth); 15 more for a
    difficult birth (难产); 15 more for each additional baby of a multiple birth. Provincial regulations on
    population and family planning add further leave (生育奖励假); those vary and are not included.
    """
    babies = _count(babies, "婴儿数")
    if babies < 1:
        raise LaborMathError("生育婴儿数至少为 1")
    days = 98 + (15 if difficult_birth else 0) + 15 * (babies - 1)
    parts = ["基本产假 98 天"]
    if difficult_birth:
        parts.append("难产增加 15 天")
    if babies > 1:
        parts.append(f"多胞胎多生育 {babies - 1} 个婴儿增加 {15 * (babies - 1)} 天")
    text = f"{'，'.join(parts)}，共 {days} 天（《女职工劳动保护特别规定》第七条；地方规定的生育奖励假另计）"
    return MaternityLeave(difficult_birth, babies, days, text)


def maternity_leave_days(difficult_birth: bool, babies: int) -> int:
    """Days of national statutory maternity leave; see :func:`maternity_leave`."""
    return maternity_leave(difficult_birth, babies).days


# ------------------------------------------------------------------------------------------------ overtime pay

MONTHLY_PAY_DAYS: Final = Decimal("21.75")
"""月计薪天数 (劳社部发〔2008〕3号 二): (365 − 104) ÷ 12 = 21.75; 小时工资 = 月工资收入 ÷ (21.75 × 8)."""
OVERTIME_PAY_RATES: Final = {"workday": Decimal("1.5"), "rest_day": Decimal(2), "holiday": Decimal(3)}
"""劳动法 第四十四条: not less than 150% for extended hours, 200% for rest-day work without time off in lieu,
300% for work on statutory holidays."""


def hourly_wage(monthly_wage: Decimal) -> Decimal:
    """小时工资 = 月工资收入 ÷ (月计薪天数 × 8小时) (劳社部发〔2008〕3号 二), unrounded."""
    return _amount(monthly_wage, "月工资") / (MONTHLY_PAY_DAYS * STANDARD_DAY_HOURS)


@dataclass(frozen=True)
class OvertimePayDue:
    """The least overtime pay the law requires for a month's overtime hours on a monthly base wage."""

    base_wage: Decimal
    hourly: Decimal
    workday_hours: Decimal
    rest_day_hours: Decimal
    holiday_hours: Decimal
    amount: Decimal
    explanation: str


def overtime_pay_due(
    base_wage: Decimal, workday_hours: Decimal, rest_day_hours: Decimal, holiday_hours: Decimal
) -> OvertimePayDue:
    """劳动法 第四十四条 on an hourly wage from :func:`hourly_wage`: 150% × workday overtime hours + 200% ×
    rest-day hours (not given time off in lieu) + 300% × statutory-holiday hours. The amount is rounded to the
    fen once, at the end, so no intermediate rounding can favour either side.
    """
    hourly = hourly_wage(base_wage)
    hours = {
        "workday": _amount(workday_hours, "延长工作时间小时数"),
        "rest_day": _amount(rest_day_hours, "休息日工作小时数"),
        "holiday": _amount(holiday_hours, "法定休假日工作小时数"),
    }
    exact = sum((hourly * OVERTIME_PAY_RATES[kind] * value for kind, value in hours.items()), Decimal(0))
    amount = exact.quantize(_CENT, rounding=ROUND_HALF_UP)
    labels = {"workday": "延长工作时间", "rest_day": "休息日", "holiday": "法定休假日"}
    parts = [
        f"{labels[kind]} {_number(value)} 小时 × {_number(OVERTIME_PAY_RATES[kind] * _HUNDRED)}%"
        for kind, value in hours.items()
        if value
    ]
    text = (
        f"小时工资 = {_money(_amount(base_wage, '月工资'))} ÷ (21.75 × 8) = "
        f"{hourly.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)} 元；"
        f"{'；'.join(parts) if parts else '无加班小时'}，应付加班工资不低于 {_money(amount)}"
        "（《劳动法》第四十四条；劳社部发〔2008〕3号）"
    )
    return OvertimePayDue(base_wage, hourly, hours["workday"], hours["rest_day"], hours["holiday"], amount, text)
