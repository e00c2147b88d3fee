"""A realistic demo district (达州市达川区), seeded deterministically through the real services.

Used by ``laborcheck demo``, by screenshots and by benchmarks: a few hundred enterprises across industries with
valid credit codes, a campaign, finished audits with findings and signed notices, some items verified on
follow-up and some overdue. Everything goes through the same services a coordinator's actions use, so the demo
data is exactly as valid as real data. Dates are relative to ``today`` so overdue items exist whenever it runs.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.attachments import add_signature
from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.notices import create_notice, sign_notice
from app.audit.profile import ProfileInput, active_coordinator, save_profile
from app.audit.rectification import Verification, record_follow_up, submit_item
from app.audit.risk import refresh_grade
from app.audit.uscc import make_uscc
from app.audit.visits import answer_item, finish_audit, item_states, start_audit, suggest_modules
from app.models import AnswerStatus, Campaign, Enterprise, Finding, ItemStatus, RectificationItem, RiskIndicator
from app.storage.blobstore import ContentStore

CAMPAIGN_NAME = "2026年“查风险 强协商 保支付 促和谐”劳动用工法治体检专项行动"
DISTRICT = "达川区"
DIVISION = "511703"
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

PLACES = ["达州", "达川", "四川", "川东", "巴山", "州河", "通川", "三里坪", "南外", "翠屏"]
BRANDS = [
    "恒达",
    "宏图",
    "巴渠",
    "金垭",
    "鑫源",
    "华川",
    "蜀通",
    "兴盛",
    "利民",
    "安泰",
    "永丰",
    "锦程",
    "瑞祥",
    "新科",
    "德润",
    "博远",
    "中信",
    "长城",
    "汇丰",
    "天府",
    "明月",
    "银河",
    "盛世",
    "龙腾",
    "凤凰",
    "嘉禾",
    "宏远",
    "达融",
    "乾坤",
    "昌隆",
    "富民",
    "广源",
    "丰泽",
    "万家",
    "和谐",
    "同心",
    "福运",
    "众诚",
    "启航",
    "振兴",
]
INDUSTRIES = [
    ("制造业", ["机械制造", "食品加工", "纺织服装", "建材", "电子科技", "化工"]),
    ("建筑业", ["建筑工程", "建筑劳务", "市政工程", "装饰工程"]),
    ("批发和零售业", ["商贸", "超市", "医药连锁"]),
    ("住宿和餐饮业", ["餐饮管理", "酒店管理"]),
    ("交通运输、仓储和邮政业", ["物流", "货运", "快递服务"]),
    ("信息传输、软件和信息技术服务业", ["网络科技", "信息技术", "同城配送平台"]),
    ("居民服务、修理和其他服务业", ["家政服务", "物业管理"]),
    ("租赁和商务服务业", ["人力资源", "劳务派遣", "保安服务"]),
]
STREETS = ["三里坪街道", "翠屏街道", "杨柳街道", "南外镇", "河市镇", "石桥镇", "亭子镇", "百节镇"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
GIVEN = ["芳", "伟", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚"]


@dataclass(frozen=True)
class DemoSummary:
    enterprises: int
    audits: int
    findings: int
    verified: int
    overdue: int
    notices: int
    created: bool


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def signature_png(name: str, seed: int) -> bytes:
    """A synthetic handwritten-looking stroke image, standing in for a signature pad capture."""
    rng = random.Random(seed)
    image = Image.new("RGBA", (480, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    x = 30.0
    for _ in range(len(name) * 2 + 2):
        points = [(x, 80 + rng.uniform(-40, 40))]
        for _ in range(6):
            x += rng.uniform(4, 14)
            points.append((x, 80 + rng.uniform(-45, 45)))
        draw.line(points, fill=(10, 20, 60, 255), width=4, joint="curve")
        x += rng.uniform(2, 10)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _enterprise_inputs(rng: random.Random, count: int) -> list[EnterpriseInput]:
    seen_names: set[str] = set()
    seen_codes: set[str] = set()
    result: list[EnterpriseInput] = []
    while len(result) < count:
        industry, kinds = rng.choice(INDUSTRIES)
        name = f"{rng.choice(PLACES)}{rng.choice(BRANDS)}{rng.choice(kinds)}有限公司"
        body = "91" + DIVISION + "".join(rng.choice(CODE_ALPHABET) for _ in range(9))
        if name in seen_names or body in seen_codes:
            continue
        seen_names.add(name)
        seen_codes.add(body)
        headcount = int(rng.choice((8, 15, 30, 45, 60, 90, 120, 180, 260, 420, 800)) * rng.uniform(0.8, 1.2))
        contact = _person(rng)
        result.append(
            EnterpriseInput(
                uscc=make_uscc(body),
                name=name,
                industry=industry,
                address=f"达州市达川区{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                district=DISTRICT,
                contact_name=contact,
                contact_phone=f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}",
                headcount_last_year_end=max(1, headcount + rng.randint(-20, 20)),
                headcount=headcount,
                is_key=headcount >= 300 or rng.random() < 0.05,
            )
        )
    return result


def _visit_inputs(rng: random.Random, enterprise: Enterprise) -> dict[str, object]:
    headcount = enterprise.headcount or 20
    dispatched = rng.choice((0, 0, 0, 2, max(1, headcount // 12)))
    without = rng.choice((0, 0, 0, 0, 1, 3))
    return {
        "headcount": headcount,
        "contracted": headcount - without,
        "employees_without_contract": without,
        "months_without_contract": rng.choice((1, 2, 5)) if without else 0,
        "insured_count": headcount - rng.choice((0, 0, 0, 2)),
        "dispatched": dispatched,
        "laid_off": rng.choice((0, 0, 0, 0, 0, 3, 25)),
        "overtime_daily_max": rng.choice((1, 2, 3, 4)),
        "overtime_monthly": rng.choice((12, 24, 36, 48)),
        "lowest_monthly_wage": rng.choice((2100, 2300, 2500, 3000)),
        "local_minimum_wage": 2100,
        "max_deduction_pct": rng.choice((0, 5, 10, 25)),
        "has_union": headcount >= 60 and rng.random() < 0.7,
        "is_construction_project": enterprise.industry == "建筑业",
        "is_platform": "平台" in enterprise.name,
        "has_pregnant_or_nursing": rng.random() < 0.3,
        "has_minors": rng.random() < 0.05,
    }


def seed_demo(
    session: Session,
    store: ContentStore,
    *,
    today: dt.date,
    enterprises: int = 240,
    audits: int = 36,
    seed: int = 2026,
) -> DemoSummary:
    """Seed the demo district into an empty data directory (idempotent: a second call changes nothing)."""
    existing = session.scalars(select(Campaign).where(Campaign.name == CAMPAIGN_NAME)).first()
    if existing is not None:
        return _summary(session, today, created=False)
    rng = random.Random(seed)
    coordinator = active_coordinator(session) or save_profile(
        session,
        ProfileInput(
            name="李明",
            device_code="A3",
            badge_no="DC-0107",
            organisation="达州市达川区人力资源和社会保障局",
            district=DISTRICT,
            issuing_body="达州市达川区协调劳动关系三方办公室",
            notice_prefix="达川人社体检",
        ),
    )
    campaign = Campaign(
        name=CAMPAIGN_NAME,
        district=DISTRICT,
        starts_on=today - dt.timedelta(days=120),
        ends_on=today + dt.timedelta(days=30),
        report_due_on=today + dt.timedelta(days=20),
    )
    session.add(campaign)
    rows = [create_enterprise(session, data) for data in _enterprise_inputs(rng, enterprises)]

    flagged = rng.sample(rows, k=max(1, len(rows) // 15))
    for enterprise in flagged:
        kind, value = rng.choice(
            [
                ("wage_complaint", "1起"),
                ("tax_arrears", "欠缴2个月"),
                ("social_insurance_arrears", "欠缴3个月"),
                ("credit_grade", "B"),
                ("credit_grade", "C"),
            ]
        )
        session.add(RiskIndicator(enterprise_id=enterprise.id, kind=kind, value=value, source="区大数据共享平台"))
    session.flush()
    for enterprise in flagged:
        refresh_grade(session, enterprise.id, today)

    visited = rng.sample(rows, k=min(audits, len(rows)))
    for index, enterprise in enumerate(sorted(visited, key=lambda e: e.name)):
        visit_date = today - dt.timedelta(days=rng.randint(3, 85))
        inputs = _visit_inputs(rng, enterprise)
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            campaign_id=campaign.id,
            visit_date=visit_date,
            modules=suggest_modules(session, inputs),  # type: ignore[arg-type]
            inputs=inputs,
            co_coordinators=[_person(rng)],
        )
        for state in item_states(session, audit.id):
            if not state.needs_answer or state.answer is not None:
                continue
            roll = rng.random()
            if roll < 0.08:
                answer_item(session, audit.id, state.item.id, AnswerStatus.NON_COMPLIANT, note="现场查阅资料发现问题")
            elif roll < 0.12:
                answer_item(session, audit.id, state.item.id, AnswerStatus.NOT_APPLICABLE)
            else:
                answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT)
        findings = finish_audit(
            session,
            audit.id,
            responsible_person=enterprise.contact_name,
            responsible_phone=enterprise.contact_phone,
            today=today,
        )
        if findings:
            notice = create_notice(session, audit.id, issued_on=visit_date)
            mine = add_signature(session, store, signature_png(coordinator.name, index))
            theirs = add_signature(session, store, signature_png(enterprise.contact_name, 1000 + index))
            sign_notice(
                session,
                notice.id,
                coordinator_signature_sha256=mine.sha256,
                enterprise_signer=enterprise.contact_name,
                enterprise_signature_sha256=theirs.sha256,
                signed_at=dt.datetime.combine(visit_date, dt.time(3, 0), tzinfo=dt.UTC),
            )
        items = [f.item for f in findings if f.item is not None]
        if items and (today - visit_date).days > 30 and rng.random() < 0.6:
            to_verify = items[: max(1, len(items) // 2)]
            record_follow_up(
                session,
                enterprise_id=enterprise.id,
                coordinator_id=coordinator.id,
                visit_date=visit_date + dt.timedelta(days=rng.randint(20, 30)),
                method=rng.choice(("on_site", "documents")),
                note="复查整改情况",
                verifications=[Verification(item.id, "已核实整改到位") for item in to_verify],
                document_reference="企业报送的整改材料（劳动合同签收表、工资发放银行流水）",
                today=today,
            )
            for item in items[len(to_verify) :][:1]:
                submit_item(session, item.id, note="企业已报送整改材料")
        refresh_grade(session, enterprise.id, today)
    session.flush()
    return _summary(session, today, created=True)


def _summary(session: Session, today: dt.date, *, created: bool) -> DemoSummary:
    from app.models import Audit, Notice

    def count(query: object) -> int:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]

    return DemoSummary(
        enterprises=count(select(func.count()).select_from(Enterprise)),
        audits=count(select(func.count()).select_from(Audit)),
        findings=count(select(func.count()).select_from(Finding).where(Finding.removed_at.is_(None))),
        verified=count(
            select(func.count()).select_from(RectificationItem).where(RectificationItem.status == ItemStatus.VERIFIED)
        ),
        overdue=count(
            select(func.count())
            .select_from(RectificationItem)
            .where(RectificationItem.status != ItemStatus.VERIFIED, RectificationItem.deadline < today)
        ),
        notices=count(select(func.count()).select_from(Notice)),
        created=created,
    )
