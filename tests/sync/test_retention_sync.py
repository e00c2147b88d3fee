"""Retention against a real server: the office sets the period, a sync archives, a pull-back restores.

Runs on SQLite and PostgreSQL (the ``district`` fixture). The laptop's clock is moved forward by passing ``now``
to the retention step; everything else is the real sync.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.rectification import Verification, record_follow_up
from app.audit.retention import apply_retention, restore_from_server
from app.models import Answer, ArchivedAudit, Attachment, Coordinator, OutboxEntry, RectificationItem
from app.services.workspace import Workspace
from app.sync.client import SignInRequired, SyncClient
from app.sync.service import pull_back
from server import admin
from server.db import ServerDatabase
from server.models import Record
from tests.sync._helpers import VISIT_DAY, do_sync, finished_audit, first_enterprise, server_state
from tests.sync.conftest import DISTRICT, District
from tests.sync.test_properties import session_for

DAYS = 180
FUTURE = dt.datetime.now(dt.UTC) + dt.timedelta(days=DAYS + 30)


def _closed(ws: Workspace, enterprise_id: str) -> str:
    audit_id = finished_audit(ws, enterprise_id, photos=2)
    with ws.db.session() as session:
        coordinator = session.scalars(select(Coordinator)).one()
        items = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == audit_id)).all()
        record_follow_up(
            session,
            enterprise_id=enterprise_id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            method="documents",
            note="企业已补签劳动合同",
            verifications=[Verification(item.id) for item in items],
            document_reference="补签合同 3 份",
            today=VISIT_DAY,
        )
    return audit_id


def _retention(ws: Workspace):  # type: ignore[no-untyped-def]
    return lambda days: len(apply_retention(ws.db.session, ws.blobs, days, now=FUTURE).archived)


def _local(ws: Workspace, audit_id: str) -> dict[str, object]:
    with ws.db.session() as session:
        answers = sorted(
            (a.item_id, a.status.value, a.note)
            for a in session.scalars(select(Answer).where(Answer.audit_id == audit_id))
        )
        attachments = sorted(
            (a.id, a.sha256) for a in session.scalars(select(Attachment).where(Attachment.audit_id == audit_id))
        )
    return {"answers": answers, "attachments": attachments, "files": [ws.blobs.has(sha) for _id, sha in attachments]}


def _set_retention(db: ServerDatabase, days: int | None) -> None:
    with db.session() as session:
        admin.set_retention(session, DISTRICT, days)


def test_the_offices_period_archives_synced_audits_and_a_pull_back_restores_them(district: District, laptop) -> None:  # type: ignore[no-untyped-def]
    ws = laptop("li")
    do_sync(ws, "li")
    audit_id = _closed(ws, first_enterprise(ws))
    whole = _local(ws, audit_id)
    assert len(whole["attachments"]) == 2  # type: ignore[arg-type]

    first = do_sync(ws, "li", retention=_retention(ws))  # no period set yet: nothing leaves the laptop
    assert (first.retention_days, first.archived) == (None, 0)
    _set_retention(district.db, DAYS)
    second = do_sync(ws, "li", retention=_retention(ws))
    assert (second.retention_days, second.archived) == (DAYS, 1)
    with ws.db.session() as session:
        assert session.get(ArchivedAudit, audit_id) is not None
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0
    assert _local(ws, audit_id) == {"answers": [], "attachments": [], "files": []}
    server_before = server_state(district.db)
    with district.db.session() as session:  # the server still holds everything
        answers = session.scalar(
            select(func.count()).select_from(Record).where(Record.entity == "answer", Record.deleted.is_(False))
        )
        assert answers == len(whole["answers"])  # type: ignore[arg-type]

    report = pull_back(
        ws, audit_id, lambda found, fetch: restore_from_server(ws.db.session, ws.blobs, audit_id, found.records, fetch)
    )

    assert (report.answers, report.attachments, report.files_fetched) == (len(whole["answers"]), 2, 2)  # type: ignore[arg-type]
    assert _local(ws, audit_id) == whole
    after = do_sync(ws, "li")  # pulling back sends nothing and changes nothing on the server
    assert after.sent == 0
    assert server_state(district.db) == server_before


def test_nothing_unsynced_leaves_the_laptop(district: District, laptop) -> None:  # type: ignore[no-untyped-def]
    _set_retention(district.db, DAYS)
    ws = laptop("li")
    do_sync(ws, "li")
    audit_id = _closed(ws, first_enterprise(ws))
    with ws.db.session() as session:  # a photo file lost on disk: its attachment row cannot be pushed
        sha = session.scalars(select(Attachment.sha256).where(Attachment.audit_id == audit_id)).first()
    assert sha is not None
    assert ws.blobs.discard(sha)

    summary = do_sync(ws, "li", retention=_retention(ws))

    assert summary.errors
    assert summary.archived == 0
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) > 0
        assert session.get(ArchivedAudit, audit_id) is None
    assert _local(ws, audit_id)["answers"]


def test_a_pull_back_is_scoped_to_the_owner_and_the_audits_own_files(district: District, laptop) -> None:  # type: ignore[no-untyped-def]
    ws = laptop("li")
    do_sync(ws, "li")
    audit_id = _closed(ws, first_enterprise(ws))
    do_sync(ws, "li")
    with ws.db.session() as session:
        sha = session.scalars(select(Attachment.sha256).where(Attachment.audit_id == audit_id)).first()
    colleague = session_for(district, "chen")
    assert colleague.get(f"/audits/{audit_id}/records").status_code == 403
    assert colleague.get(f"/audits/{audit_id}/blobs/{sha}").status_code == 403
    outsider = session_for(district, "zhao")
    assert outsider.get(f"/audits/{audit_id}/records").status_code == 403
    office = session_for(district, "office")
    records = office.get(f"/audits/{audit_id}/records").json()["records"]
    assert records[0]["entity"] == "audit"
    assert {r["entity"] for r in records} >= {"answer", "attachment", "finding", "rectification_item", "follow_up"}
    owner = session_for(district, "li")
    assert owner.get(f"/audits/{audit_id}/blobs/{sha}").status_code == 200
    chen = laptop("chen")
    do_sync(chen, "chen")
    other_audit = _closed(chen, first_enterprise(chen))  # not synced: unknown to the server
    assert owner.get(f"/audits/{other_audit}/records").status_code == 404
    assert owner.get(f"/audits/{audit_id}/blobs/{'0' * 64}").status_code == 404
    with SyncClient(district.server.url) as client:
        client.token = "not-a-token"  # noqa: S105 - a wrong token on purpose
        with pytest.raises(SignInRequired):
            client.audit_records(audit_id)


def test_the_office_sets_the_period_with_the_server_cli(district: District, tmp_path: Path) -> None:
    url = district.server.settings.database_url
    command = [sys.executable, "-m", "server.cli", "district", "retention", DISTRICT]
    done = subprocess.run([*command, "180", "--database-url", url], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "180 天" in done.stdout
    refused = subprocess.run([*command, "7", "--database-url", url], capture_output=True, text=True, check=False)
    assert refused.returncode == 1
    assert "至少 30 天" in refused.stderr
    policy = session_for(district, "li").get("/device/policy").json()
    assert policy == {"retention_days": 180}
    subprocess.run([*command, "off", "--database-url", url], capture_output=True, text=True, check=True)
    assert session_for(district, "li").get("/device/policy").json() == {"retention_days": None}
