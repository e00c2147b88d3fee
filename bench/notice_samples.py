"""Sample notices for the benchmark, the page screenshots and the PDF tests: in-memory ``Notice`` rows with a
realistic content snapshot (the shape ``app.audit.notices.build_content`` makes), no database needed.

The findings cycle through real checklist wording (problem, legal basis as stored, requirement, deadline kinds),
so a 40-finding notice exercises every kind of line the notice prints: working-day and calendar deadlines
(computed by the real calendar), an estimated one (a 90-day deadline in a year whose holiday schedule is not
published yet), a missing responsible person, long enterprise names and long requirement texts on request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from app.audit.demo_district import signature_png
from app.models import Notice, NoticeStatus
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
PROBLEMS: list[dict[str, Any]] = [
    {
        "severity": "高",
        "description": "3名劳动者自用工之日起超过一个月未订立书面劳动合同",
        "basis": ["《劳动合同法》第十条", "《劳动合同法》第八十二条", "《劳动合同法实施条例》第六条"],
        "requirement": "自用工之日起一个月内与劳动者订立书面劳动合同，并依法支付未订立书面劳动合同期间的二倍工资",
        "deadline_days": 20,
        "deadline_working_days": True,
    },
    {
        "severity": "中",
        "description": "劳动合同文本缺少工作地点、劳动保护和劳动条件等必备条款",
        "basis": ["《劳动合同法》第十七条"],
        "requirement": "修订劳动合同文本，补全法定必备条款，与劳动者协商一致后变更",
        "deadline_days": 30,
        "deadline_working_days": False,
    },
    {
        "severity": "高",
        "description": "每月延长工作时间超过三十六小时（最长达48小时），且未依法支付加班工资",
        "basis": ["《劳动法》第四十一条", "《劳动法》第四十四条"],
        "requirement": "调整生产安排，将延长工作时间控制在法定限度内，并足额补发加班工资",
        "deadline_days": 15,
        "deadline_working_days": True,
    },
    {
        "severity": "中",
        "description": "工资支付记录未保存两年以上，且未向劳动者提供工资清单",
        "basis": ["《工资支付暂行规定》第六条"],
        "requirement": "建立工资支付台账并保存两年以上备查；每月向劳动者提供个人工资清单",
        "deadline_days": 10,
        "deadline_working_days": True,
    },
    {
        "severity": "中",
        "description": "被派遣劳动者占用工总量的比例为12.5%，超过10%",
        "basis": ["《劳务派遣暂行规定》第四条"],
        "requirement": "制定并实施用工调整方案，将使用的被派遣劳动者数量降至不超过用工总量的10%",
        "deadline_days": 90,
        "deadline_working_days": False,
    },
]


def sample_content(
    findings: int,
    *,
    enterprise_name: str = "达州恒达机械制造有限公司",
    long_requirements: bool = False,
) -> dict[str, Any]:
    problems = []
    for index in range(findings):
        base = PROBLEMS[index % len(PROBLEMS)]
        deadline = compute_deadline(
            ISSUED_ON, base["deadline_days"], working_days=base["deadline_working_days"], calendar=CALENDAR
        )
        problems.append(
            {
                "position": index + 1,
                "item_id": f"ITEM-{index + 1:02d}",
                "severity": base["severity"],
                "description": base["description"],
                "basis": list(base["basis"]),
                "requirement": LONG_REQUIREMENT if long_requirements and index % 2 == 0 else base["requirement"],
                "deadline": deadline.due.isoformat(),
                "deadline_days": base["deadline_days"],
                "deadline_working_days": base["deadline_working_days"],
                "deadline_estimated": deadline.estimated,
                "responsible_person": "" if index % 7 == 6 else "王芳",
                "responsible_phone": "0818-2345678" if index % 3 else "",
            }
        )
    return {
        "number": "达川人社体检〔2026〕A3-017号",
        "issued_on": "2026-11-10",
        "issuing_body": "达州市达川区协调劳动关系三方办公室",
        "enterprise": {"name": enterprise_name, "uscc": "91511703MA62XXXX0Y", "address": "达川区三里坪街道"},
        "visit_date": "2026-11-10",
        "coordinators": ["李明", "张华"],
        "modules": ["CONTRACT", "WAGE", "HOURS"],
        "module_titles": ["劳动合同管理", "工资支付", "工时与休息休假"],
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
