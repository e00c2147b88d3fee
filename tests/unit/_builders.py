"""Builders of real rows in a real SQLite file, for tests of blobs, attachments, bundles and the ledger.

Each builder adds to the given session and flushes, so the caller controls the transaction; keyword overrides
set any column. ``build_full_audit`` makes an audit that touches every table the audit bundle carries.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy.orm import Session
from stdnum.cn import uscc as stdnum_uscc

import app.models  # noqa: F401  (registers every table before the database is opened)
from app.checklists.loader import content_hash
from app.db import Database, open_database
from app.models import (
    Answer,
    AnswerStatus,
    Attachment,
    Audit,
    AuditModule,
    AuditStatus,
    Blob,
    Campaign,
    Coordinator,
    Enterprise,
    Finding,
    FollowUp,
    ItemStatus,
    Notice,
    NoticeStatus,
    RectificationItem,
    Template,
    WageCheck,
)
from app.storage.blobstore import ContentStore
from app.wage_evidence.evidence import Evidence
from app.wage_evidence.loading import Worker
from core.wage_rules import Gap, GapReason, Rule, Violation

UTC = dt.UTC
_counter = itertools.count(1)


def open_test_database(tmp_path: Path, name: str = "t.db") -> Database:
    return open_database(tmp_path / name)


def make_uscc(serial: int) -> str:
    """A valid 统一社会信用代码 (check character computed by python-stdnum) unique per ``serial``."""
    body = f"91510100MA6C{serial % 100000:05d}"
    return body + stdnum_uscc.calc_check_digit(body)


def png_bytes(width: int = 40, height: int = 20, color: tuple[int, int, int, int] = (0, 0, 0, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=90)
    return out.getvalue()


def add_coordinator(session: Session, **overrides: Any) -> Coordinator:
    values: dict[str, Any] = {
        "name": "张三",
        "badge_no": "DC-0001",
        "organisation": "达川区人力资源和社会保障局",
        "district": "达川区",
        "device_code": "A3",
        "issuing_body": "达州市达川区人力资源和社会保障局",
        "notice_prefix": "达川人社体检",
    }
    values.update(overrides)
    coordinator = Coordinator(**values)
    session.add(coordinator)
    session.flush()
    return coordinator


def add_enterprise(session: Session, **overrides: Any) -> Enterprise:
    serial = next(_counter)
    values: dict[str, Any] = {
        "uscc": make_uscc(serial),
        "name": f"达州恒达机械制造有限公司{serial}",
        "industry": "制造业",
        "address": "四川省达州市达川区南外街道工业园区1号",
        "district": "达川区",
        "contact_name": "李四",
        "contact_phone": "13800000001",
        "headcount_last_year_end": 120,
        "headcount": 135,
        "risk_grade": "中",
    }
    values.update(overrides)
    enterprise = Enterprise(**values)
    session.add(enterprise)
    session.flush()
    return enterprise


def add_campaign(session: Session, **overrides: Any) -> Campaign:
    values: dict[str, Any] = {
        "name": "2026年“查风险 强协商 保支付 促和谐”专项行动",
        "district": "达川区",
        "starts_on": dt.date(2026, 9, 1),
        "ends_on": dt.date(2026, 11, 30),
        "report_due_on": dt.date(2026, 12, 1),
    }
    values.update(overrides)
    campaign = Campaign(**values)
    session.add(campaign)
    session.flush()
    return campaign


def template_content(module: str, version: int) -> dict[str, Any]:
    """A template snapshot in the stored shape (``{"format", "module": {..., "items"}, "laws", ...}``)."""
    return {
        "format": 1,
        "module": {
            "module": module,
            "version": version,
            "title": "劳动合同管理",
            "title_en": "Labor contracts",
            "items": [
                {
                    "id": f"{module}-01",
                    "text": "与全部劳动者订立书面劳动合同",
                    "basis": [{"law": "劳动合同法", "article": "第十条"}],
                    "severity": "高",
                    "deadline": {"days": 30, "working_days": False},
                },
                {"id": f"{module}-02", "text": "劳动合同具备必备条款", "basis": [], "severity": "中"},
                {"id": f"{module}-03", "text": "工资支付书面记录保存两年以上", "basis": [], "severity": "中"},
                {"id": f"{module}-04", "text": "劳动合同文本交付劳动者一份", "basis": [], "severity": "低"},
                {"id": f"{module}-05", "text": "试用期期限与次数合法", "basis": [], "severity": "中"},
            ],
        },
        "laws": [],
        "inputs": [],
        "derived": [],
    }


def add_template(session: Session, module: str = "CONTRACT", version: int = 1, **overrides: Any) -> Template:
    values: dict[str, Any] = {
        "module": module,
        "version": version,
        "title": "劳动合同管理",
        "content": template_content(module, version),
    }
    values.update(overrides)
    values.setdefault("content_hash", content_hash(values["content"]))
    template = Template(**values)
    session.add(template)
    session.flush()
    return template


def add_audit(
    session: Session,
    *,
    enterprise: Enterprise,
    coordinator: Coordinator,
    templates: list[Template] | None = None,
    campaign: Campaign | None = None,
    **overrides: Any,
) -> Audit:
    values: dict[str, Any] = {
        "enterprise_id": enterprise.id,
        "coordinator_id": coordinator.id,
        "campaign_id": campaign.id if campaign else None,
        "co_coordinators": "王五",
        "status": AuditStatus.FINISHED,
        "visit_date": dt.date(2026, 10, 15),
        "inputs": {"headcount": 140, "headcount_last_year_end": 118, "overtime_monthly": 40},
        "enterprise_facts": {
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "industry": enterprise.industry,
            "address": enterprise.address,
            "contact_name": enterprise.contact_name,
            "contact_phone": enterprise.contact_phone,
        },
        "finished_at": dt.datetime(2026, 10, 15, 9, 30, tzinfo=UTC),
    }
    values.update(overrides)
    audit = Audit(**values)
    session.add(audit)
    session.flush()
    for position, template in enumerate(templates or []):
        session.add(AuditModule(audit_id=audit.id, module=template.module, template_id=template.id, position=position))
    session.flush()
    return audit


def add_item(
    session: Session,
    audit: Audit,
    *,
    item_id: str = "CONTRACT-01",
    module: str = "CONTRACT",
    position: int = 0,
    description: str = "3名劳动者未订立书面劳动合同",
    basis: list[Any] | None = None,
    severity: str = "高",
    requirement: str = "自用工之日起一个月内订立书面劳动合同",
    deadline: dt.date = dt.date(2026, 11, 14),
    status: ItemStatus = ItemStatus.OPEN,
    removed_reason: str | None = None,
    **item_overrides: Any,
) -> RectificationItem:
    """A finding and its rectification item (the pair every ledger row is made of)."""
    finding = Finding(
        audit_id=audit.id,
        module=module,
        item_id=item_id,
        severity=severity,
        description=description,
        basis=basis if basis is not None else ["《劳动合同法》第十条"],
        figures=[],
        position=position,
        removed_reason=removed_reason,
        removed_at=dt.datetime(2026, 10, 16, tzinfo=UTC) if removed_reason else None,
    )
    session.add(finding)
    session.flush()
    values: dict[str, Any] = {
        "finding_id": finding.id,
        "audit_id": audit.id,
        "enterprise_id": audit.enterprise_id,
        "requirement": requirement,
        "deadline": deadline,
        "deadline_days": 30,
        "deadline_working_days": False,
        "responsible_person": "赵六",
        "responsible_phone": "13900000002",
        "status": status,
    }
    values.update(item_overrides)
    item = RectificationItem(**values)
    session.add(item)
    session.flush()
    return item


def add_blob(session: Session, store: ContentStore, data: bytes, mime: str = "image/png") -> Blob:
    sha = store.put(data)
    blob = session.get(Blob, sha)
    if blob is None:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
        blob = Blob(sha256=sha, size=len(data), mime=mime, width=width, height=height)
        session.add(blob)
        session.flush()
    return blob


@dataclass
class FullAudit:
    """Ids of everything ``build_full_audit`` made, for assertions."""

    audit_id: str
    enterprise_id: str
    coordinator_id: str
    item_ids: list[str] = field(default_factory=list)
    blob_hashes: list[str] = field(default_factory=list)


def build_full_audit(session: Session, store: ContentStore) -> FullAudit:
    """An audit touching every table the bundle carries: two modules, answers of every status, findings (one
    removed with a reason), items open/submitted/verified (via a follow-up by another coordinator), a voided
    signed notice and the draft superseding it, photo attachments and signature blobs."""
    coordinator = add_coordinator(session)
    checker = add_coordinator(session, name="孙七", badge_no="DC-0002", device_code="B7")
    enterprise = add_enterprise(session)
    campaign = add_campaign(session)
    contract = add_template(session, "CONTRACT", 2)
    wage = add_template(session, "WAGE", 1, title="工资支付")
    audit = add_audit(
        session, enterprise=enterprise, coordinator=coordinator, templates=[contract, wage], campaign=campaign
    )
    for item_id, status in [
        ("CONTRACT-01", AnswerStatus.NON_COMPLIANT),
        ("CONTRACT-02", AnswerStatus.COMPLIANT),
        ("WAGE-01", AnswerStatus.NON_COMPLIANT),
        ("WAGE-02", AnswerStatus.NOT_APPLICABLE),
        ("WAGE-03", AnswerStatus.NOT_CHECKED),
    ]:
        session.add(
            Answer(
                audit_id=audit.id,
                module=item_id.split("-")[0],
                item_id=item_id,
                status=status,
                note="核查花名册" if status is AnswerStatus.NON_COMPLIANT else "",
                skip_reason="企业未提供工资台账" if status is AnswerStatus.NOT_CHECKED else "",
            )
        )
    session.flush()
    follow_up = FollowUp(
        enterprise_id=enterprise.id,
        coordinator_id=checker.id,
        visit_date=dt.date(2026, 11, 20),
        method="on_site",
        note="现场复查",
    )
    session.add(follow_up)
    session.flush()
    open_item = add_item(session, audit, position=0)
    submitted = add_item(
        session,
        audit,
        item_id="WAGE-01",
        module="WAGE",
        position=1,
        description="2026年9月工资迟发15天",
        basis=["《劳动法》第五十条", "《工资支付暂行规定》第七条"],
        requirement="按月足额支付工资",
        deadline=dt.date(2026, 10, 22),
        status=ItemStatus.SUBMITTED,
        submitted_at=dt.datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
        submitted_note="已补发",
    )
    verified = add_item(
        session,
        audit,
        item_id="CONTRACT-04",
        position=2,
        severity="低",
        description="劳动合同文本未交付劳动者",
        requirement="将劳动合同文本交付劳动者一份",
        status=ItemStatus.VERIFIED,
        verified_on=dt.date(2026, 11, 20),
        verified_by="孙七",
        verification_note="已核实",
        follow_up_id=follow_up.id,
    )
    add_item(session, audit, item_id="CONTRACT-05", position=3, removed_reason="经核实试用期约定合法")
    coordinator_signature = add_blob(session, store, png_bytes(color=(0, 0, 255, 255)))
    enterprise_signature = add_blob(session, store, png_bytes(color=(0, 0, 0, 255)))
    photo = add_blob(session, store, jpeg_bytes(), mime="image/jpeg")
    signed_at = dt.datetime(2026, 10, 15, 10, 0, tzinfo=UTC)
    old = Notice(
        audit_id=audit.id,
        number="达川人社体检〔2026〕A3-001号",
        year=2026,
        sequence=1,
        device_code="A3",
        status=NoticeStatus.VOIDED,
        issued_on=dt.date(2026, 10, 15),
        content={"number": "达川人社体检〔2026〕A3-001号", "problems": [{"position": 1, "description": "…"}]},
        content_hash="ab" * 32,
        coordinator_signer="张三",
        coordinator_signature_sha256=coordinator_signature.sha256,
        enterprise_signer="钱八",
        enterprise_signature_sha256=enterprise_signature.sha256,
        signed_at=signed_at,
        voided_at=dt.datetime(2026, 10, 16, tzinfo=UTC),
        void_reason="整改时限填写有误",
    )
    session.add(old)
    session.flush()
    session.add(
        Notice(
            audit_id=audit.id,
            number="达川人社体检〔2026〕A3-002号",
            year=2026,
            sequence=2,
            device_code="A3",
            issued_on=dt.date(2026, 10, 16),
            content={"number": "达川人社体检〔2026〕A3-002号", "problems": []},
            supersedes_id=old.id,
        )
    )
    for caption, item_id in [("花名册第3页", "CONTRACT-01"), ("工资发放记录", "WAGE-01")]:
        session.add(
            Attachment(
                audit_id=audit.id,
                item_id=item_id,
                sha256=photo.sha256,
                kind="photo",
                caption=caption,
                original_name="IMG_0001.jpg",
            )
        )
    session.flush()
    evidence_sha = add_wage_check(session, store, audit.id)
    return FullAudit(
        audit_id=audit.id,
        enterprise_id=enterprise.id,
        coordinator_id=coordinator.id,
        item_ids=[open_item.id, submitted.id, verified.id],
        blob_hashes=sorted({coordinator_signature.sha256, enterprise_signature.sha256, photo.sha256, *evidence_sha}),
    )


def add_wage_check(session: Session, store: ContentStore, audit_id: str) -> tuple[str, str]:
    """A saved wage check: its evidence table (one breach, one worker-month not checked), the raw payroll sheet as
    an attachment of kind ``sheet`` and one worker excluded. Returns the evidence's and the sheet's hashes."""
    september = dt.date(2026, 9, 1)
    evidence = Evidence(
        [Worker("id:ab12", "张三", "511***********0001"), Worker("no:A002", "王五", "", "A002")],
        [Violation(Rule.MINIMUM_WAGE, 0, september, Decimal(2000), Decimal(2330), Decimal(330),
                   detail=(("gross", "2000.00"), ("compared", "2000.00"), ("standard", "测试省第一档"),
                           ("document", "测府规〔2024〕1号"), ("effective", "2025-01-01")))],
        [Gap(Rule.MINIMUM_WAGE, september, GapReason.PARTIAL_MONTH, 1, 1, Decimal(8), Decimal(22))],
        [september],
    )  # fmt: skip
    data = evidence.to_bytes()
    sha = store.put(data)
    if session.get(Blob, sha) is None:
        session.add(Blob(sha256=sha, size=len(data), mime="application/gzip"))
    sheet_bytes = "姓名,工资所属月份,应发工资\n张三,2026-09,2000\n".encode()
    sheet_sha = store.put(sheet_bytes)
    if session.get(Blob, sheet_sha) is None:
        session.add(Blob(sha256=sheet_sha, size=len(sheet_bytes), mime="text/csv"))
    session.flush()
    sheet = Attachment(audit_id=audit_id, sha256=sheet_sha, kind="sheet", caption="工资表", original_name="工资表.csv")
    session.add(sheet)
    session.flush()
    session.add(
        WageCheck(
            audit_id=audit_id,
            settings={"region": "测试省", "grade": "第一档", "pay_day": 15, "as_of": "2026-10-15"},
            sources=[{"attachment_id": sheet.id, "kind": "payroll", "name": "工资表.csv", "rows": 1}],
            summary={"workers": 2, "months": ["2026-09"], "facts": {"WAGE-04": {"underpaid_workers": 1}}},
            evidence_sha256=sha,
            exclusions={"no:A002": {"name": "王五（工号A002）", "reason": "另行核查", "on": "2026-10-15"}},
            version=2,
        )
    )
    session.flush()
    return sha, sheet_sha
