"""Every action form of the console, posted as the browser posts it, with its effect and its office-log entry:
registry edit through the merge, proposals accepted and rejected, plan cancelled, follow-up reassigned, users,
devices, retention, campaigns, template publishing, the reports as PDFs, the city report."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from app.sync.protocol import Role, TemplateProblemReport
from core.clock import china_today
from server.console import projection
from server.console.models import OfficeAction, PlanAssignment
from server.console.plans import create_plan
from server.models import ConflictEntry, Device, District, Record, User
from server.security import Caller
from server.template_problems import record_template_problem
from tests.console.conftest import A, Seeded, template_snapshots
from tests.console.test_read_model import office
from tests.sync._helpers import do_sync, finished_audit
from tests.sync.conftest import make_laptop


def actions(seeded: Seeded) -> list[str]:
    """The office log's actions in order, sign-ins left out."""
    with seeded.db.session() as session:
        found = session.scalars(select(OfficeAction.action).order_by(OfficeAction.id))
        return [action for action in found if action != "sign_in"]


def test_the_office_edits_the_registry_and_reviews_proposals(sqlite_console: Seeded, signed_in: Any) -> None:
    seeded = sqlite_console
    district = seeded.districts[A]
    enterprise = next(iter(seeded.enterprises[A].values()))
    client = signed_in("office")
    page = client.get(f"/console/d/{district}/enterprises/{enterprise}")
    token = client.csrf(f"/console/d/{district}/enterprises/{enterprise}")
    version = re.search(r'name="base_version" value="(\d+)"', page.text)
    assert version is not None
    form = {name: value for name, value in re.findall(r'name="(\w+)" id="field-\w+" value="([^"]*)"', page.text)}
    answer = client.post(
        f"/console/d/{district}/enterprises/{enterprise}/edit",
        data={
            **form,
            "address": "达川区翠屏街道1号",
            "headcount": "150",
            "base_version": version.group(1),
            "csrf_token": token,
        },
    )
    assert answer.status_code == 303
    refused = client.post(
        f"/console/d/{district}/enterprises/{enterprise}/edit",
        data={**form, "headcount": "很多", "csrf_token": token},
    )
    assert refused.status_code == 400
    assert "职工数量应为整数" in refused.text
    with seeded.db.session() as session:
        data = session.get_one(Record, ("enterprise", enterprise)).data or {}
        assert (data["address"], data["headcount"]) == ("达川区翠屏街道1号", 150)
        for field, value in (("name", "改名后的公司"), ("industry", "建筑业")):
            session.add(
                ConflictEntry(
                    district_id=district,
                    user_id=seeded.users["li"],
                    entity="enterprise",
                    entity_id=enterprise,
                    field=field,
                    proposed_value=value,
                    server_value=str(data.get(field)),
                    resolution="登记信息以区办为准：您的修改已作为修改建议提交区办审核",
                    is_proposal=True,
                )
            )
        session.flush()
        ids = sorted(session.scalars(select(ConflictEntry.id)))
    listing = client.get(f"/console/d/{district}/conflicts")
    assert "改名后的公司" in listing.text
    assert (
        client.post(
            f"/console/d/{district}/conflicts/{ids[0]}/review", data={"decision": "accept", "csrf_token": token}
        ).status_code
        == 400
    ), "a reason is required"
    assert (
        client.post(
            f"/console/d/{district}/conflicts/{ids[0]}/review",
            data={"decision": "accept", "reason": "核对营业执照无误", "csrf_token": token},
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"/console/d/{district}/conflicts/{ids[1]}/review",
            data={"decision": "reject", "reason": "行业以登记为准", "csrf_token": token},
        ).status_code
        == 303
    )
    with seeded.db.session() as session:
        data = session.get_one(Record, ("enterprise", enterprise)).data or {}
        assert data["name"] == "改名后的公司"
        assert data["industry"] == "制造业"
        reviews = [
            (c.review, c.review_reason) for c in session.scalars(select(ConflictEntry).order_by(ConflictEntry.id))
        ]
    assert reviews == [("accepted", "核对营业执照无误"), ("rejected", "行业以登记为准")]
    assert "已采纳" in client.get(f"/console/d/{district}/conflicts?show=all").text
    assert actions(seeded)[-3:] == ["enterprise_edit", "conflict_accept", "conflict_reject"]


def test_a_plan_assignment_is_cancelled_and_a_follow_up_reassigned(
    sqlite_console: Seeded, signed_in: Any, tmp_path: Path
) -> None:
    seeded = sqlite_console
    district = seeded.districts[A]
    ids = list(seeded.enterprises[A].values())
    li = make_laptop(tmp_path, "li", seeded.url)
    try:
        do_sync(li, "li")
        finished_audit(li, ids[0], photos=0, visit_date=china_today() - dt.timedelta(days=90))
        do_sync(li, "li")
    finally:
        li.close()
    today = china_today()
    with seeded.db.session() as session:
        projection.catch_up_in(session, today)
        plan = create_plan(
            session,
            office(seeded),
            district_id=district,
            name="第二批",
            campaign_id=None,
            assignee_id=seeded.users["chen"],
            target_date=today + dt.timedelta(days=5),
            enterprise_ids=ids[1:3],
            today=today,
        )
    client = signed_in("office")
    page = client.get(f"/console/d/{district}/plans/{plan}")
    assert page.text.count("待体检") >= 2
    token = client.csrf(f"/console/d/{district}/plans/{plan}")
    assignment = re.search(r'name="assignment" value="([^"]+)"', page.text)
    assert assignment is not None
    answer = client.post(
        f"/console/d/{district}/plans/{plan}/cancel", data={"assignment": assignment.group(1), "csrf_token": token}
    )
    assert answer.status_code == 303
    assert "已取消" in client.get(f"/console/d/{district}/plans/{plan}").text
    with seeded.db.session() as session:
        assert session.get_one(PlanAssignment, assignment.group(1)).active is False

    queue = client.get(f"/console/d/{district}/followup?state=overdue")
    items = re.findall(r'name="item" value="([^"]+)"', queue.text)
    assert len(items) == 1
    answer = client.post(
        f"/console/d/{district}/followup/reassign",
        data={
            "item": items,
            "assignee": str(seeded.users["chen"]),
            "target_date": (today + dt.timedelta(days=3)).isoformat(),
            "csrf_token": token,
        },
    )
    assert answer.status_code == 303
    moved = client.get(answer.headers["location"])
    assert "已改派 1 项复查" in moved.text
    assert "陈静" in moved.text
    chen_view = signed_in("chen").get(f"/console/d/{district}/followup?state=overdue")
    assert "共 1 项" in chen_view.text, "the coordinator it was reassigned to sees it in their own queue"
    assert actions(seeded)[-2:] == ["plan_cancel", "follow_up_reassign"]


def test_admins_manage_users_devices_retention_campaigns_and_templates(
    sqlite_console: Seeded, signed_in: Any, anonymous: Any, tmp_path: Path
) -> None:
    seeded = sqlite_console
    district = seeded.districts[A]
    boss = signed_in("boss")
    token = boss.csrf(f"/console/d/{district}/admin/users")
    base = f"/console/d/{district}/admin"
    assert (
        boss.post(
            f"{base}/users",
            data={
                "username": "sun",
                "display_name": "孙丽",
                "role": "coordinator",
                "password": "short",
                "csrf_token": token,
            },
        ).status_code
        == 400
    )
    assert (
        boss.post(
            f"{base}/users",
            data={
                "username": "sun",
                "display_name": "孙丽",
                "role": "coordinator",
                "password": "sun-password-1",
                "csrf_token": token,
            },
        ).status_code
        == 303
    )
    assert anonymous().login("sun", "sun-password-1").status_code == 303
    with seeded.db.session() as session:
        sun = session.scalars(select(User).where(User.username == "sun")).one()
        session.add(Device(id="sun-laptop", user_id=sun.id, name="孙丽的笔记本", token_hash="e" * 64))
        sun_id = sun.id
    assert (
        boss.post(
            f"{base}/users/{sun.id}/password", data={"password": "sun-password-2", "csrf_token": token}
        ).status_code
        == 303
    )
    assert anonymous().login("sun", "sun-password-2").status_code == 303
    assert boss.post(f"{base}/users/{sun.id}/disable", data={"csrf_token": token}).status_code == 303
    assert anonymous().login("sun", "sun-password-2").status_code == 401
    assert boss.post(f"{base}/users/{sun.id}/enable", data={"csrf_token": token}).status_code == 303
    assert boss.post(f"{base}/users/{seeded.users['boss']}/disable", data={"csrf_token": token}).status_code == 400
    assert "孙丽的笔记本" in boss.get(f"{base}/devices").text
    assert boss.post(f"{base}/devices/sun-laptop/revoke", data={"csrf_token": token}).status_code == 303
    assert boss.post(f"{base}/retention", data={"days": "10", "csrf_token": token}).status_code == 400
    assert boss.post(f"{base}/retention", data={"days": "180", "csrf_token": token}).status_code == 303
    assert (
        boss.post(
            f"{base}/campaigns",
            data={
                "name": "2027年春季专项行动",
                "starts_on": "2027-03-01",
                "ends_on": "2027-02-01",
                "csrf_token": token,
            },
        ).status_code
        == 400
    )
    assert (
        boss.post(
            f"{base}/campaigns", data={"name": "2027年春季专项行动", "starts_on": "2027-03-01", "csrf_token": token}
        ).status_code
        == 303
    )
    name, snapshot = template_snapshots()[0]
    changed = json.loads(json.dumps(snapshot))
    changed["module"]["title"] = changed["module"]["title"] + "（改）"
    refused = boss.post(
        f"{base}/templates",
        data={"csrf_token": token},
        files=[("snapshots", (name, json.dumps(changed, ensure_ascii=False).encode(), "application/json"))],
    )
    assert refused.status_code == 400
    assert "提高版本号" in refused.text
    changed["module"]["version"] += 1
    # The checks every laptop makes (core.template_check): one broken file among good ones publishes nothing.
    broken = json.loads(json.dumps(changed))
    broken["module"]["items"][0]["rule"]["noncompliant_if"] = "__import__('os') > 0"
    checked = boss.post(
        f"{base}/templates",
        data={"csrf_token": token},
        files=[
            ("snapshots", (name, json.dumps(changed, ensure_ascii=False).encode(), "application/json")),
            ("snapshots", ("broken.json", json.dumps(broken, ensure_ascii=False).encode(), "application/json")),
        ],
    )
    assert checked.status_code == 400
    assert "未发布任何版本" in checked.text
    assert "broken.json" in checked.text
    assert "CONTRACT-01" in checked.text
    with seeded.db.session() as session:
        assert changed["module"]["version"] not in set(
            session.scalars(
                select(Record.data["version"].as_integer()).where(
                    Record.entity == "template", Record.data["module"].as_string() == changed["module"]["module"]
                )
            )
        )
    published = boss.post(
        f"{base}/templates",
        data={"csrf_token": token},
        files=[("snapshots", (name, json.dumps(changed, ensure_ascii=False).encode(), "application/json"))],
    )
    assert published.status_code == 303
    with seeded.db.session() as session:
        assert session.get_one(Device, "sun-laptop").revoked_at is not None
        assert session.get_one(District, district).retention_days == 180
        campaigns = session.scalars(
            select(Record.data).where(Record.entity == "campaign", Record.district_id == district)
        )
        assert "2027年春季专项行动" in {data["name"] for data in campaigns}
        versions = session.scalars(
            select(Record.data["version"].as_integer()).where(
                Record.entity == "template", Record.data["module"].as_string() == changed["module"]["module"]
            )
        )
        assert sorted(versions)[-1] == changed["module"]["version"]
    refused_calendar = boss.post(
        f"{base}/calendar",
        data={"year": "2030", "holidays": "2030-01-01", "workdays": "2030-01-03", "csrf_token": token},
    )
    assert refused_calendar.status_code == 400
    assert "调休上班日应是周六或周日" in refused_calendar.text
    assert (
        boss.post(
            f"{base}/calendar",
            data={
                "year": "2030",
                "holidays": "2030-01-01\n2030-02-02~2030-02-08，2030-04-05",
                "workdays": "2030-01-26 2030-02-09",
                "csrf_token": token,
            },
        ).status_code
        == 303
    )
    with seeded.db.session() as session:
        published = [
            record.data or {} for record in session.scalars(select(Record).where(Record.entity == "publication"))
        ]
        (calendar,) = [
            data["content"] for data in published if (data["kind"], data["key"]) == ("holiday_calendar", "2030")
        ]
        assert calendar["holidays"] == ["2030-01-01", *(f"2030-02-0{day}" for day in range(2, 9)), "2030-04-05"]
        assert calendar["workdays"] == ["2030-01-26", "2030-02-09"]
        assert calendar["published_by"]
        template = session.scalars(select(Record).where(Record.entity == "template")).first()
        assert template is not None
        data = template.data or {}
        record_template_problem(
            session,
            Caller(sun_id, "sun", Role.COORDINATOR, district, A, "sun-laptop"),
            TemplateProblemReport(
                module=data["module"],
                version=data["version"],
                content_hash=data["content_hash"],
                reason="item X-01: rule.noncompliant_if: unknown name <b>",
                kept_version=1,
            ),
        )
    publishing = boss.get(f"{base}/publishing").text
    assert "2030-01-26、2030-02-09" in publishing
    assert "item X-01: rule.noncompliant_if: unknown name &lt;b&gt;" in publishing
    assert "孙丽的笔记本" in publishing
    log = boss.get(f"{base}/log").text
    for label in (
        "添加用户",
        "重置密码",
        "停用用户",
        "启用用户",
        "撤销设备",
        "设置保留期限",
        "添加专项行动",
        "发布检查表",
        "发布节假日安排",
    ):
        assert label in log
    assert signed_in("office").get(f"{base}/log").status_code == 403


def test_the_reports_are_official_pdfs_with_the_districts_figures(sqlite_console: Seeded, signed_in: Any) -> None:
    seeded = sqlite_console
    district = seeded.districts[A]
    client = signed_in("office")
    page = client.get(f"/console/d/{district}/reports")
    assert "截至" in page.text
    answer = client.get(
        f"/console/d/{district}/reports/district.pdf",
        params={"since": "2026-01-01", "until": "2026-12-31", "issuing_body": "达川区协调劳动关系三方办公室"},
    )
    assert answer.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(answer.content)).pages)
    assert "关于达川区劳动用工法治体检工作情况的报告" in text.replace("\n", "")
    assert "2026年1月1日至2026年12月31日" in text.replace("\n", "")
    city = signed_in("dazhou").get(f"/console/c/{seeded.city_id}/report.pdf")
    city_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(city.content)).pages)
    assert "达川区" in city_text
    assert "通川区" in city_text
    assert actions(seeded).count("report_download") == 2
