"""The service layer both front ends call: each action commits and says what changed; one definition of each
rule the command line and the window used to compute apart (the live notice, consent, the campaign order)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.audit.history import ReasonRequired
from app.audit.rectification import BLANK_FILL_REASON, ItemEdit
from app.models import (
    Answer,
    AnswerStatus,
    Campaign,
    ChangeHistory,
    Coordinator,
    Enterprise,
    RectificationItem,
    save_settings,
)
from app.services import drafts, lookups, notices, rectification, visits
from app.services.changes import EVERYTHING, NOTHING, OpChanges
from app.services.workspace import Workspace
from tests.conftest import VISIT_DAY
from tests.unit.test_notices import _finished_audit, _signed_notice


def test_changes_merge_and_name_their_kinds() -> None:
    merged = OpChanges(items=True, audit_ids=frozenset({"a"})) | OpChanges(notices=True, audit_ids=frozenset({"b"}))
    assert merged.kinds() == ["items", "notices"]
    assert merged.audit_ids == {"a", "b"}
    assert not NOTHING.any()
    assert set(EVERYTHING.kinds()) >= {"enterprises", "audits", "items", "notices", "sync", "settings"}


def test_a_note_before_the_answer_is_a_draft_and_the_answer_takes_it(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    started = visits.start_visit(ws, enterprise_id=enterprise.id, visit_date=VISIT_DAY, modules=["CONTRACT"], inputs={})
    audit_id = started.value
    assert started.changes.audits
    assert audit_id in started.changes.audit_ids

    saved = visits.save_note(ws, audit_id, "CONTRACT-03", "缺少工作地点条款")
    assert saved.value == "draft"
    assert saved.changes == drafts.DRAFT_SAVED
    assert visits.note_of(ws, audit_id, "CONTRACT-03") == "缺少工作地点条款"
    assert visits.save_note(ws, audit_id, "CONTRACT-03", "缺少工作地点条款").value == "unchanged"

    changes = visits.answer(ws, audit_id, "CONTRACT-03", AnswerStatus.NON_COMPLIANT, note="缺少工作地点条款")
    assert changes.audits
    assert drafts.load_draft(ws, drafts.ANSWER_NOTE, drafts.answer_key(audit_id, "CONTRACT-03")) == {}
    edited = visits.save_note(ws, audit_id, "CONTRACT-03", "缺少工作地点条款，涉及12人")
    assert edited.value == "answer"
    with ws.db.session() as session:
        answer = session.scalars(select(Answer).where(Answer.item_id == "CONTRACT-03")).one()
        assert (answer.status, answer.note) == (AnswerStatus.NON_COMPLIANT, "缺少工作地点条款，涉及12人")


def test_filling_a_blank_field_needs_no_reason_and_a_correction_waits_for_one(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _finished_audit(ws, enterprise, coordinator)
    with ws.db.session() as session:
        item = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == audit_id)).one()
        item_id, requirement = item.id, item.requirement
    assert rectification.edit_item(ws, item_id, ItemEdit(responsible_phone="13800001111")).value == "saved"

    correction = ItemEdit(responsible_person="钱七")  # 赵强 → 钱七
    assert rectification.edit_item(ws, item_id, correction).value == "needs_reason"
    draft = rectification.item_draft(ws, item_id)
    assert draft is not None
    assert draft.edit == correction
    saved = rectification.edit_item(ws, item_id, correction, reason="企业更换了整改负责人")
    assert saved.value == "saved"
    assert saved.changes.items
    assert saved.changes.notices
    assert rectification.item_draft(ws, item_id) is None
    with ws.db.session() as session:
        reasons = {row.field: row.reason for row in session.scalars(select(ChangeHistory))}
        assert session.get_one(RectificationItem, item_id).requirement == requirement
    assert reasons == {"responsible_phone": BLANK_FILL_REASON, "responsible_person": "企业更换了整改负责人"}


def test_several_items_take_one_reason_or_none(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    first = _finished_audit(ws, enterprise, coordinator)
    second = _finished_audit(ws, enterprise, coordinator)
    with ws.db.session() as session:
        items = session.scalars(select(RectificationItem).where(RectificationItem.audit_id.in_([first, second])))
        ids = [item.id for item in items]
    deadline = ItemEdit(deadline=VISIT_DAY + dt.timedelta(days=60))
    assert rectification.items_need_reason(ws, ids, deadline)
    with pytest.raises(ReasonRequired):
        rectification.edit_items(ws, ids, deadline)
    assert rectification.edit_items(ws, ids, deadline, reason="企业申请延期").value == len(ids)
    assert not rectification.items_need_reason(ws, ids, ItemEdit(responsible_phone="13800001111"))
    assert rectification.edit_items(ws, ids, ItemEdit(responsible_phone="13800001111")).value == len(ids)


def test_the_live_notice_and_its_qr_follow_one_definition(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.session() as session:
        notice = notices.live_notice(session, notice_audit(ws, notice_id))
        assert notice is not None
        assert notice.id == notice_id
        save_settings(session, server_url="https://tj.example.gov.cn", server_consent=False)
        assert notices.verification_address(session, notice) == ""  # an address without consent is not printed
        save_settings(session, server_consent=True)
        address = notices.verification_address(session, notice)
    assert address.startswith("https://tj.example.gov.cn/verify/")
    exported = notices.export_notice(ws, notice_audit(ws, notice_id))
    assert exported.pdf.startswith(b"%PDF")
    assert exported.status_text == "已签署"

    reissued = notices.reissue(ws, notice_id, "整改时限填写有误", VISIT_DAY)
    with ws.db.session() as session:
        live = notices.live_notice(session, notice_audit(ws, notice_id))
        assert live is not None
        assert live.id == reissued.value != notice_id


def notice_audit(ws: Workspace, notice_id: str) -> str:
    from app.models import Notice

    with ws.db.session() as session:
        return session.get_one(Notice, notice_id).audit_id


def test_every_campaign_picker_lists_campaigns_in_one_order(ws: Workspace) -> None:
    with ws.db.session() as session:
        session.add_all(
            [
                Campaign(name="2025年专项行动", district="达川区", starts_on=dt.date(2025, 3, 1)),
                Campaign(name="未定日期的行动", district="达川区"),
                Campaign(name="2026年专项行动", district="达川区", starts_on=dt.date(2026, 3, 1)),
            ]
        )
    with ws.db.session() as session:
        names = [row.name for row in lookups.campaigns(session)]
    assert names == ["2026年专项行动", "2025年专项行动", "未定日期的行动"]
