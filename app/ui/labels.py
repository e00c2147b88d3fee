"""Domain values as the interface shows them, in the interface language.

The services keep their values as codes and stored words (severity 高/中/低, answer status, item status, computed
figures, risk factors): those are what the database, the exports and the official notice hold, in Chinese. What a
coordinator reads on screen is made here, through ``QCoreApplication.translate``, so it follows the language
chosen in 设置 at once. Template content (item texts, laws) stays as the template wrote it, except the module
titles, which the templates carry in English too (``title_en``).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from app.audit.risk import RiskFactor
from app.audit.visits import FigureValue
from app.models import AnswerStatus, ItemStatus
from app.ui.i18n import current_language, grade_text
from core.checklist_schema import ModuleTemplate
from core.clock import CHINA_TZ


def answer_status(status: AnswerStatus) -> str:
    return {
        AnswerStatus.COMPLIANT: QCoreApplication.translate("Labels", "符合"),
        AnswerStatus.NON_COMPLIANT: QCoreApplication.translate("Labels", "不符合"),
        AnswerStatus.NOT_APPLICABLE: QCoreApplication.translate("Labels", "不适用"),
        AnswerStatus.NOT_CHECKED: QCoreApplication.translate("Labels", "未检查"),
    }[status]


def severity(value: str | None) -> str:
    """A finding's severity (stored as 高/中/低, as the templates and notices say it)."""
    if not value:
        return "—"
    return {
        "高": QCoreApplication.translate("Labels", "高"),
        "中": QCoreApplication.translate("Labels", "中"),
        "低": QCoreApplication.translate("Labels", "低"),
    }.get(value, value)


def module_title(module: ModuleTemplate) -> str:
    return module.title_en if current_language() == "en" else module.title


def item_progress(
    status: ItemStatus | str,
    *,
    deadline: dt.date | None,
    today: dt.date,
    submitted_at: dt.datetime | None = None,
    verified_on: dt.date | None = None,
    verified_by: str = "",
) -> str:
    """整改情况 (what the ledger export calls it), in the interface language."""
    status = ItemStatus(status)
    if status is ItemStatus.VERIFIED:
        details = "，".join(part for part in (verified_on.isoformat() if verified_on else "", verified_by) if part)
        if details:
            return QCoreApplication.translate("Labels", "已复查销号（{details}）").format(details=details)
        return QCoreApplication.translate("Labels", "已复查销号")
    if status is ItemStatus.SUBMITTED:
        text = QCoreApplication.translate("Labels", "已提交整改材料")
        if submitted_at is not None:
            day = submitted_at.astimezone(CHINA_TZ).date().isoformat()
            text = QCoreApplication.translate("Labels", "已提交整改材料（{date}）").format(date=day)
    else:
        text = QCoreApplication.translate("Labels", "未整改")
    if deadline is not None and deadline < today:
        text = QCoreApplication.translate("Labels", "{progress}，已逾期{days}天").format(
            progress=text, days=(today - deadline).days
        )
    return text


def figure(value: FigureValue) -> str:
    """A computed figure: its label (template content), then the value or "not entered yet"."""
    if value.value is None:
        return QCoreApplication.translate("Labels", "{label}：待录入").format(label=value.label)
    if isinstance(value.value, bool):
        return f"{value.label}：{yes_no(value.value)}"
    number = f"{value.value:.1f}".rstrip("0").rstrip(".") if isinstance(value.value, float) else str(value.value)
    return f"{value.label}：{number}{value.unit or ''}"


def risk_factor(factor: RiskFactor) -> str:
    """One reason behind an enterprise's risk grade."""
    source = (
        QCoreApplication.translate("Labels", "（来源：{source}）").format(source=factor.source) if factor.source else ""
    )
    indicator = {
        "wage_complaint": QCoreApplication.translate("Labels", "欠薪投诉"),
        "tax_arrears": QCoreApplication.translate("Labels", "欠缴税费"),
        "social_insurance_arrears": QCoreApplication.translate("Labels", "欠缴社会保险费"),
        "loan_default": QCoreApplication.translate("Labels", "贷款逾期"),
        "credit_grade": QCoreApplication.translate("Labels", "劳动保障守法诚信等级"),
    }
    kind = factor.kind
    if kind == "overdue_high":
        return QCoreApplication.translate("Labels", "{n} 项严重问题逾期未整改").format(n=factor.count)
    if kind == "open_high":
        return QCoreApplication.translate("Labels", "{n} 项严重问题未整改").format(n=factor.count)
    if kind == "overdue":
        return QCoreApplication.translate("Labels", "{n} 项整改已逾期").format(n=factor.count)
    if kind == "open_medium":
        return QCoreApplication.translate("Labels", "{n} 项一般问题未整改").format(n=factor.count)
    if kind == "signal":
        return QCoreApplication.translate("Labels", "最近一次体检记录了风险信号：{signal}").format(signal=factor.label)
    name = indicator.get(factor.label, factor.label)
    if kind == "wage_complaint":
        return QCoreApplication.translate("Labels", "有{indicator}记录").format(indicator=name) + source
    if kind == "credit_grade":
        return (
            QCoreApplication.translate("Labels", "{indicator}为{grade}级").format(indicator=name, grade=factor.value)
            + source
        )
    return name + source


def grade(value: str | None) -> str:
    return grade_text(value)


def yes_no(value: bool) -> str:
    return QCoreApplication.translate("Labels", "是") if value else QCoreApplication.translate("Labels", "否")


__all__ = [
    "answer_status",
    "figure",
    "grade",
    "item_progress",
    "module_title",
    "risk_factor",
    "severity",
    "yes_no",
]
