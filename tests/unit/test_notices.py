"""Notices: offline numbering, signing with a content hash, and immutability enforced by the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.audit.attachments import add_signature
from app.audit.notices import (
    NoticeError,
    create_notice,
    notice_hash,
    reissue_notice,
    sign_notice,
    void_notice,
)
from app.audit.numbering import format_notice_number
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Coordinator, Enterprise, Notice, NoticeStatus
from app.services.workspace import Workspace
from tests.conftest import VISIT_DAY
from tests.unit.test_images import png_bytes


def _finished_audit(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> str:
    with ws.db.session() as session:
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT"],
        )
        answer_item(session, audit.id, "CONTRACT-03", AnswerStatus.NON_COMPLIANT, note="缺少工作地点条款")
        for state in item_states(session, audit.id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT)
        finish_audit(session, audit.id, responsible_person="赵强")
        return audit.id


def _signed_notice(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> str:
    audit_id = _finished_audit(ws, enterprise, coordinator)
    with ws.db.session() as session:
        notice = create_notice(session, audit_id, issued_on=VISIT_DAY)
        mine = add_signature(session, ws.blobs, png_bytes(color=(0, 0, 0)))
        theirs = add_signature(session, ws.blobs, png_bytes(color=(0, 0, 90)))
        sign_notice(
            session,
            notice.id,
            coordinator_signature_sha256=mine.sha256,
            enterprise_signer="王芳",
            enterprise_signature_sha256=theirs.sha256,
            signed_at=dt.datetime(2026, 11, 10, 3, 30, tzinfo=dt.UTC),
        )
        return notice.id


def test_notice_numbers_run_per_device_and_year(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _finished_audit(ws, enterprise, coordinator)
    with ws.db.session() as session:
        first = create_notice(session, audit_id, issued_on=VISIT_DAY)
        second = create_notice(session, audit_id, issued_on=VISIT_DAY)
        next_year = create_notice(session, audit_id, issued_on=dt.date(2027, 1, 4))
    assert first.number == "达川人社体检〔2026〕A3-001号"
    assert second.number == "达川人社体检〔2026〕A3-002号"
    assert next_year.number == "达川人社体检〔2027〕A3-001号"
    assert format_notice_number("达川人社体检", 2026, "B1", 17) == "达川人社体检〔2026〕B1-017号"


def test_a_rolled_back_notice_gives_its_number_back(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _finished_audit(ws, enterprise, coordinator)
    with pytest.raises(RuntimeError), ws.db.session() as session:
        create_notice(session, audit_id, issued_on=VISIT_DAY)
        raise RuntimeError("power cut before commit")
    with ws.db.session() as session:
        assert create_notice(session, audit_id, issued_on=VISIT_DAY).number.endswith("A3-001号")


def test_notice_content_lists_problems_with_basis_and_deadline(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _finished_audit(ws, enterprise, coordinator)
    with ws.db.session() as session:
        notice = create_notice(session, audit_id, issued_on=VISIT_DAY)
    (problem,) = notice.content["problems"]
    assert problem["item_id"] == "CONTRACT-03"
    assert problem["basis"] == ["《劳动合同法》第十七条、第八十一条"]
    assert problem["responsible_person"] == "赵强"
    assert notice.content["enterprise"]["uscc"] == enterprise.uscc
    assert notice.content["issuing_body"] == "达州市达川区协调劳动关系三方办公室"


def test_signing_freezes_content_with_a_hash(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.session() as session:
        notice = session.get_one(Notice, notice_id)
        assert notice.status is NoticeStatus.SIGNED
        assert notice.content_hash == notice_hash(notice)
        assert len(notice.content_hash or "") == 64


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("content", '{"problems": []}'),
        ("content_hash", "0" * 64),
        ("number", "伪造〔2026〕A3-999号"),
        ("issued_on", "2026-01-01"),
        ("enterprise_signer", "张三"),
        ("enterprise_signature_sha256", None),
        ("coordinator_signer", "某人"),
        ("signed_at", "2026-01-01 00:00:00"),
        ("status", "draft"),
        ("audit_id", "x"),
        ("year", 2020),
        ("sequence", 999),
        ("device_code", "Z9"),
        ("pdf_sha256", None),
        ("supersedes_id", None),
        ("created_at", "2026-01-01 00:00:00"),
        ("id", "another-id"),
        ("coordinator_signature_sha256", None),
        ("voided_at", "2026-01-01 00:00:00"),
        ("void_reason", "just because"),
    ],
)
def test_storage_refuses_any_change_to_a_signed_notice(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, column: str, value: object
) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.engine.connect() as connection, pytest.raises(IntegrityError, match="signed"):
        connection.execute(text(f"UPDATE notice SET {column} = :v WHERE id = :id"), {"v": value, "id": notice_id})


def test_every_notice_column_is_guarded(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    """A column added later must be added to the trigger too: this test names any that is not."""
    notice_id = _signed_notice(ws, enterprise, coordinator)
    unguarded = []
    for column in Notice.__table__.columns:
        with ws.db.engine.connect() as connection:
            try:
                connection.execute(text(f"UPDATE notice SET {column.name} = NULL WHERE id = :id"), {"id": notice_id})
            except IntegrityError:
                continue
            finally:
                connection.rollback()
            unguarded.append(column.name)
    assert unguarded == []


def test_storage_refuses_to_delete_a_signed_notice(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.engine.connect() as connection, pytest.raises(IntegrityError, match="signed"):
        connection.execute(text("DELETE FROM notice WHERE id = :id"), {"id": notice_id})


def test_orm_changes_to_a_signed_notice_are_refused_too(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with pytest.raises(IntegrityError), ws.db.session() as session:
        session.get_one(Notice, notice_id).content = {"problems": []}
    with ws.db.session() as session:
        assert session.get_one(Notice, notice_id).content["problems"]


def test_void_needs_a_reason_and_reissue_supersedes(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.session() as session, pytest.raises(NoticeError, match="理由"):
        void_notice(session, notice_id, reason=" ")
    with ws.db.session() as session:
        before = session.get_one(Notice, notice_id).content_hash
        replacement = reissue_notice(session, notice_id, reason="整改负责人姓名写错", issued_on=VISIT_DAY)
    with ws.db.session() as session:
        old = session.get_one(Notice, notice_id)
        assert old.status is NoticeStatus.VOIDED
        assert old.void_reason == "整改负责人姓名写错"
        assert old.content_hash == before
        new = session.get_one(Notice, replacement.id)
        assert new.supersedes_id == notice_id
        assert new.number != old.number
        assert new.status is NoticeStatus.DRAFT


def test_a_voided_notice_cannot_change_at_all(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.session() as session:
        void_notice(session, notice_id, reason="重开")
    with ws.db.engine.connect() as connection, pytest.raises(IntegrityError):
        connection.execute(text("UPDATE notice SET status = 'signed' WHERE id = :id"), {"id": notice_id})


def test_signing_twice_is_refused(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.session() as session, pytest.raises(NoticeError, match="已签署"):
        sign_notice(
            session,
            notice_id,
            coordinator_signature_sha256="0" * 64,
            enterprise_signer="x",
            enterprise_signature_sha256="0" * 64,
        )
