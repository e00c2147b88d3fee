"""Retention on the laptop: synced, closed, old audits keep a stub; nothing unsynced or still open is touched.

"Synced" is an empty outbox for the audit: these tests clear the outbox the way the server's acknowledgement
does (``tests/sync/test_retention_sync.py`` runs the same against a real server).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from app.audit.attachments import add_photo, add_signature
from app.audit.bundle import AuditArchived, export_audit
from app.audit.notices import create_notice, sign_notice
from app.audit.rectification import Verification, record_follow_up
from app.audit.retention import (
    RestoreFailed,
    apply_retention,
    archive_audit,
    archived_stub,
    due_for_archiving,
    finish_pending_removals,
    restore_from_server,
)
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import (
    Answer,
    AnswerStatus,
    ArchivedAudit,
    Attachment,
    Blob,
    Coordinator,
    Enterprise,
    Finding,
    Notice,
    OutboxEntry,
    RectificationItem,
)
from app.models.sync import row_payload
from app.services.workspace import Workspace
from tests.unit._builders import jpeg_bytes, png_bytes

VISIT = dt.date(2026, 3, 2)
VERIFIED = dt.date(2026, 4, 1)
LATER = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)  # > 180 days after the verification
DAYS = 180
NOTE = "张伟（身份证 510203198807152341）未签劳动合同"


@dataclass(frozen=True)
class Record:
    entity: str
    entity_id: str
    data: dict[str, Any] | None


def _closed_audit(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise, *, verify: bool = True, signal: bool = False
) -> str:
    modules = ["CONTRACT", "WAGE"] if signal else ["CONTRACT"]
    with ws.db.session() as session:
        audit = start_audit(
            session, enterprise_id=enterprise.id, coordinator_id=coordinator.id, visit_date=VISIT, modules=modules
        )
        answer_item(session, audit.id, "CONTRACT-03", AnswerStatus.NON_COMPLIANT, note=NOTE)
        if signal:
            answer_item(session, audit.id, "WAGE-09", AnswerStatus.NON_COMPLIANT, note="连续三个月欠缴社会保险费")
        add_photo(
            session, ws.blobs, audit_id=audit.id, item_id="CONTRACT-03", data=jpeg_bytes(), original_name="合同.jpg"
        )
        for state in item_states(session, audit.id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT)
        finish_audit(session, audit.id, responsible_person="赵强", today=VISIT)
        audit.finished_at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)  # the clock of that day, not the test's
        notice = create_notice(session, audit.id, issued_on=VISIT)
        ours = add_signature(session, ws.blobs, png_bytes(color=(0, 0, 0, 255)))
        theirs = add_signature(session, ws.blobs, png_bytes(color=(0, 0, 200, 255)))
        sign_notice(
            session,
            notice.id,
            coordinator_signature_sha256=ours.sha256,
            enterprise_signer="王芳",
            enterprise_signature_sha256=theirs.sha256,
            signed_at=dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC),
        )
        if verify:
            items = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == audit.id)).all()
            record_follow_up(
                session,
                enterprise_id=enterprise.id,
                coordinator_id=coordinator.id,
                visit_date=VERIFIED,
                method="documents",
                note="已补签劳动合同",
                verifications=[Verification(item.id) for item in items],
                document_reference="补签的劳动合同 12 份",
                today=VERIFIED,
            )
        audit_id = audit.id
    _acknowledge_everything(ws)
    return audit_id


def _acknowledge_everything(ws: Workspace) -> None:
    """What the server's ``applied`` answers do to the outbox."""
    with ws.db.session() as session:
        session.execute(delete(OutboxEntry))


def _archive(ws: Workspace) -> tuple[str, ...]:
    return apply_retention(ws.db.session, ws.blobs, DAYS, now=LATER).archived


def _photo_hashes(ws: Workspace, audit_id: str) -> list[str]:
    with ws.db.session() as session:
        return list(session.scalars(select(Attachment.sha256).where(Attachment.audit_id == audit_id)))


def _server_copy(ws: Workspace, audit_id: str) -> list[Record]:
    """The records the server holds for the audit: the laptop's rows as they were pushed."""
    with ws.db.session() as session:
        records = [Record("audit", audit_id, {"id": audit_id})]
        for model, entity in ((Answer, "answer"), (Attachment, "attachment")):
            for row in session.scalars(select(model).where(model.audit_id == audit_id)):
                records.append(Record(entity, row.id, row_payload(row)))
        return records


def test_a_synced_closed_old_audit_keeps_only_its_stub(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise)
    photos = _photo_hashes(ws, audit_id)
    assert photos
    assert all(ws.blobs.has(sha) for sha in photos)

    assert _archive(ws) == (audit_id,)

    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Answer).where(Answer.audit_id == audit_id)) == 0
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert session.get(Blob, photos[0]) is None
        stub = session.get_one(ArchivedAudit, audit_id)
        assert (stub.retention_days, stub.attachments) == (DAYS, 1)
        assert stub.answers > 1
        # what the ledger, the grade and the official record rest on stays whole
        assert session.scalar(select(func.count()).select_from(Finding).where(Finding.audit_id == audit_id)) == 1
        notice = session.scalars(select(Notice).where(Notice.audit_id == audit_id)).one()
        assert notice.content_hash
        assert ws.blobs.has(str(notice.coordinator_signature_sha256))
        # no deletion is ever sent to the server
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0
    assert not any(ws.blobs.has(sha) for sha in photos)


def test_nothing_unsynced_is_removed(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise)
    with ws.db.session() as session:  # a change the server has not acknowledged yet
        item = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == audit_id)).one()
        item.responsible_phone = "0818-2345678"
    assert _archive(ws) == ()
    with ws.db.session() as session:
        assert session.get(ArchivedAudit, audit_id) is None
        assert session.scalar(select(func.count()).select_from(Answer)) > 0
    _acknowledge_everything(ws)
    assert _archive(ws) == (audit_id,)


def test_open_items_young_audits_and_no_period_keep_everything(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    open_audit = _closed_audit(ws, coordinator, enterprise, verify=False)
    with ws.db.session() as session:
        assert due_for_archiving(session, DAYS, LATER) == []
        assert due_for_archiving(session, 0, LATER + dt.timedelta(days=3650)) == []
    closed = _closed_audit(ws, coordinator, enterprise)
    with ws.db.session() as session:
        # the verification on 2026-04-01 is the last activity: 179 days later it is not due, 181 days later it is
        assert due_for_archiving(session, DAYS, dt.datetime(2026, 9, 27, tzinfo=dt.UTC)) == []
        assert due_for_archiving(session, DAYS, dt.datetime(2026, 9, 29, 12, tzinfo=dt.UTC)) == [closed]
    assert _archive(ws) == (closed,)
    with ws.db.session() as session:
        assert session.get(ArchivedAudit, open_audit) is None


def test_evidence_a_follow_up_cites_is_kept(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise, verify=False)
    with ws.db.session() as session:
        evidence = add_photo(
            session, ws.blobs, audit_id=audit_id, item_id=None, data=jpeg_bytes(color=(1, 2, 3)), original_name="e.jpg"
        )
        items = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == audit_id)).all()
        record_follow_up(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VERIFIED,
            method="on_site",
            note="现场核实已补签",
            verifications=[Verification(item.id) for item in items],
            evidence_attachment_ids=[evidence.id],
            today=VERIFIED,
        )
        evidence_id, evidence_sha = evidence.id, evidence.sha256
    _acknowledge_everything(ws)
    assert _archive(ws) == (audit_id,)
    with ws.db.session() as session:
        assert [a.id for a in session.scalars(select(Attachment))] == [evidence_id]
        assert session.get_one(ArchivedAudit, audit_id).attachments == 1
    assert ws.blobs.has(evidence_sha)


def test_a_removal_cut_short_is_finished_at_the_next_run(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise)
    photo = _photo_hashes(ws, audit_id)[0]
    with ws.db.session() as session:
        archive_audit(session, audit_id, DAYS, LATER)  # committed, then "the power went" before the files
    assert ws.blobs.has(photo)
    with ws.db.session() as session:
        assert finish_pending_removals(session, ws.blobs) == 1
        assert finish_pending_removals(session, ws.blobs) == 0
    assert not ws.blobs.has(photo)


def test_pull_back_restores_exactly_what_was_removed(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise)
    server = _server_copy(ws, audit_id)
    files = {sha: ws.blobs.get(sha) for sha in _photo_hashes(ws, audit_id)}
    before = sorted(map(repr, (r.data for r in server[1:])))
    _archive(ws)
    fetched: list[str] = []

    def fetch(sha: str) -> bytes:
        fetched.append(sha)
        return files[sha]

    report = restore_from_server(ws.db.session, ws.blobs, audit_id, server, fetch)

    assert (report.attachments, report.files_fetched) == (1, 1)
    assert fetched == list(files)
    assert sorted(map(repr, (r.data for r in _server_copy(ws, audit_id)[1:]))) == before
    with ws.db.session() as session:
        assert archived_stub(session, audit_id) is None
        assert session.get_one(ArchivedAudit, audit_id).blob_hashes == []  # nothing left to remove
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0  # nothing to send back
        assert session.get_one(Blob, next(iter(files))).mime == "image/jpeg"
        assert export_audit(session, audit_id).audit.id == audit_id
    assert all(ws.blobs.get(sha) == data for sha, data in files.items())


def test_pull_back_refuses_a_damaged_file_and_changes_nothing(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise)
    server = _server_copy(ws, audit_id)
    _archive(ws)
    with pytest.raises(RestoreFailed, match="不符"):
        restore_from_server(ws.db.session, ws.blobs, audit_id, server, lambda _sha: b"truncated")
    with ws.db.session() as session:
        assert session.get(ArchivedAudit, audit_id) is not None
        assert session.scalar(select(func.count()).select_from(Answer).where(Answer.audit_id == audit_id)) == 0


def test_pull_back_refuses_records_of_another_audit(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise)
    server = _server_copy(ws, audit_id)
    _archive(ws)
    stray = Record("answer", "x", {**(server[1].data or {}), "id": "x", "audit_id": "another"})
    with pytest.raises(RestoreFailed, match="不属于"):
        restore_from_server(ws.db.session, ws.blobs, audit_id, [*server, stray], lambda _sha: b"")


def test_an_archived_audit_is_neither_exported_nor_overwritten_by_a_bundle(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise)
    with ws.db.session() as session:
        bundle = export_audit(session, audit_id)
    _archive(ws)
    from app.audit.bundle import import_bundle

    with ws.db.session() as session:
        with pytest.raises(AuditArchived, match="取回"):
            export_audit(session, audit_id)
        with pytest.raises(AuditArchived):
            import_bundle(session, bundle, blob_store=None)


def test_the_risk_grade_is_the_same_after_archiving(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    from app.audit.risk import grade_enterprise

    audit_id = _closed_audit(ws, coordinator, enterprise, signal=True)
    with ws.db.session() as session:
        before = grade_enterprise(session, enterprise.id, LATER.date())
    assert any("欠薪风险预警" in reason for reason in before.reasons)
    assert not any("WAGE-09" in reason for reason in before.reasons), "codes are never shown to people"
    assert _archive(ws) == (audit_id,)
    with ws.db.session() as session:
        assert grade_enterprise(session, enterprise.id, LATER.date()) == before
        kept = session.scalars(select(Answer.item_id).where(Answer.audit_id == audit_id)).all()
    assert kept == ["WAGE-09"]


def test_a_pulled_back_audit_stays_whole_for_another_period(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = _closed_audit(ws, coordinator, enterprise)
    server = _server_copy(ws, audit_id)
    files = {sha: ws.blobs.get(sha) for sha in _photo_hashes(ws, audit_id)}
    _archive(ws)
    restore_from_server(ws.db.session, ws.blobs, audit_id, server, files.__getitem__)
    with ws.db.session() as session:
        pulled_back = session.get_one(ArchivedAudit, audit_id).restored_at
    assert pulled_back is not None

    assert _archive(ws) == ()  # the next sync keeps it: the coordinator pulled it back to work with it
    later = pulled_back + dt.timedelta(days=DAYS, hours=1)
    assert apply_retention(ws.db.session, ws.blobs, DAYS, now=later).archived == (audit_id,)
    with ws.db.session() as session:
        stub = archived_stub(session, audit_id)
        assert stub is not None
        assert stub.attachments == 1
    assert not any(ws.blobs.has(sha) for sha in files)
