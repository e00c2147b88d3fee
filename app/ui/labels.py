"""Domain values as the interface shows them, in the interface language.

The services keep their values as codes and stored words (severity 高/中/低, answer status, item status, computed
figures, risk factors): those are what the database, the exports and the official notice hold, in Chinese. What a
coordinator reads on screen is made here, through ``QCoreApplication.translate``, so it follows the language
chosen in 设置 at once. Template content (item texts, laws) stays as the template wrote it, except the module
titles, which the templates carry in English too (``title_en``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.audit.risk import RiskFactor
from app.audit.visits import FigureValue
from app.models import AnswerStatus, ItemStatus
from app.services.lookups import ModuleName
from app.ui.i18n import current_language, grade_text
from core.checklist_schema import ModuleTemplate
from core.clock import CHINA_TZ
from core.risk import ReasonWords


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


def module_title(module: ModuleTemplate | ModuleName) -> str:
    """A module's name in the interface language (the templates carry both)."""
    return module.title_en if current_language() == "en" else module.title


def module_list(modules: Sequence[ModuleName]) -> str:
    separator = ", " if current_language() == "en" else "、"
    return separator.join(module_title(module) for module in modules)


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


def unit(value: str | None) -> str:
    """A template's unit of measure (人, 元, 个月, 小时, %), in the interface language."""
    if not value:
        return ""
    units = {
        "人": QCoreApplication.translate("Labels", "人"),
        "元": QCoreApplication.translate("Labels", "元"),
        "个月": QCoreApplication.translate("Labels", "个月"),
        "小时": QCoreApplication.translate("Labels", "小时"),
        "天": QCoreApplication.translate("Labels", "天"),
    }
    return units.get(value, value)


def figure(value: FigureValue) -> str:
    """A computed figure: its label (template content), then the value or "not entered yet"."""
    if value.value is None:
        return QCoreApplication.translate("Labels", "{label}：待录入").format(label=value.label)
    if isinstance(value.value, bool):
        return f"{value.label}：{yes_no(value.value)}"
    number = f"{value.value:.1f}".rstrip("0").rstrip(".") if isinstance(value.value, float) else str(value.value)
    return f"{value.label}：{number}{unit(value.unit)}"


def risk_factor(factor: RiskFactor) -> str:
    """One reason behind an enterprise's risk grade, in the interface's language (the rendering is core's)."""
    words = ReasonWords(
        overdue_high=QCoreApplication.translate("Labels", "{n} 项严重问题逾期未整改"),
        open_high=QCoreApplication.translate("Labels", "{n} 项严重问题未整改"),
        overdue=QCoreApplication.translate("Labels", "{n} 项整改已逾期"),
        open_medium=QCoreApplication.translate("Labels", "{n} 项一般问题未整改"),
        signal=QCoreApplication.translate("Labels", "最近一次体检记录了风险信号：{signal}"),
        on_record=QCoreApplication.translate("Labels", "有{indicator}记录"),
        credit_grade=QCoreApplication.translate("Labels", "{indicator}为{grade}级"),
        source=QCoreApplication.translate("Labels", "（来源：{source}）"),
        indicators={
            "wage_complaint": QCoreApplication.translate("Labels", "欠薪投诉"),
            "tax_arrears": QCoreApplication.translate("Labels", "欠缴税费"),
            "social_insurance_arrears": QCoreApplication.translate("Labels", "欠缴社会保险费"),
            "loan_default": QCoreApplication.translate("Labels", "贷款逾期"),
            "logistics_anomaly": QCoreApplication.translate("Labels", "物流异常"),
            "credit_grade": QCoreApplication.translate("Labels", "劳动保障守法诚信等级"),
        },
    )
    return factor.render(words)


def history_entity(entity: str) -> str:
    return {
        "audit": QCoreApplication.translate("Labels", "体检记录"),
        "finding": QCoreApplication.translate("Labels", "问题"),
        "rectification_item": QCoreApplication.translate("Labels", "整改事项"),
        "notice": QCoreApplication.translate("Labels", "整改通知书"),
    }.get(entity, entity)


def history_field(field: str) -> str:
    """A changed field's name in the change history."""
    names = {
        "requirement": QCoreApplication.translate("Labels", "整改要求"),
        "deadline": QCoreApplication.translate("Labels", "整改时限"),
        "deadline_estimated": QCoreApplication.translate("Labels", "时限为估算"),
        "responsible_person": QCoreApplication.translate("Labels", "整改负责人"),
        "responsible_phone": QCoreApplication.translate("Labels", "联系电话"),
        "status": QCoreApplication.translate("Labels", "状态"),
        "submitted_at": QCoreApplication.translate("Labels", "提交整改材料时间"),
        "submitted_note": QCoreApplication.translate("Labels", "企业整改说明"),
        "verified_on": QCoreApplication.translate("Labels", "复查日期"),
        "verified_by": QCoreApplication.translate("Labels", "复查人"),
        "verification_note": QCoreApplication.translate("Labels", "复查说明"),
        "follow_up_id": QCoreApplication.translate("Labels", "复查记录"),
        "removed_reason": QCoreApplication.translate("Labels", "删除理由"),
        "removed_at": QCoreApplication.translate("Labels", "删除时间"),
        "void_reason": QCoreApplication.translate("Labels", "作废理由"),
        "voided_at": QCoreApplication.translate("Labels", "作废时间"),
        "supersedes_id": QCoreApplication.translate("Labels", "替代的通知书"),
        "arrived_at": QCoreApplication.translate("Labels", "到达时间"),
        "departed_at": QCoreApplication.translate("Labels", "离开时间"),
        "people_met": QCoreApplication.translate("Labels", "接待人员"),
        "documents_inspected": QCoreApplication.translate("Labels", "查阅资料"),
    }
    return names.get(field, field)


def history_value(field: str, value: Any) -> str:
    """A value in the change history as a reviewer reads it, in the interface language (data stays as typed)."""
    english = current_language() == "en"
    separator = ", " if english else "、"
    if value is None or value == "" or value == []:
        return QCoreApplication.translate("Labels", "（空）")
    if field == "status" and isinstance(value, str):
        statuses = {
            "open": QCoreApplication.translate("Labels", "未整改"),
            "submitted": QCoreApplication.translate("Labels", "已提交整改材料"),
            "verified": QCoreApplication.translate("Labels", "已复查销号"),
            "draft": QCoreApplication.translate("Labels", "草稿"),
            "signed": QCoreApplication.translate("Labels", "已签署"),
            "voided": QCoreApplication.translate("Labels", "已作废"),
            "in_progress": QCoreApplication.translate("Labels", "进行中"),
            "finished": QCoreApplication.translate("Labels", "已完成"),
        }
        return statuses.get(value, value)
    if field == "people_met" and isinstance(value, list):
        people = [person for person in value if isinstance(person, dict)]
        return separator.join(
            f"{p.get('name', '')}（{p.get('role', '')}）" if p.get("role") else str(p.get("name", "")) for p in people
        )
    if isinstance(value, list):
        return separator.join(str(part) for part in value)
    if field.endswith("_id") and isinstance(value, str):
        return QCoreApplication.translate("Labels", "编号 {id}…").format(id=value[:8])
    if isinstance(value, bool):
        return yes_no(value)
    if field.endswith("_at") and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return str(value)


def statement(zh: str, en: str) -> str:
    """A finding's statement in the interface language: the templates give its English for the screens (the
    notice always prints the Chinese)."""
    return en if current_language() == "en" and en else zh


def joined(parts: Sequence[str]) -> str:
    """A list in running text: "；" between Chinese parts, "; " between English ones."""
    return ("; " if current_language() == "en" else "；").join(parts)


def grade(value: str | None) -> str:
    return grade_text(value)


def yes_no(value: bool) -> str:
    return QCoreApplication.translate("Labels", "是") if value else QCoreApplication.translate("Labels", "否")


__all__ = [
    "answer_status",
    "figure",
    "grade",
    "history_entity",
    "history_field",
    "history_value",
    "item_progress",
    "joined",
    "module_list",
    "module_title",
    "risk_factor",
    "severity",
    "statement",
    "unit",
    "yes_no",
]
