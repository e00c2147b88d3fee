"""The change history reaches the server, where it is append-only too: no update or delete path."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from app.audit.rectification import update_item
from app.models import OutboxEntry, RectificationItem
from app.sync.protocol import ErrorCode
from server.models import Record
from tests.sync._helpers import do_sync, finished_audit, first_enterprise
from tests.sync.conftest import District
from tests.sync.test_properties import audit_payload, mutation, push, session_for


def _row(audit_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "entity": "rectification_item",
        "entity_id": str(uuid.uuid4()),
        "audit_id": audit_id,
        "field": "deadline",
        "old_value": '"2026-12-01"',
        "new_value": '"2026-12-15"',
        "reason": "企业书面申请延期",
        "who": "李明",
        "device_code": "A3",
        "changed_at": "2026-11-20T02:00:00+00:00",
        **fields,
    }


def test_a_history_row_is_inserted_once_and_never_updated_or_deleted(district: District) -> None:
    client = session_for(district, "li")
    audit_id = str(uuid.uuid4())
    push(client, mutation("audit", audit_id, audit_payload(district), base_version=1))
    row_id = str(uuid.uuid4())
    payload = _row(audit_id)
    assert push(client, mutation("change_history", row_id, payload))[0]["status"] == "applied"
    again = push(client, mutation("change_history", row_id, payload))[0]  # same row, new mutation id
    assert again["status"] == "duplicate"
    for attempt in (
        mutation("change_history", row_id, {**payload, "reason": "改掉理由"}),
        mutation("change_history", row_id, {**payload, "reason": "改掉理由"}, op="update"),
        mutation("change_history", row_id, {}, op="delete"),
    ):
        result = push(client, attempt)[0]
        assert result["status"] == "rejected"
        assert result["code"] == ErrorCode.FORBIDDEN
    with district.db.session() as session:
        record = session.get_one(Record, ("change_history", row_id))
        assert (record.deleted, record.data["reason"]) == (False, "企业书面申请延期")


def test_history_of_another_coordinators_audit_is_refused(district: District) -> None:
    owner = session_for(district, "li")
    audit_id = str(uuid.uuid4())
    push(owner, mutation("audit", audit_id, audit_payload(district), base_version=1))
    other = session_for(district, "chen")
    result = push(other, mutation("change_history", str(uuid.uuid4()), _row(audit_id)))[0]
    assert result["status"] == "rejected"


def test_a_laptops_corrections_arrive_on_the_server_with_their_reasons(district: District, laptop: Any) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    audit_id = finished_audit(ws, first_enterprise(ws))
    with ws.db.session() as session:
        item = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == audit_id)).one()
        update_item(session, item.id, responsible_person="钱七", reason="企业更换整改负责人")
    do_sync(ws, "li")
    with ws.db.session() as session:
        assert session.scalars(select(OutboxEntry)).all() == []
    with district.db.session() as session:
        rows = session.scalars(select(Record).where(Record.entity == "change_history")).all()
    assert [(r.data["field"], r.data["reason"], r.data["who"]) for r in rows] == [
        ("responsible_person", "企业更换整改负责人", "李明")
    ]
