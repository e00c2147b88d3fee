"""Two laptops and the office against a real server on a loopback port (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from app.checklists.loader import default_template_dir, load_template_set, module_snapshot
from app.models import Audit, ConflictLog, Enterprise, OutboxEntry, Template
from app.sync.service import sync_status
from server import admin
from tests.sync._helpers import do_sync, finished_audit, first_enterprise
from tests.sync.conftest import PASSWORD, District


def office_client(district: District) -> httpx.Client:
    client = httpx.Client(base_url=district.server.url)
    token = client.post(
        "/auth/sign-in", json={"username": "office", "password": PASSWORD, "device_id": "office-pc"}
    ).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def publish_new_contract_version(district: District, tmp_path: Any) -> None:
    template_set = load_template_set(default_template_dir())
    snapshot = module_snapshot(template_set, "CONTRACT")
    snapshot["module"]["version"] += 1
    snapshot["module"]["title"] += "（2027 修订）"
    path = tmp_path / "contract.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    with district.db.session() as session:
        assert admin.publish_templates(session, path)


def test_audit_reaches_the_office_and_office_edits_and_templates_reach_the_other_laptop(
    district: District, laptop: Any, tmp_path: Any
) -> None:
    a, b = laptop("李明"), laptop("陈静", device_code="B1")
    do_sync(a, "li")
    do_sync(b, "chen")
    enterprise_id = first_enterprise(a)
    audit_id = finished_audit(a, enterprise_id, photos=2)

    summary = do_sync(a, "li")

    assert summary.sent > 0
    assert summary.errors == []
    with a.db.session() as session:
        assert session.scalar(select(OutboxEntry.seq)) is None
        assert sync_status(session).pending == 0
    office = office_client(district)
    audits = office.get("/records/audit").json()["records"]
    assert [row["entity_id"] for row in audits] == [audit_id]
    assert audits[0]["data"]["status"] == "finished"
    findings = office.get("/records/finding").json()["records"]
    assert len(findings) == 1
    assert findings[0]["data"]["item_id"] == "CONTRACT-03"
    assert len(office.get("/records/attachment").json()["records"]) == 2

    edited = office.patch(f"/enterprises/{enterprise_id}", json={"fields": {"address": "达川区翠屏街道8号"}})
    assert edited.status_code == 200, edited.text
    publish_new_contract_version(district, tmp_path)

    do_sync(b, "chen")
    with b.db.session() as session:
        enterprise = session.get_one(Enterprise, enterprise_id)
        assert enterprise.address == "达川区翠屏街道8号"
        versions = sorted(v for v in session.scalars(select(Template.version).where(Template.module == "CONTRACT")))
        assert len(versions) == 2
        assert enterprise.name_initials  # search keeps working on pulled rows
    with a.db.session() as session:
        pinned = session.get_one(Audit, audit_id).modules[0].template_id
    do_sync(a, "li")
    with a.db.session() as session:
        assert session.get_one(Audit, audit_id).modules[0].template_id == pinned  # the audit keeps its version
    office.close()


def test_conflicting_enterprise_edits_merge_by_policy_and_log_the_losers(district: District, laptop: Any) -> None:
    a = laptop("李明")
    do_sync(a, "li")
    enterprise_id = first_enterprise(a)
    office = office_client(district)
    office.patch(f"/enterprises/{enterprise_id}", json={"fields": {"name": "达州恒达机械股份有限公司"}})

    from app.audit.enterprises import update_enterprise

    with a.db.session() as session:  # edited offline, before seeing the office's change
        update_enterprise(session, enterprise_id, name="达州恒达机械制造（集团）有限公司", headcount=150)

    summary = do_sync(a, "li")

    with a.db.session() as session:
        enterprise = session.get_one(Enterprise, enterprise_id)
        assert enterprise.name == "达州恒达机械股份有限公司"  # the office wins on registry fields
        assert enterprise.headcount == 150  # the latest observation wins on observed facts
        logged = session.scalars(select(ConflictLog)).all()
        assert [(c.field, c.local_value, c.server_value) for c in logged] == [
            ("name", "达州恒达机械制造（集团）有限公司", "达州恒达机械股份有限公司")
        ]
        assert sync_status(session).unreviewed_conflicts == 1
    assert summary.conflicts == 1
    proposals = office.get("/conflicts").json()["conflicts"]
    assert proposals[0]["is_proposal"]
    assert proposals[0]["proposed_value"] == "达州恒达机械制造（集团）有限公司"
    server_row = office.get(f"/records/enterprise/{enterprise_id}").json()["data"]
    assert server_row["headcount"] == 150
    assert server_row["name"] == "达州恒达机械股份有限公司"
    office.close()


def test_an_older_observation_loses_to_a_newer_one_and_is_logged(district: District, laptop: Any) -> None:
    a, b = laptop("李明"), laptop("陈静", device_code="B1")
    do_sync(a, "li")
    do_sync(b, "chen")
    enterprise_id = first_enterprise(a)
    from app.audit.enterprises import update_enterprise

    with a.db.session() as session:
        update_enterprise(session, enterprise_id, headcount=90)  # observed first
    with b.db.session() as session:
        update_enterprise(session, enterprise_id, headcount=95)  # observed later
    do_sync(b, "chen")
    do_sync(a, "li")

    with a.db.session() as session:
        assert session.get_one(Enterprise, enterprise_id).headcount == 95
        logged = session.scalars(select(ConflictLog)).one()
        assert (logged.field, logged.local_value, logged.server_value) == ("headcount", "90", "95")
