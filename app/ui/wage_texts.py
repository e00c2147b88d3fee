"""How the wage check's fields, rules, reasons and figures read in the interface language.

The domain keeps them as codes and numbers (:class:`~app.wage_evidence.columns.Field`,
:class:`~core.wage_rules.Rule`, :class:`~core.wage_rules.GapReason`, a breach's figures by name); the exported
table and the notice's annex word them in Chinese (:mod:`core.wage_wording`), the screens here, through ``tr()``
so that English comes from the translation file like every other string of the interface.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QObject

from app.ui.i18n import current_language
from app.wage_evidence.columns import Field
from core.labor_math import overtime_pay_due
from core.wage_rules import Gap, GapReason, Rule, Violation
from core.wage_statements import months_text, months_text_en
from core.wage_wording import yuan

__all__ = ["WageTexts", "number_text"]


def number_text(value: Decimal | int | str) -> str:
    """A plain number without trailing zeros (18, 4.5): days and hours as read."""
    return format(Decimal(value).normalize(), "f")


class WageTexts(QObject):
    """Words for the wage check's screens; every method answers in the language installed now."""

    def field(self, field: Field) -> str:
        labels = {
            Field.NAME: self.tr("姓名"),
            Field.ID_NUMBER: self.tr("身份证号"),
            Field.EMPLOYEE_NO: self.tr("工号"),
            Field.MONTH: self.tr("工资所属月份"),
            Field.GROSS: self.tr("应发工资"),
            Field.NET: self.tr("实发工资"),
            Field.BASE: self.tr("基本工资（加班工资计算基数）"),
            Field.OVERTIME_PAY: self.tr("加班工资"),
            Field.ALLOWANCE: self.tr("中夜班、高温、低温、井下、有毒有害等津贴"),
            Field.WELFARE: self.tr("法定福利待遇"),
            Field.SOCIAL_INSURANCE: self.tr("代扣个人社会保险费"),
            Field.HOUSING_FUND: self.tr("代扣个人住房公积金"),
            Field.INCOME_TAX: self.tr("代扣个人所得税"),
            Field.DEDUCTION: self.tr("扣款（赔偿经济损失等）"),
            Field.DEDUCTION_REASON: self.tr("扣款原因"),
            Field.PAY_DATE: self.tr("发放日期"),
            Field.ATTENDANCE_DAYS: self.tr("出勤天数"),
            Field.OVERTIME_HOURS: self.tr("工作日加班小时"),
            Field.REST_DAY_HOURS: self.tr("休息日加班小时"),
            Field.HOLIDAY_HOURS: self.tr("法定节假日加班小时"),
            Field.EMPLOYMENT: self.tr("用工形式（全日制/非全日制）"),
            Field.HOURS_WORKED: self.tr("工作小时数（非全日制）"),
            Field.DATE: self.tr("日期"),
            Field.PUNCH_IN: self.tr("上班打卡时间"),
            Field.PUNCH_OUT: self.tr("下班打卡时间"),
            Field.PUNCH_TIME: self.tr("打卡时间（每行一次打卡）"),
            Field.WORK_HOURS: self.tr("当日工作时长"),
            Field.DAILY_OVERTIME: self.tr("当日加班时长"),
            Field.DAY: self.tr("当日考勤（按日排列的考勤表）"),
        }
        return labels[field]

    def rule(self, rule: Rule) -> str:
        titles = {
            Rule.MINIMUM_WAGE: self.tr("月工资低于当地月最低工资标准"),
            Rule.HOURLY_MINIMUM: self.tr("非全日制用工小时工资低于当地小时最低工资标准"),
            Rule.DEDUCTION_SHARE: self.tr("每月扣除工资超过当月工资的百分之二十"),
            Rule.DEDUCTION_MINIMUM: self.tr("扣除后的剩余工资低于当地月最低工资标准"),
            Rule.OVERTIME_PAY: self.tr("加班工资低于法定标准"),
            Rule.LATE_PAYMENT: self.tr("工资未在约定日期支付"),
            Rule.UNPAID: self.tr("工资逾期未支付"),
            Rule.NOT_ON_PAYROLL: self.tr("有出勤记录而工资表中无当月工资"),
            Rule.DAILY_OVERTIME: self.tr("单日延长工作时间超过三小时"),
            Rule.MONTHLY_OVERTIME: self.tr("月延长工作时间超过三十六小时"),
            Rule.NO_REST_DAY: self.tr("未保证每周至少休息一日"),
        }
        return titles[rule]

    def amount(self, rule: Rule, value: Decimal) -> str:
        """A breach's shortfall or excess with its unit ("330.00 元", "1.25 小时", "1 周")."""
        if rule is Rule.NOT_ON_PAYROLL:
            return self.tr("%1 天").replace("%1", number_text(value))
        if rule in (Rule.DAILY_OVERTIME, Rule.MONTHLY_OVERTIME):
            return self.tr("%1 小时").replace("%1", number_text(value))
        if rule is Rule.NO_REST_DAY:
            return self.tr("%1 周").replace("%1", number_text(value))
        return self.tr("%1 元").replace("%1", yuan(value))

    def reason(self, reason: GapReason) -> str:
        texts = {
            GapReason.NO_GROSS: self.tr("工资表未提供应发工资"),
            GapReason.PARTIAL_MONTH: self.tr(
                "当月出勤天数少于当月工作日，未按月最低工资标准比较（《最低工资规定》第三条）"
            ),
            GapReason.NO_CONTRIBUTIONS: self.tr("标准不含个人缴纳社会保险费和住房公积金，工资表未列该项，未予剔除"),
            GapReason.NO_PART_TIME_PAY: self.tr("非全日制劳动者未提供工资或工作小时数"),
            GapReason.NO_HOURLY_RATE: self.tr("最低工资标准表未列小时最低工资标准"),
            GapReason.NO_MINIMUM: self.tr("最低工资标准表未覆盖该月或未选择适用标准"),
            GapReason.NO_BASE: self.tr("工资表未同时提供基本工资和加班工资"),
            GapReason.NO_PAY_DAY: self.tr("未填写约定的工资支付日"),
            GapReason.NO_PAY_DATE: self.tr("工资表未提供发放日期"),
            GapReason.NO_AMOUNT: self.tr("工资表未提供实发或应发工资"),
        }
        return texts[reason]

    def gap(self, gap: Gap) -> str:
        """A worker's month that was not checked: its days and the reason."""
        if gap.reason is GapReason.PARTIAL_MONTH and gap.figure is not None and gap.limit is not None:
            days = self.tr("出勤%1天，当月工作日%2天；").replace("%1", number_text(gap.figure))
            return days.replace("%2", number_text(gap.limit)) + self.reason(gap.reason)
        return self.reason(gap.reason)

    def months(self, months: Iterable[dt.date]) -> str:
        """Months as a reader says them in the interface language (2026年7月至9月 / July to September 2026)."""
        return months_text(months) if current_language().startswith("zh") else months_text_en(months)

    def day(self, day: dt.date) -> str:
        return day.isoformat()

    def source(self, values: dict[str, str]) -> str:
        """The published rate a month was compared with: its region and grade and document are data."""
        text = self.tr("%1（%2，%3起执行）").replace("%1", values["standard"]).replace("%2", values["document"])
        return text.replace("%3", values["effective"])

    def detail(self, violation: Violation) -> str:
        """How a breach's figure was found ("应发 2,300.00 − 加班工资 200.00 = 2,100.00；…")."""
        values = dict(violation.detail)
        match violation.rule:
            case Rule.MINIMUM_WAGE:
                labels = (
                    ("gross", self.tr("应发 %1")),
                    ("overtime_pay", self.tr("加班工资 %1")),
                    ("allowances", self.tr("特殊津贴及福利 %1")),
                    ("contributions", self.tr("个人缴纳社保公积金 %1")),
                )
                parts = [label.replace("%1", yuan(values[key])) for key, label in labels if key in values]
                return f"{' − '.join(parts)} = {yuan(values['compared'])}; {self.source(values)}"
            case Rule.HOURLY_MINIMUM:
                per = self.tr("%1 小时").replace("%1", number_text(values["hours"]))
                return f"{yuan(values['pay'])} ÷ {per}; {self.source(values)}"
            case Rule.DEDUCTION_SHARE:
                return self.tr("当月工资 %1").replace("%1", yuan(values["wage"]))
            case Rule.DEDUCTION_MINIMUM:
                return f"{yuan(values['gross'])} − {yuan(values['deduction'])}; {self.source(values)}"
            case Rule.OVERTIME_PAY:
                spent = [Decimal(values[key]) for key in ("workday_hours", "rest_day_hours", "holiday_hours")]
                due = overtime_pay_due(Decimal(values["base"]), *spent)
                text = self.tr(
                    "小时工资 %1 元；延长工作时间 %2 小时、休息日 %3 小时、法定休假日 %4 小时，应付不低于 %5"
                )
                hourly = number_text(due.hourly.quantize(Decimal("0.0001")))
                for number, value in enumerate((hourly, *(number_text(h) for h in spent), yuan(due.amount)), 1):
                    text = text.replace(f"%{number}", value)
                return text
            case Rule.LATE_PAYMENT:
                return self.tr("%1 支付").replace("%1", values["paid_on"])
            case Rule.UNPAID:
                return self.tr("截至 %1 未支付").replace("%1", values["as_of"])
            case Rule.NOT_ON_PAYROLL:
                return self.tr("考勤表有出勤记录")
            case Rule.DAILY_OVERTIME:
                return self.tr("超过三小时的天数：%1天").replace("%1", values["days_over"])
            case Rule.MONTHLY_OVERTIME:
                if values.get("basis") == "payroll":
                    return self.tr("工资表记载的加班小时数")
                return self.tr("按考勤记录计算")
            case Rule.NO_REST_DAY:
                weeks = [dt.date.fromisoformat(day) for day in values["weeks"].split(",") if day]
                spans = [f"{monday.isoformat()} – {(monday + dt.timedelta(days=6)).isoformat()}" for monday in weeks]
                return self.tr("未休息的周：%1").replace("%1", ", ".join(spans))
