"""Sample notices for the benchmark, the page screenshots and the PDF tests: in-memory ``Notice`` rows with a
realistic content snapshot (the shape ``app.audit.notices.build_content`` makes), no database needed.

The findings are the packaged templates' own: each problem is an item's statement chosen by sample figures, its
legal basis as the template cites it, its requirement and its kind of deadline, one item per module (so ten
findings are ten different problems). A 40-finding notice cycles through them: working-day and calendar deadlines
(computed by the real calendar), an estimated one (a 90-day deadline in a year whose holiday schedule is not
published yet), a note marked for the notice, long enterprise names and long requirement texts on request.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from typing import Any

from app.checklists.loader import default_template_dir, load_template_set
from app.models import Notice, NoticeStatus
from app.services.demo_district import signature_png
from core.checklist_schema import TemplateSet
from core.statements import choose_statement
from core.workdays import WorkdayCalendar, compute_deadline

SIGNED_AT = dt.datetime(2026, 11, 10, 3, 30, tzinfo=dt.UTC)
ISSUED_ON = dt.date(2026, 11, 10)
CALENDAR = WorkdayCalendar()
LONG_REQUIREMENT = (
    "立即全面梳理本单位全部在岗劳动者（含试用期人员、退休返聘人员以外的非全日制用工人员）的用工情况，"
    "对尚未订立书面劳动合同的，自用工之日起一个月内依法补订；对超过一个月不满一年未订立的，"
    "依照《中华人民共和国劳动合同法》第八十二条的规定向劳动者每月支付二倍的工资，"
    "并建立劳动合同管理台账（含合同编号、期限、岗位、续订和终止记录），指定专人动态管理，"
    "防止同类问题再次发生。"
)
SAMPLE_ITEMS: tuple[tuple[str, dict[str, Any], str], ...] = (
    # (item, the visit's figures the statement is chosen by, a coordinator's note marked for the notice)
    ("CONTRACT-01", {"employees_without_contract": 3, "without_contract": 3}, ""),
    ("HOURS-03", {"overtime_daily_max": 2.5, "overtime_monthly": 48, "monthly_excess": 12}, ""),
    ("WAGE-04", {"lowest_monthly_wage": 1650, "local_minimum_wage": 2050, "wage_shortfall": 400}, ""),
    ("INSURANCE-02", {"headcount": 135, "insured_count": 118, "uninsured": 17}, ""),
    ("DISPATCH-01", {"dispatched_count": 18, "dispatch_share": 12.5}, ""),
    ("DEMOCRACY-01", {}, "《考勤与奖惩管理办法》2025年修订后未经职工代表大会讨论"),
    ("COLLECTIVE-01", {}, ""),
    ("PROTECT-07", {}, ""),
    ("SITEPAY-06", {}, ""),
    ("PLATFORM-04", {}, ""),
    ("LAYOFF-09", {}, ""),
)
"""One item per module, so the 10-finding sample shows ten different problems (no finding twice)."""


@functools.cache
def _templates() -> TemplateSet:
    return load_template_set(default_template_dir())


def sample_content(
    findings: int,
    *,
    enterprise_name: str = "达州恒达机械制造有限公司",
    long_requirements: bool = False,
) -> dict[str, Any]:
    templates = _templates()
    problems = []
    for index in range(findings):
        item_id, figures, note = SAMPLE_ITEMS[index % len(SAMPLE_ITEMS)]
        item = templates.item(item_id)
        assert item.deadline is not None
        assert item.requirement is not None
        statement = choose_statement(item, figures)
        days = item.deadline.days if index != 4 else 90  # the dispatch plan: a deadline in 2027, estimated
        deadline = compute_deadline(ISSUED_ON, days, working_days=item.deadline.working, calendar=CALENDAR)
        problems.append(
            {
                "position": index + 1,
                "item_id": item.id,
                "title": item.title,
                "severity": item.severity,
                "description": statement.zh,
                **({"note": note} if note else {}),
                "basis": templates.citations(item),
                "requirement": LONG_REQUIREMENT if long_requirements and index % 2 == 0 else item.requirement,
                "deadline": deadline.due.isoformat(),
                "deadline_days": days,
                "deadline_working_days": item.deadline.working,
                "deadline_estimated": deadline.estimated,
                "responsible_person": "王芳",
                "responsible_phone": "0818-2345678",
            }
        )
    modules = list(dict.fromkeys(str(problem["item_id"]).split("-")[0] for problem in problems))
    return {
        "number": "达川人社体检〔2026〕A3-017号",
        "issued_on": "2026-11-10",
        "issuing_body": "达州市达川区协调劳动关系三方办公室",
        "enterprise": {"name": enterprise_name, "uscc": "91511703MA62XXXX0Y", "address": "达川区三里坪街道"},
        "visit_date": "2026-11-10",
        "coordinators": ["李明", "张华"],
        "modules": modules,
        "module_titles": [templates.module(code).title for code in modules],
        "problems": problems,
    }


def signature_blobs() -> dict[str, bytes]:
    """Two synthetic signature PNGs by their SHA-256, standing in for the blob store."""
    images = [signature_png("李明", 1), signature_png("王芳", 2)]
    return {hashlib.sha256(image).hexdigest(): image for image in images}


def sample_notice(
    findings: int = 10,
    *,
    status: NoticeStatus = NoticeStatus.SIGNED,
    enterprise_name: str = "达州恒达机械制造有限公司",
    long_requirements: bool = False,
) -> Notice:
    """A notice row (not in any session). Signed and voided ones carry a hash over their content."""
    content = sample_content(findings, enterprise_name=enterprise_name, long_requirements=long_requirements)
    mine, theirs = signature_blobs()
    notice = Notice(
        id="01930000-0000-7000-8000-000000000017",
        audit_id="01930000-0000-7000-8000-0000000000a1",
        number=content["number"],
        year=2026,
        sequence=17,
        device_code="A3",
        status=status,
        issued_on=dt.date(2026, 11, 10),
        content=content,
        coordinator_signer="",
        enterprise_signer="",
    )
    if status is not NoticeStatus.DRAFT:
        notice.coordinator_signer = "李明"
        notice.coordinator_signature_sha256 = mine
        notice.enterprise_signer = "王芳"
        notice.enterprise_signature_sha256 = theirs
        notice.signed_at = SIGNED_AT
        payload = json.dumps([content, mine, theirs, SIGNED_AT.isoformat()], sort_keys=True, ensure_ascii=False)
        notice.content_hash = hashlib.sha256(payload.encode()).hexdigest()
    if status is NoticeStatus.VOIDED:
        notice.voided_at = dt.datetime(2026, 11, 12, 2, 0, tzinfo=dt.UTC)
        notice.void_reason = "整改期限计算有误，已重新出具"
    return notice


__all__ = ["LONG_REQUIREMENT", "SIGNED_AT", "sample_content", "sample_notice", "signature_blobs"]
