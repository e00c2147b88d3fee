"""The change history: every correction after a visit is finished is kept, with a reason, and cannot be rewritten."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.audit.attachments import add_signature
from app.audit.bundle import export_audit, import_bundle
from app.audit.bundle_format import bundle_to_json, parse_bundle
from app.audit.history import ReasonRequired, history_of_audit, history_of_item
from app.audit.notices import create_notice, reissue_notice, sign_notice
from app.audit.rectification import submit_item, update_item
from app.audit.visits import AuditError, InputInvalid, PersonMet, remove_finding, set_visit_record, start_audit
from app.models import ChangeHistory, Coordinator, Enterprise, Finding, OutboxEntry, RectificationItem
from app.services.workspace import Workspace, open_workspace
from tests.unit._builders import png_bytes
from tests.unit.test_rectification import _items

CHINA = dt.timezone(dt.timedelta(hours=8))


def _audit_of(ws: Workspace, item_id: str) -> str:
    with ws.db.session() as session:
        return session.get_one(RectificationItem, item_id).audit_id


def test_editing_an_item_records_one_row_per_changed_field_with_old_and_new(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    with ws.db.session() as session:
        before = session.get_one(RectificationItem, item_id)
        old_deadline, old_person = before.deadline, before.responsible_person
        update_item(
            session,
            item_id,
            deadline=dt.date(2026, 12, 31),
            responsible_person="钱七",
            responsible_phone=before.responsible_phone,  # unchanged: no row
            reason="企业书面申请延期，经科室同意",
        )
    with ws.db.session() as session:
        rows = history_of_item(session, item_id)
        item = session.get_one(RectificationItem, item_id)
    assert {row.field: (row.old, row.new) for row in rows} == {
        "deadline": (old_deadline.isoformat(), "2026-12-31"),
        "responsible_person": (old_person, "钱七"),
    }
    assert {row.reason for row in rows} == {"企业书面申请延期，经科室同意"}
    assert {(row.who, row.device_code) for row in rows} == {("李明", "A3")}
    assert all(row.changed_at.tzinfo is not None and row.changed_at.utcoffset() == dt.timedelta(0) for row in rows)
    assert item.version == 2


def test_a_change_without_a_reason_is_refused_and_nothing_changes(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    with ws.db.session() as session, pytest.raises(ReasonRequired, match="理由"):
        update_item(session, item_id, requirement="另写的要求", reason="  ")
    with ws.db.session() as session, pytest.raises(ReasonRequired):
        submit_item(session, item_id, note="")
    with ws.db.session() as session:
        assert session.get_one(RectificationItem, item_id).requirement != "另写的要求"
        assert history_of_item(session, item_id) == []


def test_an_edit_that_changes_nothing_records_nothing(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    with ws.db.session() as session:
        current = session.get_one(RectificationItem, item_id).requirement
        update_item(session, item_id, requirement=current, reason="误点保存")
        assert history_of_item(session, item_id) == []
        assert session.get_one(RectificationItem, item_id).version == 1


def test_submitting_and_removing_a_finding_are_in_the_audit_timeline(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    first, second = _items(ws, enterprise, coordinator, {"CONTRACT-04": "", "WAGE-01": "拖欠工资"})
    with ws.db.session() as session:
        submit_item(session, first, note="企业报送了劳动合同签收表")
        finding_id = session.get_one(RectificationItem, second).finding_id
        remove_finding(session, finding_id, reason="企业当场出示了工资发放记录")
    with ws.db.session() as session:
        timeline = history_of_audit(session, _audit_of(ws, first))
    by_field = {(row.entity, row.field): row for row in timeline}
    assert by_field[("rectification_item", "status")].old_text == "未整改"
    assert by_field[("rectification_item", "status")].new_text == "已提交整改材料"
    assert by_field[("finding", "removed_reason")].new == "企业当场出示了工资发放记录"
    assert by_field[("finding", "removed_reason")].entity_label == "问题"
    assert [row.changed_at for row in timeline] == sorted(row.changed_at for row in timeline)


def test_the_database_refuses_to_update_or_delete_history(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    with ws.db.session() as session:
        update_item(session, item_id, requirement="向全部劳动者交付劳动合同文本", reason="措辞更准确")
    with ws.db.session() as session, pytest.raises(IntegrityError, match="append-only"):
        session.execute(text("UPDATE change_history SET reason = '改掉理由'"))
    with ws.db.session() as session, pytest.raises(IntegrityError, match="append-only"):
        session.execute(text("DELETE FROM change_history"))
    with ws.db.session() as session:
        row = session.scalars(select(ChangeHistory)).one()
        row.reason = "通过 ORM 改"
        with pytest.raises(IntegrityError, match="append-only"):
            session.flush()
        session.rollback()
    with ws.db.session() as session:
        assert session.scalars(select(ChangeHistory.reason)).all() == ["措辞更准确"]


def test_history_rows_go_to_the_outbox_as_inserts_only(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    with ws.db.session() as session:
        update_item(session, item_id, requirement="补签书面劳动合同", reason="措辞更准确")
    with ws.db.session() as session:
        entries = session.scalars(select(OutboxEntry).where(OutboxEntry.entity == "change_history")).all()
    assert [entry.op for entry in entries] == ["insert"]
    assert entries[0].payload["reason"] == "措辞更准确"
    assert json.loads(entries[0].payload["new_value"]) == "补签书面劳动合同"


def test_voiding_and_reissuing_a_notice_is_recorded_on_both_notices(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    audit_id = _audit_of(ws, item_id)
    with ws.db.session() as session:
        notice = create_notice(session, audit_id, issued_on=dt.date(2026, 11, 10))
        signature = add_signature(session, ws.blobs, png_bytes()).sha256
        sign_notice(
            session,
            notice.id,
            coordinator_signature_sha256=signature,
            enterprise_signer="王芳",
            enterprise_signature_sha256=signature,
        )
        replacement = reissue_notice(session, notice.id, reason="整改负责人姓名写错", issued_on=dt.date(2026, 11, 11))
    with ws.db.session() as session:
        timeline = history_of_audit(session, audit_id)
    old_rows = {row.field: row for row in timeline if row.entity_id == notice.id}
    assert old_rows["status"].old == "signed"
    assert old_rows["status"].new == "voided"
    assert old_rows["void_reason"].new == "整改负责人姓名写错"
    new_rows = {row.field: row for row in timeline if row.entity_id == replacement.id}
    assert new_rows["supersedes_id"].new == notice.id


def test_the_visit_record_is_free_while_in_progress_and_needs_a_reason_once_finished(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    arrived = dt.datetime(2026, 11, 10, 9, 0, tzinfo=CHINA)
    with ws.db.session() as session:
        audit = start_audit(
            session, enterprise_id=enterprise.id, coordinator_id=coordinator.id, visit_date=dt.date(2026, 11, 10)
        )
        set_visit_record(
            session,
            audit.id,
            arrived_at=arrived,
            departed_at=None,
            people_met=[PersonMet("王芳", "人事主管"), PersonMet("  ")],
            documents_inspected=["职工花名册", "2026年10月工资表", ""],
        )
        audit_id = audit.id
        assert history_of_audit(session, audit_id) == []
        with pytest.raises(InputInvalid, match="早于"):
            set_visit_record(
                session,
                audit_id,
                arrived_at=arrived,
                departed_at=arrived - dt.timedelta(hours=1),
                people_met=[],
                documents_inspected=[],
            )
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    finished_id = _audit_of(ws, item_id)
    with ws.db.session() as session, pytest.raises(ReasonRequired):
        set_visit_record(
            session, finished_id, arrived_at=arrived, departed_at=None, people_met=[], documents_inspected=[]
        )
    with ws.db.session() as session:
        set_visit_record(
            session,
            finished_id,
            arrived_at=arrived,
            departed_at=arrived + dt.timedelta(hours=2),
            people_met=[PersonMet("王芳", "人事主管")],
            documents_inspected=["劳动合同"],
            reason="补记走访记录",
        )
    with ws.db.session() as session:
        fields = {row.field: row for row in history_of_audit(session, finished_id)}
        first = export_audit(session, audit_id)
    assert set(fields) == {"arrived_at", "departed_at", "people_met", "documents_inspected"}
    assert fields["people_met"].new_text == "王芳（人事主管）"
    assert fields["arrived_at"].new_text == "2026-11-10 09:00"
    assert first.audit.people_met[0].name == "王芳"
    assert first.audit.documents_inspected == ["职工花名册", "2026年10月工资表"]
    assert first.audit.arrived_at == arrived


def test_set_visit_record_of_a_missing_audit_is_a_clear_error(ws: Workspace, coordinator: Coordinator) -> None:
    with ws.db.session() as session, pytest.raises(AuditError, match="不存在"):
        set_visit_record(session, "missing", arrived_at=None, departed_at=None, people_met=[], documents_inspected=[])


def test_history_travels_with_the_bundle_and_is_never_rewritten_by_an_import(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, tmp_path: object
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    audit_id = _audit_of(ws, item_id)
    with ws.db.session() as session:
        update_item(session, item_id, requirement="补签书面劳动合同", reason="措辞更准确")
    with ws.db.session() as session:
        bundle = parse_bundle(bundle_to_json(export_audit(session, audit_id)))
    assert [(row.field, row.reason) for row in bundle.change_history] == [("requirement", "措辞更准确")]

    from pathlib import Path

    other = open_workspace(Path(str(tmp_path)) / "other")
    try:
        with other.db.session() as session:
            assert import_bundle(session, bundle, blob_store=None).outcome == "created"
        with other.db.session() as session:
            rows = history_of_audit(session, audit_id)
            assert [(row.field, row.who, row.reason) for row in rows] == [("requirement", "李明", "措辞更准确")]
            assert import_bundle(session, bundle, blob_store=None).outcome == "unchanged"
            finding = session.scalars(select(Finding).where(Finding.audit_id == audit_id)).one()
            assert finding.removed_at is None
    finally:
        other.close()
